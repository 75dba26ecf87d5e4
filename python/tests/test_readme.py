"""The README's Python example runs as written (from a directory laid out like the repo)."""

from __future__ import annotations

import re

from conftest import REPO


def readme_example() -> str:
    text = (REPO / "README.md").read_text()
    section = text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, "README's Python section has no python example"
    return blocks[0]


def test_readme_example_runs(tmp_path, monkeypatch, capsys):
    (tmp_path / "tests").symlink_to(REPO / "tests")
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(readme_example(), "README.md", "exec"), scope)
    per_year = scope["per_year"]
    assert list(per_year.columns) == ["year", "hits"]
    assert per_year["hits"].sum() > 0
    assert scope["res"].total_hits == len(scope["hits"])
    assert set(scope["genes"]["symbol"]) <= {"BRAF", "PDCD1"}
    assert "hits" in capsys.readouterr().out
