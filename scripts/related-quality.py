#!/usr/bin/env python3
"""How often an article's "Related articles" share its folder or a tag, against random.

    python3 scripts/related-quality.py OUTPUT_DIR [--seed 1]

Reads a built site (every `index.html` with a `<nav class="related-articles">`): each
article's folder is its URL without the last part, its tags the links of its
`.tag-list`. For every related link it asks whether the target shares the folder, a tag,
the category; then the same for as many random pairs of articles (seeded). Prints both
rates and their ratio.
"""
import argparse, os, random, re, sys

NAV = re.compile(r'<nav class="related-articles".*?</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')
TAGS = re.compile(r'<ul class="tag-list".*?</ul>', re.S)


def read_site(out):
    pages = {}
    for dirpath, _, files in os.walk(out):
        if "index.html" not in files:
            continue
        with open(os.path.join(dirpath, "index.html"), encoding="utf-8") as f:
            html = f.read()
        if '<article class="article">' not in html:
            continue
        url = "/" + os.path.relpath(dirpath, out).replace(os.sep, "/") + "/"
        tags = TAGS.search(html)
        nav = NAV.search(html)
        pages[url] = {
            "tags": set(HREF.findall(tags.group(0))) if tags else set(),
            "related": HREF.findall(nav.group(0)) if nav else [],
        }
    return pages


def relation(pages, a, b):
    fa, fb = a.rsplit("/", 2)[0], b.rsplit("/", 2)[0]
    ca, cb = a.split("/")[1], b.split("/")[1]
    tag = bool(pages[a]["tags"] & pages[b]["tags"])
    return fa == fb, tag, ca == cb


def rates(pairs, pages):
    n = max(len(pairs), 1)
    rel = [relation(pages, a, b) for a, b in pairs]
    return {
        "folder": sum(r[0] for r in rel) / n,
        "tag": sum(r[1] for r in rel) / n,
        "folder or tag": sum(r[0] or r[1] for r in rel) / n,
        "category": sum(r[2] for r in rel) / n,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    pages = read_site(args.out)
    pairs = [(a, b) for a, p in pages.items() for b in p["related"] if b in pages]
    if not pairs:
        sys.exit("no related articles found")
    rng = random.Random(args.seed)
    urls = sorted(pages)
    rand = []
    while len(rand) < len(pairs):
        a, b = rng.choice(urls), rng.choice(urls)
        if a != b:
            rand.append((a, b))
    with_related = sum(1 for p in pages.values() if p["related"])
    print(f"articles: {len(pages)}, with related articles: {with_related}, links: {len(pairs)}")
    got, base = rates(pairs, pages), rates(rand, pages)
    for k in got:
        ratio = got[k] / base[k] if base[k] else float("inf")
        print(f"  shares {k:14} related {got[k]:.3f}   random {base[k]:.3f}   ×{ratio:.1f}")


if __name__ == "__main__":
    main()
