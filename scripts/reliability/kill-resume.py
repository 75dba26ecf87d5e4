#!/usr/bin/env python3
"""R1: kill -9 `ptsearch index` at random moments (including inside commits), then re-run the
same command (which resumes from the last checkpoint), RUNS times. Reports documents lost and
duplicated, `check` failures, orphan bytes, and whether the top-10 of a few queries equals a
clean build. Usage: scripts/reliability/kill-resume.py [RUNS] [DOCS]"""
import json, os, random, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target/release/ptsearch")  # copied to a private path in main()
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 50
DOCS = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
QUERIES = ["cancer", "patients", "*", "type:Gene"]
FLAGS = ["--quiet", "--commit-every", "500", "--memory", "64"]


def pt(index, *args):
    return subprocess.run([BIN, "--index", index, *args], capture_output=True, text=True)


def top10(index, q):
    out = pt(index, "search", "--format", "tsv", "-n", "10", q).stdout
    return [l.split("\t")[1] for l in out.splitlines()[1:]]


def main():
    global BIN
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp()
    # A private copy, so a rebuild during the (long) run cannot swap the binary under it.
    shutil.copy(BIN, os.path.join(work, "ptsearch"))
    BIN = os.path.join(work, "ptsearch")
    corpus = os.path.join(work, "corpus.pubtator")
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts/gen-corpus"), "--docs", str(DOCS),
                    "--seed", "3", "--quiet", "--out", corpus], check=True)
    clean = os.path.join(work, "clean")
    t = time.time()
    subprocess.run([BIN, "--index", clean, "index", *FLAGS, corpus], check=True)
    clean_s = time.time() - t
    want = {q: top10(clean, q) for q in QUERIES}
    rng = random.Random(42)
    res = dict(runs=0, killed_mid_run=0, lost=0, duplicated=0, check_failures=0, orphan_bytes=0, top10_diffs=0)
    for i in range(RUNS):
        index = os.path.join(work, f"run{i}")
        p = subprocess.Popen([BIN, "--index", index, "index", *FLAGS, corpus],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, clean_s))
        if p.poll() is None:
            res["killed_mid_run"] += 1
        p.kill()
        p.wait()
        r = subprocess.run([BIN, "--index", index, "index", *FLAGS, corpus], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        docs = json.loads(pt(index, "stats", "--format", "json").stdout)["documents"]
        res["lost"] += max(0, DOCS - docs)
        res["duplicated"] += max(0, docs - DOCS)
        report = json.loads(pt(index, "check", "--format", "json").stdout)
        res["check_failures"] += 1 if report["problems"] else 0
        res["orphan_bytes"] += report["orphan_bytes"]
        res["top10_diffs"] += sum(1 for q in QUERIES if top10(index, q) != want[q])
        res["runs"] += 1
        shutil.rmtree(index)
        print(f"run {i + 1}/{RUNS}: {docs} docs", file=sys.stderr)
    shutil.rmtree(work)
    res.update(docs=DOCS, clean_ingest_s=round(clean_s, 2))
    print(json.dumps(res, indent=2))
    ok = res["lost"] == res["duplicated"] == res["check_failures"] == res["orphan_bytes"] == res["top10_diffs"] == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
