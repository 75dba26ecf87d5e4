#!/usr/bin/env python3
"""SQLite FTS5 peer for scripts/bench-peers (python3's sqlite3 module, standard library only).

  sqlite_fts5.py index DB NDJSON
      One FTS5 table docs(id UNINDEXED, title, abstract, mentions, entity_ids, entity_types),
      default unicode61 tokenizer, content stored in the table. Reads the NDJSON written by
      scripts/peers/to_ndjson.py (JSON parsing is part of the timed ingest, as it is for
      tantivy-cli) and inserts it with executemany in batches of 10,000 rows inside one
      transaction. Multi-valued fields are joined with newlines (mentions) or spaces (IDs,
      types). Prints one JSON line of figures.

  sqlite_fts5.py query DB QUERIES.json OUT.json WARMUP REPEAT
      QUERIES.json: [{"name", "entities": [[Type, ID]...], "words": [...], "phrase": [...]}].
      The query is an FTS5 MATCH expression: every word (and the phrase) restricted to
      {title abstract mentions}, every entity a phrase on entity_ids ("Gene:7124" is tokenized by
      unicode61 into the adjacent tokens gene 7124, and IDs are space separated, so the phrase
      matches exactly that ID), all ANDed. Per query: top 10 rowids ORDER BY rank (bm25), an
      exact count(*), and a fetch of the 10 rows' stored columns. WARMUP passes, then REPEAT
      timed passes over all queries.
"""

import json
import sqlite3
import sys
import time

TEXT = "{title abstract mentions}"


def rows(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            yield (d["id"], d["title"], d["abstract"], "\n".join(d["mentions"]),
                   " ".join(d["entity_ids"]), " ".join(d["entity_types"]))


def index(db, ndjson):
    t0 = time.perf_counter()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5("
                "id UNINDEXED, title, abstract, mentions, entity_ids, entity_types)")
    con.execute("BEGIN")
    n = 0
    batch = []
    for r in rows(ndjson):
        batch.append(r)
        if len(batch) == 10000:
            con.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?)", batch)
            n += len(batch)
            batch = []
    if batch:
        con.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?)", batch)
        n += len(batch)
    t1 = time.perf_counter()
    con.execute("COMMIT")
    t2 = time.perf_counter()
    con.close()
    print(json.dumps({"sqlite_version": sqlite3.sqlite_version, "documents": n,
                      "insert_seconds": round(t1 - t0, 3), "commit_seconds": round(t2 - t1, 3)}))


def quote(s):
    return '"' + s.replace('"', '""') + '"'


def match_expr(q):
    parts = [f"entity_ids : {quote(f'{t}:{i}')}" for t, i in q["entities"]]
    parts += [f"{TEXT} : {quote(w)}" for w in q["words"]]
    if q.get("phrase"):
        parts.append(f"{TEXT} : {quote(' '.join(q['phrase']))}")
    return " AND ".join(parts)


def query(db, queries_path, out_path, warmup, repeat):
    queries = json.load(open(queries_path))
    t0 = time.perf_counter()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    open_ms = (time.perf_counter() - t0) * 1000
    exprs = [match_expr(q) for q in queries]
    samples = [[] for _ in queries]
    hits = [0] * len(queries)
    sink = 0
    for p in range(warmup + repeat):
        for i, e in enumerate(exprs):
            s = time.perf_counter()
            top = [r[0] for r in con.execute(
                "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", (e,))]
            count = con.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (e,)).fetchone()[0]
            if top:
                ph = ",".join("?" * len(top))
                for r in con.execute("SELECT id, title, abstract, mentions, entity_ids, entity_types "
                                     f"FROM docs WHERE rowid IN ({ph})", top):
                    sink += len(r[0])
            el = time.perf_counter() - s
            hits[i] = count
            if p >= warmup:
                samples[i].append(el * 1000)
    json.dump({"sqlite_version": sqlite3.sqlite_version, "open_ms": open_ms, "sink": sink,
               "queries": [{"name": q["name"], "match": e, "hits": h, "ms": ms}
                           for q, e, h, ms in zip(queries, exprs, hits, samples)]},
              open(out_path, "w"), indent=1)


if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "index":
        index(a[1], a[2])
    elif len(a) == 6 and a[0] == "query":
        query(a[1], a[2], a[3], int(a[4]), int(a[5]))
    else:
        sys.exit(__doc__)
