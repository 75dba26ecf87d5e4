"""Shared fixtures: one index built from the repository's fixtures through ptsearch.index(),
and the CLI binary of the same checkout to compare answers with."""

from __future__ import annotations

import json
import math
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import ptsearch

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"

#: Fixture files indexed for every test (PubTator text, BioC JSON).
FIXTURES = [
    "ranking.pubtator",
    "seed-31554797.pubtator",
    "tokenizer.pubtator",
    "utf8_offsets.pubtator",
    "interop/pubtator3_export.json",
]


def assert_same(ours: Any, theirs: Any, path: str = "$") -> None:
    """`ours` is `theirs` object for object: equal values of the same types (so an int is not
    a float, a tuple not a list, True not 1), dict keys in the same order, floats bit for bit
    (-0.0 is not 0.0; NaN equals NaN)."""
    assert type(ours) is type(theirs), f"{path}: {type(ours).__name__} vs {type(theirs).__name__}"
    if isinstance(ours, dict):
        assert list(ours) == list(theirs), f"{path}: keys {list(ours)} vs {list(theirs)}"
        for k in ours:
            assert_same(ours[k], theirs[k], f"{path}.{k}")
    elif isinstance(ours, list):
        assert len(ours) == len(theirs), f"{path}: {len(ours)} items vs {len(theirs)}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(ours, float):
        same = (math.isnan(ours) and math.isnan(theirs)) or (
            ours == theirs and math.copysign(1, ours) == math.copysign(1, theirs))
        assert same, f"{path}: {ours!r} vs {theirs!r}"
    else:
        assert ours == theirs, f"{path}: {ours!r} vs {theirs!r}"


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `ptsearch` binary (PTSEARCH_BIN, else target/debug/ptsearch, built when stale)."""
    if os.environ.get("PTSEARCH_BIN"):
        return Path(os.environ["PTSEARCH_BIN"])
    subprocess.run(["cargo", "build", "--quiet", "--bin", "ptsearch"], cwd=REPO, check=True)
    return REPO / "target" / "debug" / "ptsearch"


@pytest.fixture(scope="session")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ix") / "index"
    ptsearch.index([DATA / f for f in FIXTURES], path, threads=1, quiet=True)
    return path


@pytest.fixture(scope="session")
def ix(index_path: Path) -> ptsearch.Index:
    return ptsearch.Index(index_path)


def run_cli(cli: Path, index_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(cli), "--index", str(index_path), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def cli_search(cli: Path, index_path: Path, *args: str) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
    """Hits and summary of `ptsearch search ... --format json`."""
    out = run_cli(cli, index_path, "search", *args, "--format", "json")
    assert out.returncode in (0, 1), out.stderr
    hits, summary = [], None
    for line in out.stdout.splitlines():
        obj = json.loads(line)
        if obj["type"] == "hit":
            hits.append(obj["data"])
        else:
            summary = obj["data"]
    assert summary is not None, out.stdout
    return hits, summary
