#!/usr/bin/env python3
"""Load BioC exports with the PyPI `bioc` package and print what it sees.

    scripts/check-bioc-exports.py [--validate] FILE...

Each FILE (BioC XML or BioC JSON, told apart by its first non-blank byte) is loaded with
`bioc.biocxml.load` / `bioc.biocjson.load`; one line per file is printed:

    FILE<TAB>format=xml<TAB>documents=N<TAB>passages=N<TAB>annotations=N<TAB>relations=N

(annotations and relations counted at every level). With --validate, `bioc.validate` also
checks annotation texts against passage texts and node refids against annotation ids, and
the line ends with `<TAB>validation_problems=N` (problems are reported, not fatal).

The script installs nothing: run it with a Python that has `bioc` (`.ci/run` makes one in
target/bioc-venv; see the README, "Contributing: running every test").

Exit status: 0 when every file loads, 1 when one does not (the error is printed), 2 on bad
usage, 77 when the `bioc` package cannot be imported.
"""

import sys

SETUP_MISSING = 77


def detect(path):
    with open(path, "rb") as f:
        head = f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "xml"
    if head.startswith((b"{", b"[")):
        return "json"
    raise ValueError("neither BioC XML nor BioC JSON (starts with %r)" % head[:20])


def counts(collection):
    passages = annotations = relations = 0
    for doc in collection.documents:
        annotations += len(doc.annotations)
        relations += len(doc.relations)
        for p in doc.passages:
            passages += 1
            annotations += len(p.annotations)
            relations += len(p.relations)
            for s in p.sentences:
                annotations += len(s.annotations)
                relations += len(s.relations)
    return len(collection.documents), passages, annotations, relations


def check(path, validate):
    import bioc
    from bioc import biocjson, biocxml

    fmt = detect(path)
    if fmt == "xml":
        with open(path, "rb") as f:
            collection = biocxml.load(f)
    else:
        with open(path, encoding="utf-8") as f:
            collection = biocjson.load(f)
    d, p, a, r = counts(collection)
    line = "%s\tformat=%s\tdocuments=%d\tpassages=%d\tannotations=%d\trelations=%d" % (
        path, fmt, d, p, a, r)
    if validate:
        problems = []
        bioc.validate(collection, onerror=lambda msg, _tb: problems.append(msg))
        line += "\tvalidation_problems=%d" % len(problems)
        for msg in problems[:5]:
            sys.stderr.write("%s: %s\n" % (path, msg.splitlines()[0]))
    print(line, flush=True)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = [a for a in argv if a.startswith("--")]
    unknown = [f for f in flags if f != "--validate"]
    if not args or unknown:
        sys.stderr.write(__doc__)
        return 2
    try:
        import bioc  # noqa: F401
        from bioc import biocjson, biocxml  # noqa: F401
    except ImportError as e:
        sys.stderr.write(
            "%s cannot import the bioc package (%s): install it with "
            "`python3 -m pip install bioc`, or run .ci/run once and use target/bioc-venv/bin/python\n"
            % (sys.executable, e)
        )
        return SETUP_MISSING
    failed = 0
    for path in args:
        try:
            check(path, "--validate" in flags)
        except Exception as e:  # any load error is a failure of that file
            failed += 1
            print("%s\tFAILED\t%s: %s" % (path, type(e).__name__, e), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
