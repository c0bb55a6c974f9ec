#!/usr/bin/env python3
"""How much of an article's text survives `kiln import`'s HTML → Markdown conversion, on
real documentation.

Builds each corpus of ../shared/corpora with Kiln, takes every article's body HTML (the
`article-body` element: tables, nested lists, code, admonitions, images, links as Kiln
renders them), puts those bodies in a Zendesk export (`--from` format, one section per
corpus), imports it into a new site, builds that, and compares each article's visible body
text before and after (tags and screen-reader-only text removed, white space collapsed). Prints, per corpus, how many
articles read the same, and the first differences of the others.

    python3 scripts/import-roundtrip.py [--corpus ms-outlook-teams] [--show 5]
        [--work target/bench/roundtrip]
"""
import argparse
import difflib
import html
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPORA = os.path.join(REPO, "..", "shared", "corpora")
KILN = os.environ.get("KILN_BIN") or os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "release", "kiln")


class Body(html.parser.HTMLParser):
    """The inner HTML of the first `<div class="article-body">`, and the page's `<h1>`."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.parts = []
        self.done = False
        self.in_h1 = False
        self.h1 = ""

    def handle_starttag(self, tag, attrs):
        if tag == "h1" and not self.h1:
            self.in_h1 = True
        if self.done:
            return
        if self.depth:
            self.parts.append(self.get_starttag_text())
            if tag == "div":
                self.depth += 1
        elif tag == "div" and "article-body" in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_startendtag(self, tag, attrs):
        if self.depth and not self.done:
            self.parts.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag == "h1":
            self.in_h1 = False
        if not self.depth or self.done:
            return
        if tag == "div":
            self.depth -= 1
            if self.depth == 0:
                self.done = True
                return
        self.parts.append("</%s>" % tag)

    def handle_data(self, data):
        if self.in_h1:
            self.h1 += data
        if self.depth and not self.done:
            self.parts.append(data)

    def handle_entityref(self, name):
        self.handle_data("&%s;" % name)

    def handle_charref(self, name):
        self.handle_data("&#%s;" % name)


def body_of(path):
    p = Body()
    p.feed(open(path, encoding="utf-8").read())
    return ("".join(p.parts) if p.done else None), html.unescape(p.h1).strip()


def text_of(fragment):
    """Visible text: tags removed (a block ends a word), entities decoded, spaces collapsed."""
    fragment = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S)
    # What only screen readers get (an admonition's kind before its title).
    fragment = re.sub(r'<span class="visually-hidden">[^<]*</span>', " ", fragment)
    fragment = re.sub(r"<[^>]+>", " ", fragment)
    return " ".join(html.unescape(fragment).split())


LABEL = re.compile(r"\b(note|tip|info|important|warning|caution|danger)\b(\s*:)?", re.I)


def unlabel(text):
    """The text with `Note:`-style labels as an admonition's title reads them (`Note`): a
    paragraph opening with a bold label becomes an admonition, its label the title."""
    return " ".join(LABEL.sub(lambda m: m.group(1).lower(), text).split())


def build(root, out):
    p = subprocess.run([KILN, "build", "--root", root, "--output", out, "--no-cache"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("kiln build %s failed:\n%s" % (root, p.stderr[-2000:]))


def articles(out):
    """Every article page of a built site: URL path → (body HTML, title)."""
    found = {}
    for dirpath, _, files in os.walk(out):
        if "index.html" in files:
            body, title = body_of(os.path.join(dirpath, "index.html"))
            if body is not None:
                found[os.path.relpath(dirpath, out)] = (body, title)
    return found


def roundtrip(name, work, show):
    site = os.path.join(work, name, "site")
    shutil.rmtree(os.path.join(work, name), ignore_errors=True)
    shutil.copytree(os.path.join(CORPORA, name), os.path.join(site, "content"))
    with open(os.path.join(site, "site.toml"), "w") as f:
        f.write('title = "%s"\n' % name)
    build(site, os.path.join(work, name, "out"))
    before = articles(os.path.join(work, name, "out"))
    export = os.path.join(work, name, "export")
    os.makedirs(export)
    items, ids = [], {}
    for n, (path, (body, title)) in enumerate(sorted(before.items())):
        aid = 100000 + n
        ids[aid] = path
        items.append({"id": aid, "title": title or path, "section_id": 10, "position": n,
                      "draft": False, "promoted": False, "locale": "en-us", "body": body,
                      "html_url": "https://kb.example.com/hc/en-us/articles/%d" % aid})
    json.dump({"categories": [{"id": 1, "name": name, "position": 0}]}, open(os.path.join(export, "categories.json"), "w"))
    json.dump({"sections": [{"id": 10, "name": "All", "category_id": 1, "position": 0}]},
              open(os.path.join(export, "sections.json"), "w"))
    json.dump({"articles": items, "next_page": None}, open(os.path.join(export, "articles.json"), "w"))
    imported = os.path.join(work, name, "imported")
    p = subprocess.run([KILN, "import", "zendesk", "--from", export, "--into", imported],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("kiln import failed:\n" + p.stderr[-2000:])
    notes = [l for l in p.stderr.splitlines() if l.startswith("note:")]
    build(imported, os.path.join(work, name, "out2"))
    after = articles(os.path.join(work, name, "out2"))
    # Imported articles are found by their title (slugs may differ from the corpus's).
    by_title = {}
    for path, (body, title) in after.items():
        by_title.setdefault(title, []).append(body)
    same, labels, differ, missing = 0, 0, [], 0
    for path, (body, title) in sorted(before.items()):
        candidates = by_title.get(title or path, [])
        if not candidates:
            missing += 1
            continue
        a = text_of(body)
        best = max(candidates, key=lambda c: difflib.SequenceMatcher(None, a, text_of(c), autojunk=False).ratio())
        b = text_of(best)
        if a == b:
            same += 1
        elif unlabel(a) == unlabel(b):
            labels += 1
        else:
            differ.append((path, a, b))
    print("%-22s %4d articles: %4d read the same, %3d the same but for a label made an admonition title, "
          "%3d differ, %d not found; %d report notes"
          % (name, len(before), same, labels, len(differ), missing, len(notes)))
    for path, a, b in differ[:show]:
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        ops = [op for op in sm.get_opcodes() if op[0] != "equal"][:3]
        print("  %s (%.3f similar)" % (path, sm.ratio()))
        for tag, i1, i2, j1, j2 in ops:
            print("    %s: %r → %r" % (tag, a[max(0, i1 - 30):i2 + 10][:160], b[max(0, j1 - 30):j2 + 10][:160]))
    return len(before), same + labels


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", help="a folder of ../shared/corpora (default: all)")
    ap.add_argument("--show", type=int, default=5)
    ap.add_argument("--work", default=os.path.join(REPO, "target", "bench", "roundtrip"))
    args = ap.parse_args()
    if not os.environ.get("KILN_BIN"):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    names = args.corpus or sorted(d for d in os.listdir(CORPORA) if os.path.isdir(os.path.join(CORPORA, d)))
    total = same = 0
    for name in names:
        t, s = roundtrip(name, args.work, args.show)
        total, same = total + t, same + s
    print("all: %d of %d articles read the same after the round trip, labels aside (%.1f%%)"
          % (same, total, 100.0 * same / max(total, 1)))


if __name__ == "__main__":
    main()
