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


PAGES = [README, *(README.parent / "docs" / name for name in ("shot-format.md", "shot-spec.md", "api-contract.md"))]
ERROR_NAME = re.compile(r"\b(?:[A-Z][a-z]+)+(?:Error|Failed|Exceeded|Unknown|Expired)\b")


def test_the_errors_the_pages_name_are_importable_from_the_package() -> None:
    """A user reads an error's name in the README or the format pages and catches it with
    ``from hailuo_dsl import NAME``; the package stays lazy, so this imports each on first use."""
    import hailuo_dsl

    named = {name for page in PAGES for name in ERROR_NAME.findall(page.read_text(encoding="utf-8"))}
    readme = README.read_text(encoding="utf-8")
    listed = readme[readme.index("Errors share one base") : readme.index("the API key never appears")]
    named |= set(re.findall(r"`([A-Z][A-Za-z]+)`", listed))
    named -= {"ValueError", "OSError"}  # Python's own
    assert {"HailuoError", "NotFound", "Timeout", "CompileError", "ScriptReadError", "SpecError", "UnknownShotError"} <= named
    missing = sorted(name for name in named if not hasattr(hailuo_dsl, name))
    assert not missing, f"named in the docs, not importable from hailuo_dsl: {missing}"
    for name in named:
        assert issubclass(getattr(hailuo_dsl, name), Exception), name


def test_the_default_gateway_and_the_licence_are_stated() -> None:
    from hailuo_dsl.contract import BASE_URL_ENV, DEFAULT_BASE_URL

    text = README.read_text(encoding="utf-8")
    assert f"default gateway,\n`{DEFAULT_BASE_URL}`" in text and BASE_URL_ENV in text
    assert re.search(r'^license = "MIT"$', (README.parent / "pyproject.toml").read_text(encoding="utf-8"), re.MULTILINE)
    assert (README.parent / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
