#!/usr/bin/env python3
"""How faithfully Kiln reads sites written for other tools.

    python3 scripts/fidelity.py [--kiln target/release/kiln] [--check]

Builds every folder of ../shared/corpora and the dialect sites of ../shared/dialects
(FastAPI's docs in 13 languages, Biome's Starlight docs in 9) with `--no-cache`, then counts, per kind of
source syntax, the pages whose visible text (code blocks and inline code left out) still
shows it, plus raw component tags left in the HTML and mermaid diagrams left as code.
Prints one table (sites as columns). With --check, exits 1 when a site has an error or a
panic, or a count is above what is known and explained (ALLOWED; every other count must
be 0), so a regression in any dialect fails CI.
"""
import argparse, html, os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
SITES = [(f"corpora/{d}", f"corpora/{d}") for d in sorted(os.listdir(os.path.join(SHARED, "corpora")))
         if os.path.isdir(os.path.join(SHARED, "corpora", d))] if os.path.isdir(os.path.join(SHARED, "corpora")) else []
SITES += [("fastapi", "dialects/fastapi-docs/docs"), ("biome", "dialects/biome-website/src/content/docs")]
# Sites built from their own layout rather than copied into content/: what to copy where,
# and the site.toml to use, from scripts/dialects/ (shared with benches/languages.rs):
# FastAPI in 13 languages, each in its content folder, code includes relative to docs/en;
# Biome in 9, English at the root and the locales in folders.
PROJECTS = {
    "fastapi": ([("dialects/fastapi-docs/docs", "docs"), ("dialects/fastapi-docs/docs_src", "docs_src")],
                "scripts/dialects/fastapi.toml"),
    "biome": ([("dialects/biome-website/src", "src")], "scripts/dialects/biome.toml"),
}

# Kinds of source syntax, looked for in a page's visible text, line by line.
TEXT_KINDS = {
    "import/export lines": r"^\s*(import .* from ['\"]|import ['\"]|export (const|default|function) )",
    "{/* */} comments": r"\{/\*",
    ":::" + " directives": r"^\s*:::",
    "/// blocks": r"^\s*///",
    "=== tabs": r"^\s*===[+!]? \"",
    "[TOC]": r"\[TOC\]|\[\[toc\]\]",
    "attribute lists": r"\{:?\s*[#.][\w-]+[^}]*\}|\{:?\s*\w+=[^}]*\}",
    "snippets --8<--": r"--8<--",
    "code includes {* *}": r"\{\*.*\*\}",
    "icon shortcodes": r":(material|octicons|fontawesome|simple)-[\w-]+:",
    "docfx [!…]": r"\[!(VIDEO|div|INCLUDE|NOTE|TIP|WARNING|IMPORTANT|CAUTION)\b",
    "==mark== ^^ins^^ ++keys++": r"==[^=\s][^=]*==|\^\^[^^]+\^\^|\+\+[\w+-]+\+\+",
    "abbreviation lines *[X]:": r"^\s*\*\[[^\]]+\]:",
    "arithmatex \\( \\[": r"\\\(.+\\\)|^\s*\\\[\s*$",
}


# The non-zero counts that are understood (docs/benchmarks.md, "Fidelity"): Biome's page
# of pasted `{index=0}` text, and code includes naming files the shared copies lack.
ALLOWED = {
    ("biome", "attribute lists"): 1,
    ("corpora/vitepress-en", "code includes not found"): 4,
    # configure-swagger-ui's include of a file the shared copy lacks, in each of 13 languages.
    ("fastapi", "code includes not found"): 13,
}


def visible_text(page_html):
    start = page_html.find('<div class="article-body">')
    end = page_html.find('<footer class="article-footer">')
    body = page_html[start:end] if start >= 0 and end > start else ""
    body = re.sub(r"<pre.*?</pre>", "", body, flags=re.S)
    body = re.sub(r"<code>.*?</code>", "", body, flags=re.S)
    return body, html.unescape(re.sub(r"<[^>]+>", "", body))


def measure(out):
    counts = {k: 0 for k in TEXT_KINDS}
    counts["raw component tags"] = 0
    counts["mermaid left as code"] = 0
    counts["code includes not found"] = 0
    counts["markdown attribute left"] = 0
    counts["math shown as source"] = 0
    pages = 0
    for dirpath, _, files in os.walk(out):
        if "index.html" not in files or os.path.relpath(dirpath, out).split(os.sep)[0] in ("tags", "search"):
            continue
        page = open(os.path.join(dirpath, "index.html"), encoding="utf-8").read()
        body, text = visible_text(page)
        if not body:
            continue
        pages += 1
        for kind, pattern in TEXT_KINDS.items():
            if re.search(pattern, text, flags=re.M):
                counts[kind] += 1
        counts["raw component tags"] += bool(re.search(r"<[A-Z][A-Za-z0-9.]*[\s/>]", body))
        counts["mermaid left as code"] += 'data-lang="mermaid"' in page
        counts["code includes not found"] += "which is not part of this site" in body
        counts["markdown attribute left"] += bool(re.search(r'<\w+[^>]* markdown(="[^"]*")?[ >]', body))
        counts["math shown as source"] += 'class="math-error"' in body
    return pages, counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiln", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "kiln"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    if not SITES or not os.path.isdir(SHARED):
        print("fidelity: ../shared is absent; skipping")
        return 0
    results, failed = [], False
    with tempfile.TemporaryDirectory() as work:
        for name, rel in SITES:
            src = os.path.join(SHARED, rel)
            if not os.path.isdir(src):
                continue
            site = os.path.join(work, re.sub(r"\W+", "-", name))
            if name in PROJECTS:
                copies, toml = PROJECTS[name]
                for from_rel, to_rel in copies:
                    shutil.copytree(os.path.join(SHARED, from_rel), os.path.join(site, to_rel))
                shutil.copy(os.path.join(ROOT, toml), os.path.join(site, "site.toml"))
            else:
                shutil.copytree(src, os.path.join(site, "content"))
            out = os.path.join(site, "out")
            r = subprocess.run([args.kiln, "build", "--root", site, "--output", out, "--no-cache"], capture_output=True, text=True)
            errors = len(re.findall(r"^error:", r.stderr, flags=re.M))
            panicked = "panicked" in r.stderr
            failed |= r.returncode != 0 or errors > 0 or panicked
            pages, counts = measure(out) if r.returncode == 0 else (0, {})
            results.append((name, r.returncode, errors, panicked, pages, counts))
    kinds = list(TEXT_KINDS) + ["raw component tags", "mermaid left as code", "code includes not found", "markdown attribute left", "math shown as source"]
    width = max(len(k) for k in kinds) + 2
    print("".ljust(width) + "".join(n[:16].rjust(18) for n, *_ in results))
    print("exit / errors".ljust(width) + "".join(f"{c} / {e}{' PANIC' if p else ''}".rjust(18) for _, c, e, p, _, _ in results))
    print("pages".ljust(width) + "".join(str(p).rjust(18) for *_, p, _ in results))
    for k in kinds:
        print(k.ljust(width) + "".join(str(c.get(k, "-")).rjust(18) for *_, c in results))
    for name, _, _, _, _, counts in results:
        for kind, n in counts.items():
            if n > ALLOWED.get((name, kind), 0):
                print(f"fidelity: {name}: {n} pages with {kind} (allowed {ALLOWED.get((name, kind), 0)})")
                failed = True
    return 1 if (args.check and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
