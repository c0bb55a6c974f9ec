#!/usr/bin/env python3
"""Time two kiln binaries on the same generated knowledge base, taking turns.

    python3 scripts/bench-compare.py OLD_KILN NEW_KILN [--pages 10000] [--runs 5] [--cache]
                                     [--out DIR]

Each run is a cold build (`--no-cache`, or with `--cache` a first build with the cache on)
into an empty output folder (under `--out`, default target/; /dev/shm keeps the disk out
of it), after `sync`, under `/usr/bin/time -v`. The binaries take turns in ABBA order
(old new new old, ...), so a machine that drifts during the runs weighs on both alike.
Prints each run, the medians of wall time, CPU (user + system) and peak RSS, the ratio of
the medians, and the median of the ratios of each adjacent pair.
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")


def run(kiln, site, out, cache):
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(os.path.join(site, ".kiln-cache"), ignore_errors=True)
    subprocess.run(["sync"], check=True)
    args = ["/usr/bin/time", "-v", kiln, "build", "--root", site, "--output", out]
    if not cache:
        args.append("--no-cache")
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{kiln} failed:\n{r.stderr[-2000:]}")
    get = lambda pat: re.search(pat, r.stderr).group(1)
    wall = get(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)")
    parts = [float(p) for p in wall.split(":")]
    secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    cpu = float(get(r"User time \(seconds\): (\S+)")) + float(get(r"System time \(seconds\): (\S+)"))
    rss = int(get(r"Maximum resident set size \(kbytes\): (\d+)")) / 1024
    return secs, cpu, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache", action="store_true")
    ap.add_argument("--out", default=os.path.join(ROOT, "target"))
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="kiln-compare-", dir=os.path.join(ROOT, "target"))
    site = os.path.join(work, "kb")
    subprocess.run([sys.executable, GEN, "--pages", str(a.pages), "--seed", "42", "--out", site], check=True,
                   capture_output=True)
    os.makedirs(a.out, exist_ok=True)
    out = tempfile.mkdtemp(prefix="kiln-compare-out-", dir=a.out)
    results = {"old": [], "new": []}
    for i in range(a.runs):
        for label in (("old", "new") if i % 2 == 0 else ("new", "old")):
            wall, cpu, rss = run(os.path.abspath(getattr(a, label)), site, out, a.cache)
            results[label].append((wall, cpu, rss))
            print(f"run {i + 1} {label}: {wall:.2f} s wall, {cpu:.2f} s CPU, {rss:.0f} MB peak RSS", flush=True)
    shutil.rmtree(out, ignore_errors=True)
    med = {k: [statistics.median(x[j] for x in v) for j in range(3)] for k, v in results.items()}
    for k in ("old", "new"):
        print(f"median {k}: {med[k][0]:.2f} s wall, {med[k][1]:.2f} s CPU, {med[k][2]:.0f} MB")
    print("new/old, ratio of medians: wall {:.3f}, CPU {:.3f}, RSS {:.3f}".format(
        *(med["new"][j] / med["old"][j] for j in range(3))))
    pairs = [[n[j] / o[j] for o, n in zip(results["old"], results["new"])] for j in range(3)]
    print("new/old, median of pair ratios: wall {:.3f}, CPU {:.3f}, RSS {:.3f}".format(
        *(statistics.median(p) for p in pairs)))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
