#!/usr/bin/env python3
"""Save-to-reload latency of `kiln serve` (issue 4).

Starts `kiln serve` on a generated site, subscribes to its event stream like an open page,
then appends a line to one article's body N times and measures, per save, the time from
the write to (a) the `reload` event naming that page and (b) the reloaded page's HTML
fetched with the new text. Prints p50/p95 and the initial full build time.

    python3 scripts/serve-latency.py target/bench/kb-10000 [saves]
"""
import os, re, socket, statistics, subprocess, sys, threading, time, queue, glob

site = sys.argv[1]
saves = int(sys.argv[2]) if len(sys.argv) > 2 else 20
kiln = os.path.join(os.path.dirname(__file__), "..", "target", "release", "kiln")
proc = subprocess.Popen([kiln, "serve", "--port", "0", "--root", site], stdout=subprocess.PIPE, text=True)
lines = queue.Queue()
threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True).start()
addr, initial = None, None
while addr is None:
    l = lines.get(timeout=600)
    m = re.search(r"rebuilt the whole site \((\d+) pages\) in (\d+) ms", l)
    if m:
        initial = int(m.group(2))
    m = re.search(r"serving http://([\d.:]+)/", l)
    if m:
        addr = m.group(1)
host, port = addr.split(":")

events = queue.Queue()
def listen():
    s = socket.create_connection((host, int(port)))
    s.sendall(f"GET /__kiln/events HTTP/1.1\r\nHost: {addr}\r\n\r\n".encode())
    buf = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return
        buf += chunk
        for line in buf.split(b"\n")[:-1]:
            if line.startswith(b"data: "):
                events.put((time.perf_counter(), line[6:].decode()))
        buf = buf.split(b"\n")[-1]
threading.Thread(target=listen, daemon=True).start()
time.sleep(0.5)

def get(path):
    s = socket.create_connection((host, int(port)))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        c = s.recv(1 << 20)
        if not c:
            return data.decode("utf-8", "replace")
        data += c

article = sorted(glob.glob(os.path.join(site, "content", "*", "*", "*.md")))[len(glob.glob(os.path.join(site, "content", "*", "*", "*.md"))) // 2]
rel = os.path.relpath(article, os.path.join(site, "content"))
url = "/" + rel[:-3] + "/"
original = open(article).read()
to_event, to_page = [], []
try:
    for i in range(saves):
        while not events.empty():
            events.get()
        marker = f"latency-marker-{i}-{time.time_ns()}"
        t0 = time.perf_counter()
        with open(article, "w") as f:
            f.write(original + f"\n{marker}\n")
        while True:
            t, data = events.get(timeout=60)
            if url in data:
                break
        to_event.append((t - t0) * 1000)
        html = get(url)
        to_page.append((time.perf_counter() - t0) * 1000)
        assert marker in html, "reloaded page lacks the edit"
        time.sleep(1.0)  # let the search index update finish before the next save
finally:
    open(article, "w").write(original)
    time.sleep(3)
    proc.terminate()

search_ms, search_files = [], []
while not lines.empty():
    m = re.search(r"search index \((\d+) files\) updated in (\d+) ms", lines.get())
    if m:
        search_files.append(int(m.group(1)))
        search_ms.append(int(m.group(2)))

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
print(f"article: {rel}; saves: {saves}; initial full build in memory: {initial} ms")
print(f"save -> reload event: p50 {pct(to_event, 50):.0f} ms, p95 {pct(to_event, 95):.0f} ms")
print(f"save -> reloaded page fetched: p50 {pct(to_page, 50):.0f} ms, p95 {pct(to_page, 95):.0f} ms")
if search_ms:
    print(f"search index update after each save: p50 {pct(search_ms, 50)} ms, p95 {pct(search_ms, 95)} ms, "
          f"files rewritten p50 {pct(search_files, 50)}")
