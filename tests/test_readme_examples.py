"""The README's Python examples run as written (from the repository root)."""

import re

import fiscal_sim


def test_readme_python_blocks_run(repo, monkeypatch):
    monkeypatch.chdir(repo)
    text = (repo / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "the README shows the library in Python"
    namespace = {"fiscal_sim": fiscal_sim}
    exec("\n".join(blocks), namespace)
    assert namespace["projection"].indicators().loc[2019, "headcount"] == 4975
