"""The parts of scripts/quickwit-check: the query lists of tests/it/translate (read from
the Rust sources), ptsearch and Quickwit REST calls, and the comparisons with their
explanations. Python 3 standard library only."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INDEX_ID = "ptsearch"
# Quickwit refuses ingest bodies over 10 MiB: stay well below.
CHUNK_BYTES = 8 * 1024 * 1024

def die(msg):
    print(f"quickwit-check: {msg}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------------------------------------
# The query lists of tests/it/translate, read from the Rust sources.

RUST_STR = re.compile(r'r#"(.*?)"#|"((?:[^"\\]|\\.)*)"', re.S)


def rust_strings(text):
    out = []
    for m in RUST_STR.finditer(text):
        if m.group(1) is not None:
            out.append(m.group(1))
        else:
            out.append(bytes(m.group(2), "utf-8").decode("unicode_escape"))
    return out


def const_block(src, name):
    """The text of `const NAME: ... = &[ ... ];` (up to the closing `];`)."""
    m = re.search(r"const " + name + r"\b[^=]*=\s*&\[", src)
    if not m:
        die(f"no const {name} in tests/it/translate")
    depth, i = 1, m.end()
    while depth and i < len(src):
        if src.startswith("//", i):
            i = src.index("\n", i)
            continue
        lit = RUST_STR.match(src, i) if src[i] in "r\"" else None
        if lit:
            i = lit.end()
            continue
        depth += {"[": 1, "]": -1}.get(src[i], 0)
        i += 1
    # Drop comments (they hold quotes).
    body = "\n".join(l for l in src[m.end():i - 1].splitlines()
                     if not l.strip().startswith("//"))
    return body


def tokens(block):
    """String literals (as ("s", value)) and brackets of a Rust const block, in order."""
    out, i = [], 0
    while i < len(block):
        m = RUST_STR.match(block, i)
        if m and block[i] in "r\"":
            v = m.group(1) if m.group(1) is not None else \
                bytes(m.group(2), "utf-8").decode("unicode_escape")
            out.append(("s", v))
            i = m.end()
            continue
        if block[i] in "()[]":
            out.append((block[i], None))
        i += 1
    return out


def tuple_firsts(block):
    """The first string of every top-level `(first, ...)` tuple of a const block."""
    out, depth, fresh = [], 0, False
    for kind, value in tokens(block):
        if kind in "([":
            depth += 1
            fresh = depth == 1 and kind == "("
        elif kind in ")]":
            depth -= 1
            fresh = False
        elif fresh:
            out.append(value)
            fresh = False
    return out


def tokenizer_differs(block):
    """(query, [ids only ptsearch finds]) of TOKENIZER_DIFFERS."""
    out = []
    for m in re.finditer(r'\(\s*(r#".*?"#|"(?:[^"\\]|\\.)*")\s*,\s*&\[(.*?)\]\s*\)', block, re.S):
        q = rust_strings(m.group(1))[0]
        out.append((q, rust_strings(m.group(2))))
    return out


def test_queries():
    d = os.path.join(ROOT, "tests", "it", "translate")
    mod = open(os.path.join(d, "mod.rs"), encoding="utf-8").read()
    emu = open(os.path.join(d, "emulation.rs"), encoding="utf-8").read()
    scale = open(os.path.join(d, "scale.rs"), encoding="utf-8").read()
    golden = tuple_firsts(const_block(mod, "GOLDEN"))
    same = rust_strings(const_block(emu, "SAME"))
    tok = tokenizer_differs(const_block(emu, "TOKENIZER_DIFFERS"))
    prefix = rust_strings(const_block(emu, "PREFIX"))
    ids = rust_strings(const_block(scale, "ID_QUERIES"))
    xml = re.search(r'PUBMED_XML: &str = r#"(.*?)"#;', mod, re.S)
    if not golden or not same or not tok or not xml:
        die("could not read the query lists of tests/it/translate")
    return {"golden": golden, "same": same, "tokenizer": tok, "prefix": prefix, "ids": ids,
            "pubmed_xml": xml.group(1)}


# ---------------------------------------------------------------------------------------------
# ptsearch

class Ptsearch:
    def __init__(self, binary, index):
        self.bin = binary
        self.index = index

    def run(self, args, check=True, timeout=600):
        p = subprocess.run([self.bin, "--index", self.index] + args, capture_output=True,
                           text=True, timeout=timeout)
        if check and p.returncode not in (0, 1):
            raise RuntimeError(f"ptsearch {' '.join(args)}: exit {p.returncode}: {p.stderr}")
        return p

    def ids(self, query, sort=None, limit=None):
        args = ["search", "--format", "tsv"]
        args += ["--all"] if limit is None else ["-n", str(limit)]
        if sort:
            args += ["--sort", sort]
        p = self.run(args + ["--", query])
        return [l.split("\t")[1] for l in p.stdout.splitlines()[1:] if "\t" in l]

    def facets(self, query, top):
        p = self.run(["search", "--format", "json", "-n", "0", "--facets", "--facet-top",
                      str(top), "--", query])
        lines = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
        return lines[-1]["data"] if lines else {}

    def translate(self, query, extra=()):
        p = self.run(["translate", "--to", "quickwit"] + list(extra) + ["--", query],
                     check=False)
        if p.returncode != 0:
            return None, p.stderr.strip()
        return json.loads(p.stdout), p.stderr.strip()


# ---------------------------------------------------------------------------------------------
# Quickwit REST

def http(method, url, body=None, ctype="application/json", timeout=120):
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def search(node, body):
    code, out = http("POST", f"{node}/api/v1/{INDEX_ID}/search", body)
    if code != 200:
        return None, f"HTTP {code}: {out[:300].decode(errors='replace')}"
    return json.loads(out), None


def count(node):
    res, err = search(node, {"query": "*", "max_hits": 0})
    return -1 if err else res["num_hits"]


def recreate_index(node):
    http("DELETE", f"{node}/api/v1/indexes/{INDEX_ID}")
    yaml = open(os.path.join(ROOT, "schema", "quickwit-index.yaml"), "rb").read()
    code, out = http("POST", f"{node}/api/v1/indexes", yaml, ctype="application/yaml")
    if code != 200:
        die(f"index create: HTTP {code}: {out[:500].decode(errors='replace')}")


def ingest(node, ndjson_path, timeout):
    """Posts the NDJSON in requests under CHUNK_BYTES (the last with commit=force); retries a
    429 (rate limited) with a bounded backoff. Returns (requests, retries)."""
    chunks, cur, size = [], [], 0
    with open(ndjson_path, "rb") as f:
        for line in f:
            if size + len(line) > CHUNK_BYTES and cur:
                chunks.append(b"".join(cur))
                cur, size = [], 0
            cur.append(line)
            size += len(line)
    if cur:
        chunks.append(b"".join(cur))
    retries = 0
    deadline = time.time() + timeout
    for n, chunk in enumerate(chunks):
        last = n == len(chunks) - 1
        url = f"{node}/api/v1/{INDEX_ID}/ingest" + ("?commit=force" if last else "")
        delay = 0.5
        while True:
            code, out = http("POST", url, chunk, ctype="application/x-ndjson",
                             timeout=max(1, deadline - time.time()))
            if code == 200:
                res = json.loads(out)
                if res.get("num_rejected_docs") or res.get("parse_failures"):
                    die(f"ingest rejected documents: {out[:800].decode(errors='replace')}")
                break
            if code in (429, 503) and time.time() + delay < deadline:
                retries += 1
                time.sleep(delay)
                delay = min(delay * 2, 10)
                continue
            die(f"ingest: HTTP {code}: {out[:500].decode(errors='replace')}")
    return len(chunks), retries


def wait_count(nodes, want, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = [count(n) for n in nodes]
        if all(g == want for g in got):
            return
        if any(g > want for g in got):
            die(f"nodes count {got} documents, more than the {want} ingested")
        time.sleep(0.5)
    die(f"timeout after {timeout}s: nodes count {[count(n) for n in nodes]} of {want} documents")


def quickwit_hits(node, body):
    """(num_hits, top ids, every matching id with its count) of a translated request."""
    res, err = search(node, body)
    if err:
        return None, err
    top = [h.get("id") for h in res["hits"]]
    agg = {"query": body["query"], "max_hits": 0,
           "aggs": {"ids": {"terms": {"field": "id", "size": 65_000, "shard_size": 65_000}}}}
    res2, err = search(node, agg)
    if err:
        return None, err
    every = {b["key"]: b["doc_count"] for b in res2["aggregations"]["ids"]["buckets"]}
    return {"num_hits": res["num_hits"], "top": top, "ids": every}, None


# ---------------------------------------------------------------------------------------------
# Comparisons

def note_lines(notes):
    """translate's notes, without the `ptsearch: note: ` prefix."""
    return [l.split("note: ", 1)[-1] for l in notes.splitlines()]


def approx_ranking(notes):
    return any(l.startswith("approximate:") and "ranking" in l for l in note_lines(notes))


def splits_punctuation(notes):
    return any("split at its punctuation" in l for l in note_lines(notes))


class Docs:
    """The exported documents' searchable text, by ID (read from the NDJSON when needed)."""

    def __init__(self, path):
        self.path = path
        self.text = None

    def get(self, doc_id):
        if self.text is None:
            self.text = {}
            with open(self.path, encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    self.text[d["id"]] = " ".join([d["title"], d["abstract"]] + d["mention"])
        return self.text.get(doc_id, "").lower()


WORD = re.compile(r"[^\W_]+")


def query_words(query):
    """The free-text words of a query (fielded clauses other than text fields left out)."""
    out = []
    for tok in re.findall(r'[^\s()"]+', query):
        field, _, value = tok.rpartition(":")
        if field and field.lower() not in ("title", "abstract", "mention", "text"):
            continue
        if value.upper() in ("AND", "OR", "NOT") or not WORD.search(value):
            continue
        out.append(value.lower().lstrip("-+"))
    return out


def joined_only(word, text):
    """Whether `text` has `word` (its parts joined) only as a spelling that ptsearch's tokenizer
    joins across punctuation (`B-Raf` for BRAF, `cell's` for cells, `wildtype` for wild-type):
    Quickwit's default tokenizer, which splits at punctuation, cannot find it there."""
    joined = "".join(WORD.findall(word))
    if not joined:
        return False
    qw_tokens = set(WORD.findall(text))
    if joined in qw_tokens and not re.search(r"[^\w\s]", word):
        return False
    for chunk in text.split():
        runs = WORD.findall(chunk)
        for i in range(len(runs)):
            for j in range(i + 1, len(runs) + 1):
                if "".join(runs[i:j]) == joined and (j - i > 1 or re.search(r"[^\w\s]", word)):
                    return True
    return False


def compare_query(pt, nodes, query, docs):
    """One row per node: (query, node, pt hits, qw hits, set, top10, verdict, reason)."""
    body, notes = pt.translate(query, ["-n", "10"])
    rows = []
    if body is None:
        return [dict(query=query, node="-", pt="-", qw="-", set="-", top="-",
                     verdict="refused", reason=notes.splitlines()[-1] if notes else "")]
    want = pt.ids(query)
    for node in nodes:
        got, err = quickwit_hits(node, body)
        row = dict(query=query, node=node.rsplit(":", 1)[-1], pt=len(want), qw="-", set="-",
                   top="-", verdict="ok", reason="", qwquery=body["query"])
        rows.append(row)
        if err:
            row.update(verdict="DIFF", reason=f"Quickwit refused it: {err}")
            continue
        row["qw"] = got["num_hits"]
        ws, gs = set(want), set(got["ids"])
        dup = sorted(k for k, v in got["ids"].items() if v > 1)
        only_pt, only_qw = sorted(ws - gs), sorted(gs - ws)
        row["set"] = "same" if not only_pt and not only_qw else f"-{len(only_pt)} +{len(only_qw)}"
        problems, reasons = [], []
        if dup:
            problems.append(f"IDs twice in Quickwit: {dup[:5]}")
        if got["num_hits"] != sum(got["ids"].values()):
            problems.append(f"num_hits {got['num_hits']} != {sum(got['ids'].values())} ids")
        words = query_words(query)
        if only_qw:
            if splits_punctuation(notes):
                reasons.append(f"{len(only_qw)} only in Quickwit: the parts of a word with "
                               "punctuation in a row (translate's note)")
            else:
                problems.append(f"only Quickwit: {only_qw[:8]}")
        if only_pt:
            unexplained = [d for d in only_pt
                           if not any(joined_only(w, docs.get(d)) for w in words)]
            if unexplained:
                problems.append(f"only ptsearch: {unexplained[:8]}")
            if len(unexplained) < len(only_pt):
                reasons.append(f"{len(only_pt) - len(unexplained)} only in ptsearch: "
                               "the word only joined across punctuation (ptsearch's tokenizer)")
        top_pt = want[:10]
        if got["top"] == top_pt:
            row["top"] = "same"
        else:
            common = len(set(got["top"]) & set(top_pt))
            row["top"] = f"{common}/10 set" if common != len(top_pt) else "order"
            if approx_ranking(notes):
                reasons.append("ranking approximate (translate's note)")
            else:
                problems.append(f"top 10: ptsearch {top_pt}, Quickwit {got['top']}")
        if problems:
            row.update(verdict="DIFF", reason="; ".join(problems + reasons))
        elif reasons:
            row.update(verdict="explained", reason="; ".join(reasons))
    return rows


def compare_sort_id(pt, nodes, query):
    body, notes = pt.translate(query, ["-n", "10", "--sort", "id"])
    want = pt.ids(query, sort="id", limit=10)
    rows = []
    for node in nodes:
        res, err = search(node, body)
        got = [h.get("id") for h in res["hits"]] if res else []
        ok = not err and got == want
        rows.append(dict(query=f"{query} [--sort id]", node=node.rsplit(":", 1)[-1],
                         pt=len(want), qw=len(got), set="-", top="same" if ok else "differs",
                         verdict="ok" if ok else "DIFF",
                         reason="" if ok else (err or f"ptsearch {want}, Quickwit {got}")))
    return rows


def buckets(aggs, name):
    return [(str(b["key"]) if not isinstance(b["key"], float) else str(int(b["key"])),
             b["doc_count"]) for b in aggs.get(name, {}).get("buckets", [])]


def compare_top(want, got, top):
    """Top entities: the counts of common values must match; values may differ only where
    counts tie at the top-K cut. Returns (ok, explained, detail)."""
    w, g = dict(want), dict(got)
    wrong = [(k, w[k], g[k]) for k in w.keys() & g.keys() if w[k] != g[k]]
    if wrong:
        return False, False, f"counts differ {wrong[:5]}"
    if w.keys() == g.keys():
        return True, False, ""
    cut = min(w.values()) if w else 0
    gcut = min(g.values()) if g else 0
    only = [(k, w.get(k, g.get(k))) for k in w.keys() ^ g.keys()]
    if len(w) == len(g) == top and all(n == cut == gcut for _, n in only):
        return True, True, f"ties at the top-{top} cut ({cut} documents): {len(only)//2} swapped"
    return False, False, f"values differ: ptsearch {sorted(w.items())[:6]}, Quickwit {sorted(g.items())[:6]}"


def compare_facets(pt, nodes, query, top):
    body, notes = pt.translate(query, ["-n", "0", "--facets", "--facet-top", str(top)])
    data = pt.facets(query, top)
    facets = data.get("facets") or []
    rows = []
    for node in nodes:
        res, err = search(node, body)
        row = dict(query=query, node=node.rsplit(":", 1)[-1], types="-", tops="-", years="-",
                   verdict="ok", reason="")
        rows.append(row)
        if err:
            row.update(verdict="DIFF", reason=err)
            continue
        aggs = res.get("aggregations", {})
        problems, reasons = [], []
        want_types = {f["type"]: f["documents"] for f in facets}
        got_types = dict(buckets(aggs, "types"))
        row["types"] = "same" if want_types == got_types else "differs"
        if want_types != got_types:
            problems.append(f"types: ptsearch {want_types}, Quickwit {got_types}")
        same_tops, ntops = 0, 0
        other = buckets(aggs, "top_other")
        for f in facets:
            t = f["type"]
            want = [(e["id"], e["documents"]) for e in f.get("top", [])]
            if f"top_{t}" in body["aggs"]:
                got = buckets(aggs, f"top_{t}")
                k = top
            else:
                got = [(v.split("/", 1)[1], n) for v, n in other if v.startswith(t + "/")]
                # top_other ranks every other type together: compare what both list.
                got = [x for x in got if x[0] in dict(want)] if len(got) < len(want) else got
                want = [x for x in want if x[0] in dict(got)] if len(got) < len(want) else want
                k = len(want)
            ntops += 1
            ok, explained, detail = compare_top(want, got[:len(want)] if k != top else got, k)
            if ok:
                same_tops += 1
                if explained:
                    reasons.append(f"{t}: {detail}")
            else:
                problems.append(f"{t}: {detail}")
        row["tops"] = f"{same_tops}/{ntops}"
        want_years = {}
        for m in data.get("metadata_facets") or []:
            if m.get("field") == "year":
                want_years = {str(v[0]): v[1] for v in m["values"]}
        got_years = dict(buckets(aggs, "year"))
        row["years"] = "same" if want_years == got_years else "differs"
        if want_years != got_years:
            problems.append(f"years: ptsearch {want_years}, Quickwit {got_years}")
        if problems:
            row.update(verdict="DIFF", reason="; ".join(problems + reasons))
        elif reasons:
            row.update(verdict="explained", reason="; ".join(reasons))
    return rows
