#!/usr/bin/env python3
"""Time and peak memory of `kiln build` on inputs made to blow up a naive implementation.

Each case is a one-article site written under target/bench/limits/<case>/; it is built
--no-cache into an empty folder RUNS times under /usr/bin/time, and the median wall time and
the largest peak RSS are printed. KILN_BIN picks the binary (default target/release/kiln).

    python3 scripts/bench-limits.py [RUNS]
"""
import os
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KILN = os.environ.get("KILN_BIN", os.path.join(ROOT, "target/release/kiln"))
OUT = os.path.join(ROOT, "target/bench/limits")


def cases():
    yield "100,000 identical headings", "---\ntitle: H\n---\n\n" + "## Solution\n\ntext\n\n" * 100_000
    yield "!!! nested 2,000 deep", "---\ntitle: M\n---\n\n" + "".join(
        "    " * i + "!!! note\n" for i in range(2000)) + "    " * 2000 + "deep\n"
    yield "2,000 nested colon fences", "---\ntitle: C\n---\n\n" + "".join(
        ":" * (2003 - i) + "note\n" for i in range(2000)) + "deep\n" + "".join(
        ":" * (4 + i) + "\n" for i in range(2000))
    yield "5,000 nested quotes", "---\ntitle: Q\n---\n\n" + ">" * 5000 + " deep\n"
    yield "3,000 nested list items", "---\ntitle: L\n---\n\n" + "".join("  " * i + "- item\n" for i in range(3000))
    yield "200 KB front matter of [", "---\ntitle: " + "[" * 200_000 + "\n---\n\nbody\n"
    yield "50,000 nested { in front matter", "---\ntitle: x\nextra: " + "{a: " * 50_000 + "\n---\n\nbody\n"


def measure(site):
    out = os.path.join(site, "public")
    shutil.rmtree(out, ignore_errors=True)
    r = subprocess.run(["/usr/bin/time", "-f", "%e %M", KILN, "build", "--no-cache", "--root", site],
                       capture_output=True, text=True)
    wall, rss = r.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, r.returncode


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"{'case':34} {'size':>9} {'median s':>9} {'peak MB':>8} exit")
    for n, (name, text) in enumerate(cases()):
        site = os.path.join(OUT, f"case{n}")
        os.makedirs(os.path.join(site, "content/a"), exist_ok=True)
        with open(os.path.join(site, "content/a/page.md"), "w") as f:
            f.write(text)
        results = [measure(site) for _ in range(runs)]
        wall = statistics.median(r[0] for r in results)
        rss = max(r[1] for r in results)
        print(f"{name:34} {len(text) / 1e6:7.1f}MB {wall:9.2f} {rss:8.0f} {results[0][2]}")


if __name__ == "__main__":
    main()
