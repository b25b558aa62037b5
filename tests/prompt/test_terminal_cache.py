"""The grammars' terminals come from a per-user cache built by Lark: the cached terminals are
Lark's, a cache for other grammar text or a damaged one is rebuilt, and no cache at all still
works; once cached, linting needs no Lark."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hailuo_dsl.prompt import grammar
from hailuo_dsl.prompt.grammar import CACHE_ENV, cache_dir, lark_terminals, terminal_patterns, terminals_cache_path

GRAMMARS = ("prompt", "shot")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder for this test, and ``terminal_patterns`` forgetting what it read."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    terminal_patterns.cache_clear()
    yield folder
    terminal_patterns.cache_clear()


@pytest.mark.parametrize("name", GRAMMARS)
def test_the_cached_terminals_are_larks(cache: Path, name: str) -> None:
    expected = lark_terminals(name)
    assert {"TEXT", "OPEN", "CLOSE", "COMMA", "NAME"} <= set(lark_terminals("prompt"))
    assert terminal_patterns(name) == expected  # built with Lark, and written
    path = terminals_cache_path(name)
    assert path.parent == cache and path.is_file() and not list(cache.glob("*.tmp"))
    stored = ast.literal_eval(path.read_text(encoding="utf-8"))
    assert stored["terminals"] == expected and stored["sources"] == grammar.grammar_sources()
    terminal_patterns.cache_clear()
    assert terminal_patterns(name) == expected  # read back


def _edited(text: str, **changes: object) -> str:
    return repr({**ast.literal_eval(text), **changes})


DAMAGES: dict[str, Callable[[str], str]] = {
    "truncated": lambda text: text[: len(text) // 2],
    "empty": lambda text: "",
    "code": lambda text: "__import__('sys').exit(3)\n",  # read as a literal: never run
    "not-a-dict": lambda text: "['TEXT']\n",
    "bad-pattern": lambda text: _edited(text, terminals={**ast.literal_eval(text)["terminals"], "TEXT": "[unclosed"}),
    "no-terminals": lambda text: _edited(text, terminals={}),
    "other-grammar": lambda text: _edited(text, sources={"prompt.lark": "start: TEXT"}),
    "other-format": lambda text: _edited(text, format=0),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_or_stale_cache_is_rebuilt(cache: Path, damage: str) -> None:
    expected = terminal_patterns("prompt")
    path = terminals_cache_path("prompt")
    path.write_text(DAMAGES[damage](path.read_text(encoding="utf-8")), encoding="utf-8")
    terminal_patterns.cache_clear()
    assert terminal_patterns("prompt") == expected
    assert ast.literal_eval(path.read_text(encoding="utf-8"))["terminals"] == expected


def test_no_cache_folder_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocked / "cache"))
    terminal_patterns.cache_clear()
    try:
        assert terminal_patterns("shot") == lark_terminals("shot")
    finally:
        terminal_patterns.cache_clear()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG base directories are the Linux and Unix rule")
def test_the_cache_folder_follows_the_platform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "hailuo-dsl"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "hailuo-dsl"
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "chosen"))
    assert cache_dir() == tmp_path / "chosen"


def test_once_cached_linting_imports_no_lark(tmp_path: Path) -> None:
    prompt = tmp_path / "one.prompt"
    prompt.write_text("A boat [Pan left] on the water.\n", encoding="utf-8")
    script = tmp_path / "one.shot"
    script.write_text("shot boat\n  A boat [Pan left] on the water.\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from hailuo_dsl.documents import DocumentKind, lint_document\n"
        f"for path, kind in ((Path({str(prompt)!r}), DocumentKind.PROMPT), (Path({str(script)!r}), DocumentKind.SHOT)):\n"
        "    lint_document(path.read_text(), kind, None, path)\n"
        "print('lark' in sys.modules)\n"
    )
    env = {**os.environ, CACHE_ENV: str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env) for _ in range(2)]
    assert [run.stdout.strip() for run in runs] == ["True", "False"]  # the first run builds the cache
