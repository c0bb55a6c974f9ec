#!/usr/bin/env python3
"""Build the icon table the Markdown stage reads for icon shortcodes.

    python3 scripts/icons.py DIR

DIR holds the unpacked npm packages (`npm pack` then `tar xzf`, each into DIR/<name>/):
@mdi/svg (Apache-2.0), @primer/octicons (MIT), @fortawesome/fontawesome-free (icons
CC BY 4.0) and simple-icons (CC0). Writes vendor/icons/icons.tsv.gz, one
icon a line: `<shortcode name>\\t<viewBox>\\t<inner SVG>`, named as MkDocs Material names
them (`material-account`, `octicons-mark-github-16`, `fontawesome-brands-github`,
`simple-github`), and copies each set's licence beside it.
"""
import glob, gzip, os, re, shutil, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "vendor", "icons")


def find(base, pattern):
    hits = glob.glob(os.path.join(base, "**", pattern), recursive=True)
    if not hits:
        sys.exit(f"icons: nothing matches {pattern} under {base}")
    return hits[0]


def read_svg(path):
    svg = open(path, encoding="utf-8").read()
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"<title>.*?</title>", "", svg, flags=re.S)
    view = re.search(r'viewBox="([^"]+)"', svg).group(1)
    inner = re.sub(r"^.*?<svg[^>]*>|</svg>\s*$", "", svg.strip(), flags=re.S).strip()
    inner = re.sub(r'\s*fill="currentColor"', "", inner)
    inner = re.sub(r"\s+", " ", inner).replace("\t", " ")
    return view, inner


def main():
    src = sys.argv[1]
    sets = [
        ("material", find(src, "mdi-svg-*/package/svg"), "*.svg", "LICENSE"),
        ("octicons", find(src, "primer-octicons-*/package/build/svg"), "*.svg", "LICENSE"),
        ("simple", find(src, "simple-icons-*/package/icons"), "*.svg", "LICENSE.md"),
    ]
    fa = find(src, "*fontawesome-free-*/package/svgs")
    rows = []
    for prefix, folder, glob_, _ in sets:
        for f in sorted(glob.glob(os.path.join(folder, glob_))):
            view, inner = read_svg(f)
            rows.append(f"{prefix}-{os.path.basename(f)[:-4]}\t{view}\t{inner}")
    for style in ("brands", "regular", "solid"):
        for f in sorted(glob.glob(os.path.join(fa, style, "*.svg"))):
            view, inner = read_svg(f)
            rows.append(f"fontawesome-{style}-{os.path.basename(f)[:-4]}\t{view}\t{inner}")
    os.makedirs(OUT, exist_ok=True)
    with gzip.open(os.path.join(OUT, "icons.tsv.gz"), "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("\n".join(rows) + "\n")
    for prefix, folder, _, lic in sets:
        shutil.copy(find(os.path.dirname(os.path.dirname(folder)) if prefix == "octicons" else os.path.dirname(folder), lic),
                    os.path.join(OUT, f"LICENSE-{prefix}"))
    shutil.copy(find(os.path.dirname(fa), "LICENSE.txt"), os.path.join(OUT, "LICENSE-fontawesome"))
    print(f"icons: {len(rows)} icons, {os.path.getsize(os.path.join(OUT, 'icons.tsv.gz'))} bytes")


if __name__ == "__main__":
    main()
