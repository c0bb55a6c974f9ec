#!/usr/bin/env python3
"""How long `kiln import` takes on a large helpdesk knowledge base.

Writes a synthetic export in the `--from` format (the vendors' own JSON, as
tests/fixtures/import/ has it) of N articles spread over categories, folders and
sub-folders, every body mixing the constructs the converter handles (headings, nested and
numbered lists, a table, code with a language, a callout, links to other articles by old
URL, an image, entities), one in ten Freshdesk articles with an attached file, and for Zendesk every
article translated into `--locales` languages. Then, after `sync`, times in turn:

  import     kiln import VENDOR --from EXPORT --into an absent site (site created)
  again      the same import again: nothing changed, nothing may be written
  build      kiln build --no-cache of the imported site

and prints medians over `--runs`. Checks that `again` wrote no file, that the build reports
no error, and that every error `kiln check` then finds (links from public articles to
drafts and internal ones, which the generator makes as real knowledge bases have them) is
at a file and line the import's report named.

    python3 scripts/bench-import.py [--vendor zendesk|freshdesk] [--articles 10000]
        [--locales 2] [--runs 3] [--work target/bench/import]
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KILN = os.environ.get("KILN_BIN") or os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "release", "kiln")
WORDS = ("account password email invoice reset browser export import admin billing report "
         "mailbox calendar meeting device policy network printer license token access "
         "workspace sync backup restore domain user group role").split()
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def sentence(rng, n=12):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def body(rng, vendor, aid, ids, host):
    """An article body in the helpdesk's HTML, linking two other articles by old URL."""
    a, b = rng.choice(ids), rng.choice(ids)
    if vendor == "zendesk":
        link_a, link_b = "%s/hc/en-us/articles/%d-Some-title" % (host, a), "/hc/articles/%d" % b
        callout = '<div class="callout callout--warning"><p>%s</p></div>' % sentence(rng)
    else:
        link_a, link_b = "%s/support/solutions/articles/%d-some-title" % (host, a), \
            "/support/solutions/articles/%d" % b
        callout = '<div class="fd-callout fd-callout--info"><p>%s</p></div>' % sentence(rng)
    parts = [
        "<p>%s See <a href=\"%s\">the related guide</a> &amp; <a href=\"%s#steps\">its steps</a>.</p>"
        % (sentence(rng), link_a, link_b),
        "<h2>Steps</h2><ol start=\"2\"><li>%s<ul><li>%s</li><li><strong>%s</strong></li></ul></li>"
        "<li>%s</li></ol>" % (sentence(rng, 6), sentence(rng, 5), sentence(rng, 3), sentence(rng, 7)),
        callout,
        "<table><thead><tr><th>Setting</th><th>Value</th></tr></thead><tbody>"
        "<tr><td>%s</td><td><code>%d</code></td></tr><tr><td>%s</td><td>on</td></tr></tbody></table>"
        % (rng.choice(WORDS), aid, rng.choice(WORDS)),
        "<pre><code class=\"language-bash\">kiln-cli %s --id %d\n# done</code></pre>" % (rng.choice(WORDS), aid),
        "<p>%s&nbsp;%s</p>" % (sentence(rng, 20), sentence(rng, 15)),
        "<p><img src=\"%s/images/%d/screen.png\" alt=\"%s\" width=\"320\"></p>" % (host, aid, rng.choice(WORDS)),
        "<h3>Notes</h3><p>%s <em>%s</em></p>" % (sentence(rng, 25), sentence(rng, 4)),
    ]
    return "".join(parts)


def zendesk(out, n, locales, rng):
    host = "https://acme.zendesk.com"
    cats = [{"id": 100 + c, "name": "Category %d" % c, "description": sentence(rng, 5), "position": c,
             "locale": "en-us", "html_url": "%s/hc/en-us/categories/%d" % (host, 100 + c)} for c in range(8)]
    sections = []
    for c in cats:
        for s in range(6):
            sid = 1000 + len(sections)
            sections.append({"id": sid, "name": "Section %d" % sid, "description": "", "position": s,
                             "category_id": c["id"], "parent_section_id": None, "locale": "en-us",
                             "html_url": "%s/hc/en-us/sections/%d" % (host, sid)})
            sections.append({"id": sid + 50000, "name": "Sub %d" % sid, "description": sentence(rng, 4),
                             "position": s, "category_id": c["id"], "parent_section_id": sid,
                             "locale": "en-us", "html_url": "%s/hc/en-us/sections/%d" % (host, sid + 50000)})
    ids = [10000 + i for i in range(n)]
    arts = []
    for i, aid in enumerate(ids):
        sec = sections[i % len(sections)]
        title = "%s %d" % (sentence(rng, 4)[:-1], aid)
        arts.append({"id": aid, "html_url": "%s/hc/en-us/articles/%d-%s" % (host, aid, title.replace(" ", "-")),
                     "draft": i % 50 == 0, "promoted": i % 97 == 0, "position": i // len(sections),
                     "vote_sum": i % 7, "vote_count": i % 11, "section_id": sec["id"],
                     "created_at": "2023-04-01T10:00:00Z", "updated_at": "2024-04-01T10:00:00Z",
                     "edited_at": "2024-03-30T10:00:00Z", "title": title, "locale": "en-us",
                     "source_locale": "en-us", "user_segment_id": 7 if i % 40 == 0 else None,
                     "label_names": [rng.choice(WORDS)], "body": body(rng, "zendesk", aid, ids, host)})
    save_pages(out, "articles", "articles", arts)
    json.dump({"categories": cats, "next_page": None}, open(os.path.join(out, "categories.json"), "w"))
    json.dump({"sections": sections, "next_page": None}, open(os.path.join(out, "sections.json"), "w"))
    codes = ["fr", "de", "es", "ja", "pt-br", "it"][:locales]
    json.dump({"locales": ["en-us"] + codes, "default_locale": "en-us"},
              open(os.path.join(out, "locales.json"), "w"))
    for code in codes:
        tr = [dict(a, locale=code, title="[%s] %s" % (code, a["title"]),
                   html_url="%s/hc/%s/articles/%d" % (host, code, a["id"])) for a in arts]
        save_pages(out, "translations-" + code, "articles", tr)
    attach(out, ids)


def freshdesk(out, n, rng):
    host = "https://acme.freshdesk.com"
    cats = [{"id": 100 + c, "name": "Category %d" % c, "description": sentence(rng, 5)} for c in range(8)]
    folders = []
    for c in cats:
        for f in range(6):
            fid = 1000 + len(folders)
            folders.append({"id": fid, "name": "Folder %d" % fid, "description": "", "visibility": 3 if fid % 13 == 0 else 1,
                            "category_id": c["id"], "parent_folder_id": None})
            folders.append({"id": fid + 50000, "name": "Sub %d" % fid, "description": sentence(rng, 4),
                            "visibility": 1, "category_id": c["id"], "parent_folder_id": fid})
    ids = [10000 + i for i in range(n)]
    arts = []
    for i, aid in enumerate(ids):
        f = folders[i % len(folders)]
        attachments = [{"id": 900000 + aid, "name": "Guide %d.pdf" % aid,
                        "attachment_url": "https://s3.amazonaws.com/x/%d/Guide%%20%d.pdf" % (aid, aid)}] \
            if i % 10 == 0 else []
        arts.append({"id": aid, "title": "%s %d" % (sentence(rng, 4)[:-1], aid), "folder_id": f["id"],
                     "category_id": f["category_id"], "status": 1 if i % 50 == 0 else 2, "hits": i,
                     "thumbs_up": i % 9, "thumbs_down": i % 3, "tags": [rng.choice(WORDS)],
                     "seo_data": {"meta_description": sentence(rng, 8)}, "created_at": "2023-03-01T10:00:00Z",
                     "updated_at": "2024-05-02T08:30:00Z", "attachments": attachments,
                     "description": body(rng, "freshdesk", aid, ids, host)})
    for name, items in [("categories", cats), ("folders", folders), ("articles", arts)]:
        json.dump(items, open(os.path.join(out, name + ".json"), "w"))
    attach(out, ids, pdf=True)


def save_pages(out, name, key, items, per=100):
    pages = [items[i:i + per] for i in range(0, len(items), per)]
    for k, page in enumerate(pages, 1):
        file = "%s.json" % name if k == 1 else "%s-%d.json" % (name, k)
        nxt = None if k == len(pages) else "https://acme.zendesk.com/next/%d" % (k + 1)
        json.dump({key: page, "next_page": nxt}, open(os.path.join(out, file), "w"))


def attach(out, ids, pdf=False):
    """Every article's body image (as a live fetch saves them); a file for one in ten."""
    for n, aid in enumerate(ids):
        d = os.path.join(out, "attachments", str(aid))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "screen.png"), "wb") as f:
            f.write(PNG)
        if pdf and n % 10 == 0:
            with open(os.path.join(d, "Guide-%d.pdf" % aid), "wb") as f:
                f.write(b"%PDF-1.4\n% bench attachment\n")


def timed(*args):
    subprocess.run(["sync"])
    start = time.perf_counter()
    p = subprocess.run([KILN, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit("kiln %s failed:\n%s" % (" ".join(args), p.stdout[-3000:]))
    return wall, p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vendor", choices=["zendesk", "freshdesk"], default="zendesk")
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--locales", type=int, default=2, help="Zendesk translations per article")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=os.path.join(REPO, "target", "bench", "import"))
    args = ap.parse_args()
    if not os.environ.get("KILN_BIN"):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    export = os.path.join(args.work, "%s-%d-export" % (args.vendor, args.articles))
    shutil.rmtree(export, ignore_errors=True)
    os.makedirs(export)
    rng = random.Random(42)
    if args.vendor == "zendesk":
        zendesk(export, args.articles, args.locales, rng)
    else:
        freshdesk(export, args.articles, rng)
    site = os.path.join(args.work, "%s-%d-site" % (args.vendor, args.articles))
    times = {"import": [], "again": [], "build": []}
    for run in range(args.runs):
        shutil.rmtree(site, ignore_errors=True)
        wall, out = timed("import", args.vendor, "--from", export, "--into", site)
        times["import"].append(wall)
        if run == 0:
            print("\n".join(line for line in out.splitlines() if not line.startswith("note:"))[:2000])
            noted = {tuple(line.split(":")[1:3]) for line in out.splitlines() if line.startswith("note: ")}
            noted = {(path.strip(), line) for path, line in noted}
        wall, out = timed("import", args.vendor, "--from", export, "--into", site)
        times["again"].append(wall)
        if " 0 files written" not in out:
            sys.exit("the second import wrote files:\n" + out[-2000:])
        wall, out = timed("build", "--root", site, "--no-cache", "--output", os.path.join(site, "public"))
        times["build"].append(wall)
        if "error" in out.lower() and " 0 error" not in out.lower():
            sys.exit("build reported errors:\n" + out[-2000:])
    p = subprocess.run([KILN, "check", "--root", site], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    errors = [tuple(line.split(":")[1:3]) for line in p.stdout.splitlines() if line.startswith("error: ")]
    errors = [(path.strip(), line) for path, line in errors]
    unnoted = [e for e in errors if e not in noted]
    print("kiln check: %d errors, %d of them at a line the import report named" % (len(errors), len(errors) - len(unnoted)))
    if unnoted:
        sys.exit("errors the report did not name:\n" + "\n".join("%s:%s" % e for e in unnoted[:20]))
    files = sum(len(f) for _, _, f in os.walk(os.path.join(site, "content")))
    print("\n%s, %d articles (+%d locales), %d content files, %d runs (median s):"
          % (args.vendor, args.articles, args.locales if args.vendor == "zendesk" else 0, files, args.runs))
    for k, v in times.items():
        print("  %-7s %7.2f   (min %.2f, max %.2f)" % (k, statistics.median(v), min(v), max(v)))


if __name__ == "__main__":
    main()
