#!/usr/bin/env python3
"""Soak of a running `ptsearch serve`: wrk in consecutive bounded chunks, the server's memory
after each chunk, optionally while `ptsearch index` adds documents to the served index.

Called by scripts/bench-serve (which starts the server and builds the request set); it can be
run by hand against any server on this machine:

  scripts/serve-soak.py --url http://127.0.0.1:PORT --pid SERVER_PID --paths mixed.paths \\
      --lua paths.lua --duration 600 --out target/bench-serve/N/soak

  # the same while 100,000 new documents are indexed into the served index, a commit every 10,000
  scripts/serve-soak.py ... --out .../ingest-soak --ingest new.pubtator --index INDEX \\
      --first-id 41000001 --ptsearch target/release/ptsearch --commit-every 10000

The load is wrk (the mixed request set, 8 connections, 2 threads) run as back-to-back chunks of
--chunk seconds: wrk reports only at the end of a run, so each chunk gives one point of
requests/s, p50, p99 and errors over time. After each chunk the server's VmRSS, RssAnon and
RssFile are read from /proc/PID/status (with 10-second chunks: every 10 s).

With --ingest, the indexer starts after a lead-in of chunks without ingest (the baseline). A
thread watches the index's meta.json every 50 ms: a new opstamp with more live documents is a
commit (a change that keeps the opstamp is a merge). The documents of the input are consecutive
IDs from --first-id, indexed in input order, so a commit that brings the live count to
BASE + k holds IDs up to first-id + k - 1; a second thread asks the server for that last ID
(`/api/v1/search?q=pmid:ID&limit=1`) every 100 ms, for at most 10 s after the commit, and
records the delay from the commit (meta.json's modification time) until the answer finds it.

Writes OUT.csv (one row per chunk), OUT.svg (memory and latency over time, commits as vertical
lines), OUT.md (the verdict lines, also printed), and with --ingest OUT-commits.csv and
OUT-indexer.log. Python 3 standard library only. Every wait is bounded.
"""

import argparse
import csv
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

PROBE_EVERY = 0.1  # s between visibility probes
PROBE_FOR = 10.0  # s after a commit before a probe gives up
META_EVERY = 0.05  # s between looks at meta.json


def log(msg):
    print(f"serve-soak: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# wrk


def to_ms(v):
    """wrk latency text (812.00us, 3.21ms, 1.02s, 2.00m) -> ms."""
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", v.strip())
    if not m:
        return float("nan")
    x, unit = float(m.group(1)), m.group(2)
    return x * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(text):
    """requests/s, p50, p99 (ms), requests, errors (non-2xx/3xx + socket errors) of wrk output."""
    out = {"rps": float("nan"), "p50": float("nan"), "p99": float("nan"), "requests": 0,
           "errors": 0}
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("Requests/sec:"):
            out["rps"] = float(s.split()[1])
        elif s.startswith("50%"):
            out["p50"] = to_ms(s.split()[1])
        elif s.startswith("99%"):
            out["p99"] = to_ms(s.split()[1])
        elif re.match(r"^\d+ requests in", s):
            out["requests"] = int(s.split()[0])
        elif s.startswith("Non-2xx or 3xx responses:"):
            out["errors"] += int(s.split()[-1])
        elif s.startswith("Socket errors:"):
            out["errors"] += sum(int(n) for n in re.findall(r"\d+", s))
    return out


def memory(pid):
    """VmRSS, RssAnon, RssFile of PID in MB (None when the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            kb = {}
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
                    kb[k] = int(v.split()[0])
        return {k: v / 1024 for k, v in kb.items()}
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------
# ingest: indexer, commit watcher, visibility prober


def live_docs(meta):
    n = 0
    for seg in meta.get("segments", []):
        n += seg.get("max_doc", 0)
        d = seg.get("deletes")
        if d:
            n -= d.get("num_deleted_docs", 0)
    return n


def segments(path):
    try:
        with open(path) as f:
            return len(json.load(f).get("segments", []))
    except (OSError, ValueError):
        return -1


def read_meta(path):
    """(stat, opstamp, live documents) of meta.json, or None while it is being replaced."""
    try:
        st = os.stat(path)
        with open(path) as f:
            meta = json.load(f)
        return st, meta.get("opstamp"), live_docs(meta)
    except (OSError, ValueError):
        return None


class Ingest:
    def __init__(self, args, url, t0):
        self.args = args
        self.url = url
        self.t0 = t0
        self.meta_path = os.path.join(args.index, "meta.json")
        self.commits = []  # dicts, appended by the watcher, completed by the prober
        self.merges = []  # times (s since t0) of meta.json changes that kept the opstamp
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.proc = None
        self.started = None
        self.ended = None
        self.status = None
        first = read_meta(self.meta_path)
        if first is None:
            sys.exit(f"serve-soak: cannot read {self.meta_path}")
        self.base = first[2]
        self.segments_before = segments(self.meta_path)
        self.last = first
        self.threads = []

    def start(self):
        a = self.args
        cmd = [a.ptsearch, "--index", a.index, "index", "--quiet", "--no-resume",
               "--commit-every", str(a.commit_every)]
        if a.ingest_nice:
            cmd = ["nice", "-n", str(a.ingest_nice)] + cmd
        if a.ingest_threads:
            cmd += ["--threads", str(a.ingest_threads)]
        cmd.append(a.ingest)
        log("indexer: " + " ".join(cmd))
        self.logf = open(a.out + "-indexer.log", "w")
        self.started = time.time()
        self.proc = subprocess.Popen(cmd, stdout=self.logf, stderr=subprocess.STDOUT)
        for target in (self.watch, self.probe, self.reap):
            t = threading.Thread(target=target, daemon=True)
            t.start()
            self.threads.append(t)

    def reap(self):
        """Records when the indexer ends (bounded by the main loop's --timeout, which kills it)."""
        status = self.proc.wait()
        self.ended = time.time()
        self.status = status
        log(f"indexer exited with status {status} after {self.ended - self.started:.1f} s")

    def running(self):
        return self.proc is not None and self.ended is None

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        for _ in range(50):  # let reap() record the end
            if self.proc is None or self.ended is not None:
                break
            time.sleep(0.1)

    def watch(self):
        prev = self.last
        while not self.stop.is_set():
            time.sleep(META_EVERY)
            st = None
            try:
                st = os.stat(self.meta_path)
            except OSError:
                continue
            ps = prev[0]
            if (st.st_ino, st.st_size, st.st_mtime_ns) == (ps.st_ino, ps.st_size, ps.st_mtime_ns):
                continue
            cur = read_meta(self.meta_path)
            if cur is None:
                continue
            now = time.time()
            t_file = cur[0].st_mtime_ns / 1e9
            if cur[1] != prev[1] and cur[2] > prev[2]:
                k = cur[2] - self.base
                c = {"n": len(self.commits) + 1, "t": t_file - self.t0,
                     "detected": now - self.t0, "documents": k,
                     "last_id": self.args.first_id + k - 1, "visible": None, "probes": 0}
                with self.lock:
                    self.commits.append(c)
                log(f"commit {c['n']}: {k} new documents, last ID {c['last_id']}")
            elif cur[1] == prev[1]:
                self.merges.append(t_file - self.t0)
            prev = cur

    def visible(self, doc_id):
        u = f"{self.url}/api/v1/search?q=pmid:{doc_id}&limit=1"
        try:
            with urllib.request.urlopen(u, timeout=5) as r:
                return json.load(r).get("total_hits", 0) > 0
        except (OSError, ValueError, urllib.error.URLError):
            return False

    def probe(self):
        while not self.stop.is_set():
            with self.lock:
                pending = [c for c in self.commits if c["visible"] is None]
            for c in pending:
                if self.visible(c["last_id"]):
                    c["visible"] = time.time() - self.t0
                    c["delay"] = c["visible"] - c["t"]
                    log(f"commit {c['n']}: ID {c['last_id']} visible {c['delay']:.2f} s after "
                        f"the commit")
                else:
                    c["probes"] += 1
                    if time.time() - self.t0 - c["t"] > PROBE_FOR:
                        c["visible"] = float("nan")
                        c["delay"] = float("nan")
                        log(f"commit {c['n']}: ID {c['last_id']} not visible {PROBE_FOR:.0f} s "
                            f"after the commit")
            time.sleep(PROBE_EVERY)

    def finish(self):
        """Stops the threads once every commit is decided (bounded by PROBE_FOR)."""
        deadline = time.time() + PROBE_FOR + 2
        while time.time() < deadline:
            with self.lock:
                if all(c["visible"] is not None for c in self.commits):
                    break
            time.sleep(PROBE_EVERY)
        self.stop.set()
        for t in self.threads:
            t.join(PROBE_FOR)


# ---------------------------------------------------------------------------------------------
# SVG plots: scripts/soak_svg.py (beside this script, on its import path).

from soak_svg import svg_plot  # noqa: E402


# ---------------------------------------------------------------------------------------------
# main


def median(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")


def slope_per_hour(pts):
    """Least-squares slope of (s, MB) points, in MB per hour."""
    if len(pts) < 2:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    if sxx == 0:
        return float("nan")
    return 3600 * sum((x - mx) * (y - my) for x, y in pts) / sxx


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    ap.add_argument("--pid", type=int, required=True, help="the server's process ID")
    ap.add_argument("--paths", required=True, help="request targets, one a line")
    ap.add_argument("--lua", required=True, help="wrk script reading PATHS (bench-serve's)")
    ap.add_argument("--duration", type=float, default=600,
                    help="seconds of load (with --ingest: at least; see --tail)")
    ap.add_argument("--chunk", type=float, default=10, help="seconds per wrk run (default 10)")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--warmup", type=float, default=None,
                    help="seconds left out of the RSS and p99 verdicts (default 60, or a fifth "
                         "of --duration when that is shorter)")
    ap.add_argument("--out", required=True, help="output prefix (OUT.csv, OUT.svg, OUT.md)")
    ap.add_argument("--title", default="ptsearch serve soak")
    ing = ap.add_argument_group("soak while indexing")
    ing.add_argument("--ingest", help="PubTator file of new documents to index during the soak")
    ing.add_argument("--index", help="the served index directory")
    ing.add_argument("--ptsearch", help="the ptsearch binary")
    ing.add_argument("--first-id", type=int, help="the first (consecutive) ID of --ingest")
    ing.add_argument("--commit-every", type=int, default=10000)
    ing.add_argument("--ingest-threads", type=int, default=0,
                     help="indexing threads (default: the indexer's own, one per core)")
    ing.add_argument("--ingest-nice", type=int, default=0,
                     help="run the indexer under `nice -n N` (0: at the server's priority)")
    ing.add_argument("--lead-in", type=float, default=None,
                     help="seconds of load before the indexer starts (default 30, or a sixth "
                          "of a --duration shorter than 180 s)")
    ing.add_argument("--tail", type=float, default=30,
                     help="seconds of load kept after the indexer ends (default 30)")
    ing.add_argument("--timeout", type=float, default=3600,
                     help="the indexer is stopped after this many seconds (default 3600)")
    a = ap.parse_args()
    if a.ingest and not (a.index and a.ptsearch and a.first_id):
        ap.error("--ingest needs --index, --ptsearch and --first-id")
    warmup = a.warmup if a.warmup is not None else min(60.0, a.duration / 5)
    lead_in = a.lead_in if a.lead_in is not None else (
        min(30.0, a.duration / 6) if a.duration > 0 else 30.0)

    wrk = None
    ingest = None

    def on_term(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)

    t0 = time.time()
    rows = []
    env = dict(os.environ, PATHS=a.paths)
    try:
        if a.ingest:
            ingest = Ingest(a, a.url, t0)
        while True:
            now = time.time() - t0
            if ingest is not None:
                if ingest.proc is None and now >= lead_in:
                    ingest.start()
                if ingest.running() and time.time() - ingest.started > a.timeout:
                    log(f"indexer still running after {a.timeout:.0f} s: stopping it")
                    ingest.kill()
                done_ingest = ingest.ended is not None and time.time() - ingest.ended >= a.tail
                if now >= a.duration and done_ingest:
                    break
            elif now >= a.duration - 0.5:
                break
            secs = max(1, round(a.chunk))
            if ingest is None:
                secs = max(1, min(secs, round(a.duration - now)))
            c0 = time.time()
            wrk = subprocess.Popen(
                ["wrk", "-t", str(a.threads), "-c", str(a.connections), "-d", f"{secs}s",
                 "--latency", "--timeout", "10s", "-s", a.lua, a.url],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
            try:
                text, _ = wrk.communicate(timeout=secs + 60)
            except subprocess.TimeoutExpired:
                wrk.kill()
                text, _ = wrk.communicate()
                text += "\n(wrk killed after its time)"
            wrk = None
            c1 = time.time()
            r = parse_wrk(text)
            mem = memory(a.pid)
            if mem is None:
                log("the server is gone")
                r["errors"] += 1
                mem = {}
            row = {"t_start": round(c0 - t0, 2), "t": round(c1 - t0, 2),
                   "rss_mb": round(mem.get("VmRSS", float("nan")), 1),
                   "anon_mb": round(mem.get("RssAnon", float("nan")), 1),
                   "file_mb": round(mem.get("RssFile", float("nan")), 1),
                   "rps": r["rps"], "p50_ms": round(r["p50"], 2), "p99_ms": round(r["p99"], 2),
                   "requests": r["requests"], "errors": r["errors"]}
            if ingest is not None:
                imem = memory(ingest.proc.pid) if ingest.running() else None
                row["indexer_rss_mb"] = round(imem["VmRSS"], 1) if imem else ""
                row["indexing"] = int(ingest.started is not None and c1 >= ingest.started
                                      and (ingest.ended is None or c0 <= ingest.ended))
            rows.append(row)
            if r["errors"] or r["requests"] == 0:
                log(f"chunk at {row['t']:.0f} s: {r['errors']} errors, {r['requests']} requests")
                with open(a.out + "-errors.log", "a") as f:
                    f.write(f"--- chunk {row['t_start']}..{row['t']} s\n{text}\n")
            if len(rows) % 6 == 0:
                log(f"{row['t']:.0f} s: {r['rps']:.0f} requests/s, p99 {r['p99']:.1f} ms, "
                    f"RSS {row['rss_mb']:.0f} MB")
            if mem == {}:
                break
        if ingest is not None:
            ingest.finish()
    finally:
        if wrk is not None and wrk.poll() is None:
            wrk.kill()
        if ingest is not None:
            ingest.stop.set()
            ingest.kill()

    report(a, rows, ingest, warmup, lead_in)


def report(a, rows, ingest, warmup, lead_in):
    cols = ["t_start", "t", "rss_mb", "anon_mb", "file_mb", "rps", "p50_ms", "p99_ms",
            "requests", "errors"]
    if ingest is not None:
        cols += ["indexer_rss_mb", "indexing", "commits"]
        for r in rows:
            r["commits"] = sum(1 for c in ingest.commits if r["t_start"] <= c["t"] <= r["t"])
    with open(a.out + ".csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)

    lines = []
    total = rows[-1]["t"] if rows else 0
    requests = sum(r["requests"] for r in rows)
    errors = sum(r["errors"] for r in rows)
    lines.append(f"{a.title}: {total:.0f} s in {len(rows)} chunks of {a.chunk:g} s, "
                 f"{a.connections} connections, {requests} requests "
                 f"({requests / total if total else 0:.0f}/s), {errors} errors.")
    verdicts = []
    verdicts.append(("errors", errors == 0, f"{errors} errors (non-2xx answers and socket "
                                             f"errors) in {requests} requests"))
    after = [r for r in rows if r["t_start"] >= warmup]
    if ingest is None:
        for key, name, what in (("rss_mb", "RSS flat", "RSS"),
                                ("anon_mb", "anonymous memory flat", "anonymous memory")):
            pts = [(r["t"], r[key]) for r in after if r[key] == r[key]]
            if not pts:
                verdicts.append((name, False, f"no sample after the {warmup:g} s warm-up"))
                continue
            ref = pts[0][1]
            lo, hi = min(y for _, y in pts), max(y for _, y in pts)
            dev = max(abs(lo - ref), abs(hi - ref)) / ref * 100
            trend = (f"trend {slope_per_hour(pts):+.0f} MB/hour" if pts[-1][0] - pts[0][0] >= 120
                     else "too short for a trend")
            verdicts.append((
                name, dev <= 10,
                f"after the {warmup:g} s warm-up {what} stays within {dev:.1f}% of its first "
                f"value {ref:.0f} MB (rule: ±10%): {lo:.0f}–{hi:.0f} MB, last {pts[-1][1]:.0f} "
                f"MB, {trend}"))
        n = len(after) // 3
        if n >= 1:
            first = median(r["p99_ms"] for r in after[:n])
            last = median(r["p99_ms"] for r in after[-n:])
            verdicts.append((
                "p99 stable", last <= 1.5 * first,
                f"median chunk p99 of the last third after warm-up {last:.1f} ms vs the first "
                f"third {first:.1f} ms = {last / first:.2f}× (rule: ≤ 1.5×); highest chunk p99 "
                f"{max(r['p99_ms'] for r in after):.1f} ms, median p50 "
                f"{median(r['p50_ms'] for r in after):.1f} ms"))
        else:
            verdicts.append(("p99 stable", False, "fewer than 3 chunks after warm-up"))
    else:
        c = ingest.commits
        base = [r for r in rows if not r["indexing"]
                and (ingest.started is None or r["t_start"] < ingest.started - ingest.t0)]
        during = [r for r in rows if r.get("indexing")]
        at_commit = [r for r in rows if r["commits"]]
        post = [r for r in rows if ingest.ended is not None and r["t_start"] >= ingest.ended - ingest.t0]
        added = c[-1]["documents"] if c else 0
        took = (ingest.ended - ingest.started) if ingest.ended and ingest.started else float("nan")
        lines.append(f"Indexer: {added} documents committed in {len(c)} commits (every "
                     f"{a.commit_every}), {len(ingest.merges)} other meta.json changes (merges) "
                     f"seen, ran {took:.1f} s, exit status {ingest.status}; load started "
                     f"{lead_in:g} s before it; segments {ingest.segments_before} before, "
                     f"{segments(ingest.meta_path)} after.")
        ok_ingest = ingest.status == 0 and added > 0
        verdicts.append(("indexer", ok_ingest,
                         f"exit status {ingest.status}, {added} new documents visible in "
                         f"meta.json"))
        delays = [x["delay"] for x in c if x.get("delay") == x.get("delay")]
        missing = [x for x in c if x.get("delay") != x.get("delay")]
        if c:
            mx = max(delays) if delays else float("nan")
            verdicts.append((
                "visible ≤ 2 s", not missing and mx <= 2.0,
                f"the last ID of each commit found by the server {median(delays):.2f} s "
                f"(median) / {mx:.2f} s (max) after the commit; {len(missing)} of {len(c)} "
                f"not found within {PROBE_FOR:g} s (probe every {PROBE_EVERY * 1000:.0f} ms)"))
        else:
            verdicts.append(("visible ≤ 2 s", False, "no commit seen"))
        p99c = max((r["p99_ms"] for r in at_commit), default=float("nan"))
        verdicts.append((
            "p99 during commits ≤ 200 ms", p99c <= 200,
            f"highest p99 of the {len(at_commit)} chunks holding a commit {p99c:.1f} ms (median "
            f"{median(r['p99_ms'] for r in at_commit):.1f} ms); every chunk while indexing: "
            f"median p99 {median(r['p99_ms'] for r in during):.1f} ms, highest "
            f"{max((r['p99_ms'] for r in during), default=float('nan')):.1f} ms, median "
            f"{median(r['rps'] for r in during):.0f} requests/s; before indexing: median p99 "
            f"{median(r['p99_ms'] for r in base):.1f} ms, {median(r['rps'] for r in base):.0f} "
            f"requests/s; after: median p99 {median(r['p99_ms'] for r in post):.1f} ms"))
        rb = base[-1]["rss_mb"] if base else float("nan")
        peak = max((r["rss_mb"] for r in rows), default=float("nan"))
        end = rows[-1]["rss_mb"] if rows else float("nan")
        anon_b = base[-1]["anon_mb"] if base else float("nan")
        anon_e = rows[-1]["anon_mb"] if rows else float("nan")
        lines.append(f"Server RSS: {rb:.0f} MB before indexing, peak {peak:.0f} MB, "
                     f"{end:.0f} MB at the end (anonymous {anon_b:.0f} → {anon_e:.0f} MB; the "
                     f"file-backed part grows with the index's new segments).")
        with open(a.out + "-commits.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["commit", "t_commit", "t_detected", "new_documents", "last_id",
                        "t_visible", "delay_s"])
            for x in c:
                w.writerow([x["n"], round(x["t"], 3), round(x["detected"], 3), x["documents"],
                            x["last_id"], round(x["visible"], 3) if x["visible"] else "",
                            round(x.get("delay", float("nan")), 3)])
    for name, ok, text in verdicts:
        lines.append(f"- {'PASS' if ok else 'FAIL'} {name}: {text}")
    lines.append(f"(Files: {a.out}.csv, {a.out}.svg"
                 + (f", {a.out}-commits.csv, {a.out}-indexer.log" if ingest else "") + ")")
    with open(a.out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))

    # The plot.
    x_max = max(total, 1)
    # Memory is sampled at the end of each chunk; latency and throughput hold for a whole chunk.
    mem_series = [("VmRSS", "#1f77b4", [(r["t"], r["rss_mb"]) for r in rows], None),
                  ("anonymous", "#2ca02c", [(r["t"], r["anon_mb"]) for r in rows], "5,3")]
    if ingest is not None:
        mem_series.append(("indexer VmRSS", "#9467bd",
                           [(r["t"], r["indexer_rss_mb"]) for r in rows
                            if r["indexer_rss_mb"] != ""], "2,2"))
    def chunks(key):
        return [(r["t_start"], r["t"], r[key]) for r in rows]

    panels = [{"label": "server memory (MB)", "series": mem_series},
              {"label": "latency per chunk (ms)",
               "series": [("p99", "#d62728" if ingest is None else "#ff7f0e", chunks("p99_ms"),
                           None, True),
                          ("p50", "#7f7f7f", chunks("p50_ms"), "5,3", True)],
               "hline": (200.0, "200 ms") if ingest is not None else None},
              {"label": "requests/s per chunk",
               "series": [("requests/s", "#17becf", chunks("rps"), None, True),
                          ("errors", "#d62728", chunks("errors"), "2,2", True)]}]
    vlines, vlines2, spans = [], [], []
    if ingest is None and warmup > 0:
        spans.append((0, min(warmup, x_max), "warm-up"))
    if ingest is not None:
        vlines = [(x["t"], "") for x in ingest.commits]
        vlines2 = [(t, "") for t in ingest.merges]
        if ingest.started:
            end = (ingest.ended or time.time()) - ingest.t0
            spans.append((ingest.started - ingest.t0, end, "indexing"))
        delays = [(x["t"], x["delay"]) for x in ingest.commits if x.get("delay") == x.get("delay")]
        panels.insert(2, {"label": "visible after commit (s)",
                          "series": [("delay", "#d62728", delays, None)],
                          "hline": (2.0, "2 s")})
    subtitle = "; ".join(f"{'PASS' if ok else 'FAIL'} {name}" for name, ok, _ in verdicts)
    svg_plot(a.out + ".svg", a.title + f" ({a.connections} connections, "
             f"{a.chunk:g} s chunks)", subtitle, x_max, panels, vlines, vlines2, spans)


if __name__ == "__main__":
    main()
