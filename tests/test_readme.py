"""The README: its two commands come first, its rule table is the registry's, its Python examples run."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from hailuo_dsl.cli.lint_commands import rules_markdown

README = Path(__file__).resolve().parent.parent / "README.md"


def test_rule_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    table = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", text, re.DOTALL)
    assert table is not None, "README lost its rule table markers"
    assert table.group(1) == rules_markdown(), "README rule table is stale: run `hailuo rules --format markdown`"


def test_readme_starts_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert "pip install" in blocks[0] and "hailuo" in blocks[0]
    assert "pytest" in blocks[1]


def test_python_examples_run(tmp_path: Path) -> None:
    """The README's Python blocks run as written (against the emulator, from a copy of examples/)."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 2
    shutil.copytree(README.parent / "examples", tmp_path / "examples")
    out = []
    for number, block in enumerate(blocks):
        script = tmp_path / f"block{number}.py"
        script.write_text(block, encoding="utf-8")
        env = {"PATH": "", "HAILUO_API_KEY": "", "HAILUO_BASE_URL": ""}
        run = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
        assert run.returncode == 0, run.stderr
        out.append(run.stdout)
    assert "A man picks up a book [Pedestal up], then reads [Static shot]." in out[0]
    assert "title text-to-video" in out[1]
    assert "[('opening', 'downloaded'), ('growing-up', 'downloaded'), ('title', 'downloaded')]" in out[1]
    assert (tmp_path / "title.mp4").stat().st_size > 0
