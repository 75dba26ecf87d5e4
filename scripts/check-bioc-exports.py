#!/usr/bin/env python3
"""Load BioC exports with the PyPI `bioc` package and print what it sees.

    scripts/check-bioc-exports.py [--validate] FILE...

Each FILE (BioC XML or BioC JSON, told apart by its first non-blank byte) is loaded with
`bioc.biocxml.load` / `bioc.biocjson.load`; one line per file is printed:

    FILE<TAB>format=xml<TAB>documents=N<TAB>passages=N<TAB>annotations=N<TAB>relations=N

(annotations and relations counted at every level). With --validate, `bioc.validate` also
checks annotation texts against passage texts and node refids against annotation ids, and
the line ends with `<TAB>validation_problems=N` (problems are reported, not fatal).

The `bioc` package is installed into a virtualenv, target/bioc-venv next to this repository
(or $BIOC_VENV), on first use; the script then re-runs itself with that interpreter.

Exit status: 0 when every file loads, 1 when one does not (the error is printed), 2 on bad
usage, 77 when the virtualenv or `pip install bioc` cannot be set up (e.g. offline), so that
callers can skip.
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.environ.get("BIOC_VENV") or os.path.join(ROOT, "target", "bioc-venv")
SETUP_FAILED = 77
MARKER = "PTSEARCH_BIOC_VENV_ACTIVE"


def venv_python():
    sub = "Scripts" if os.name == "nt" else "bin"
    exe = "python.exe" if os.name == "nt" else "python"
    return os.path.join(VENV, sub, exe)


def has_bioc(python):
    probe = subprocess.run(
        [python, "-c", "import bioc.biocxml, bioc.biocjson"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return probe.returncode == 0


def ensure_venv():
    """Returns the venv's interpreter with `bioc` installed, or exits with SETUP_FAILED."""
    python = venv_python()
    if os.path.exists(python) and has_bioc(python):
        return python
    steps = []
    if not os.path.exists(python):
        steps.append([sys.executable, "-m", "venv", VENV])
    steps.append([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "bioc"])
    for cmd in steps:
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode != 0:
            sys.stderr.write(
                "cannot set up the bioc virtualenv (%s failed):\n%s\n"
                % (" ".join(cmd), done.stdout.strip())
            )
            sys.exit(SETUP_FAILED)
    if not has_bioc(python):
        sys.stderr.write("bioc installed into %s but cannot be imported\n" % VENV)
        sys.exit(SETUP_FAILED)
    return python


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
    if os.environ.get(MARKER) != "1":
        python = ensure_venv()
        env = dict(os.environ, **{MARKER: "1"})
        return subprocess.run([python, os.path.abspath(__file__)] + argv, env=env).returncode
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
