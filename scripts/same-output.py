#!/usr/bin/env python3
"""Build the same sites with two kiln binaries and compare the outputs file by file.

    python3 scripts/same-output.py OLD_KILN NEW_KILN [--pages 10000] [--no-corpora]

Sites: the example site (content/), every fixture under tests/fixtures/, each corpus in
../shared/corpora/ and a generated knowledge base (../shared/bench/gen_corpus.py, seed 42).
For each site and binary, on its own copy: a cold build (--no-cache), a warm build with
nothing changed, and a warm build after one article is edited. Every output must be
byte-identical between the two binaries, and each warm output identical to a cold build
of the same input. Exit 1 on any difference, listing the first files that differ.
"""
import argparse, filecmp, os, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")


def tree(d):
    out = {}
    for base, _, files in os.walk(d):
        for f in files:
            p = os.path.join(base, f)
            out[os.path.relpath(p, d)] = p
    return out


def same_but_apostrophes(a, b):
    """HTML that differs only in `'` written as `&#39;` (one escaper for every attribute)."""
    if not a.endswith(".html"):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        x, y = fa.read(), fb.read()
    return x.replace(b"&#39;", b"'") == y.replace(b"&#39;", b"'")


EQUIVALENT = []


def differ(a, b, old_new=False):
    ta, tb = tree(a), tree(b)
    bad = sorted(set(ta) ^ set(tb))
    for k in sorted(set(ta) & set(tb)):
        if filecmp.cmp(ta[k], tb[k], shallow=False):
            continue
        if old_new and same_but_apostrophes(ta[k], tb[k]):
            EQUIVALENT.append(k)
            continue
        bad.append(k)
    return bad


def build(kiln, site, out, cache):
    args = [kiln, "build", "--root", site, "--output", out]
    if not cache:
        args.append("--no-cache")
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"{kiln} failed on {site}:\n{r.stderr[-2000:]}")
    return r.returncode


def edit_one(site):
    for base, _, files in sorted(os.walk(os.path.join(site, "content"))):
        for f in sorted(files):
            if f.endswith(".md") and f not in ("index.md", "_index.md", "README.md"):
                with open(os.path.join(base, f), "a") as fh:
                    fh.write("\nOne more line of text, edited.\n")
                return


def copy_site(src, site):
    """A site folder as is, or a corpus (a folder of Markdown) made one as corpus-check.sh does."""
    ignore = shutil.ignore_patterns("public", ".kiln-cache", "target", ".git")
    if os.path.isdir(os.path.join(src, "content")):
        shutil.copytree(src, site, symlinks=True, ignore=ignore)
        return
    shutil.copytree(src, os.path.join(site, "content"), symlinks=True, ignore=ignore)
    for base, _, files in os.walk(os.path.join(site, "content")):
        for f in files:
            if f.endswith(".mdx"):
                os.rename(os.path.join(base, f), os.path.join(base, f[:-1]))
    with open(os.path.join(site, "site.toml"), "w") as fh:
        fh.write(f'title = "{os.path.basename(src)}"\n')


def run_site(name, src, kilns, work):
    outs = {}
    for label, kiln in kilns.items():
        site = os.path.join(work, f"{name}-{label}")
        copy_site(src, site)
        steps = {}
        steps["cold"] = os.path.join(work, f"{name}-{label}-cold")
        build(kiln, site, steps["cold"], cache=False)
        warm = os.path.join(work, f"{name}-{label}-warm")
        build(kiln, site, warm, cache=True)  # fills the cache
        build(kiln, site, warm, cache=True)  # nothing changed
        steps["warm"] = os.path.join(work, f"{name}-{label}-warm-copy")
        shutil.copytree(warm, steps["warm"], symlinks=True)
        edit_one(site)
        build(kiln, site, warm, cache=True)
        steps["edited-warm"] = warm
        steps["edited-cold"] = os.path.join(work, f"{name}-{label}-edited-cold")
        build(kiln, site, steps["edited-cold"], cache=False)
        outs[label] = steps
    problems = []
    for step in ("cold", "warm", "edited-warm", "edited-cold"):
        d = differ(outs["old"][step], outs["new"][step], old_new=True)
        if d:
            problems.append(f"{name} {step}: old and new differ in {len(d)} files: {d[:5]}")
    for label in outs:
        for warm, cold in (("warm", "cold"), ("edited-warm", "edited-cold")):
            d = differ(outs[label][warm], outs[label][cold])
            if d:
                problems.append(f"{name} {label}: {warm} differs from {cold} in {len(d)} files: {d[:5]}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--no-corpora", action="store_true")
    a = ap.parse_args()
    kilns = {"old": os.path.abspath(a.old), "new": os.path.abspath(a.new)}
    sites = [("example", ROOT)]
    fixtures = os.path.join(ROOT, "tests", "fixtures")
    sites += [(f"fixture-{f}", os.path.join(fixtures, f)) for f in sorted(os.listdir(fixtures))]
    corpora = os.path.join(SHARED, "corpora")
    if not a.no_corpora and os.path.isdir(corpora):
        sites += [(f"corpus-{c}", os.path.join(corpora, c)) for c in sorted(os.listdir(corpora))]
    work = tempfile.mkdtemp(prefix="kiln-same-")
    if a.pages:
        gen = os.path.join(work, f"kb-{a.pages}")
        subprocess.run([sys.executable, os.path.join(SHARED, "bench", "gen_corpus.py"), "--pages", str(a.pages),
                        "--seed", "42", "--out", gen], check=True, capture_output=True)
        sites.append((f"generated-{a.pages}", gen))
    problems = []
    for name, src in sites:
        p = run_site(name, src, kilns, work)
        print(f"{name}: {'same' if not p else 'DIFFERENT'}", flush=True)
        for line in p:
            print("  " + line, flush=True)
        problems += p
    if EQUIVALENT:
        print(f"{len(EQUIVALENT)} file versions differ only in `'` escaped as `&#39;` in an attribute "
              f"(the same DOM): {sorted(set(EQUIVALENT))}")
    if not os.environ.get("KEEP"):
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"outputs kept in {work}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
