"""Locates the Lark grammar files and builds the parsers from them (once per process).

The files live in the repository's ``grammar/`` folder and are copied into the wheel as
``hailuo_dsl/grammar/``. Parsers are built in memory on first use: building the LALR tables for
these small grammars takes milliseconds, so no on-disk cache (and none of its pitfalls) is needed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lark import Lark

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def grammar_dir() -> Path:
    """The folder holding the ``.lark`` files: inside the installed package, else the source tree."""
    for candidate in (_PACKAGE_DIR / "grammar", _PACKAGE_DIR.parent / "grammar"):
        if (candidate / "prompt.lark").is_file():
            return candidate
    raise FileNotFoundError("hailuo_dsl: the grammar files (prompt.lark) are missing from the install")


def grammar_text(name: str) -> str:
    """The text of ``grammar/<name>.lark``."""
    return (grammar_dir() / f"{name}.lark").read_text(encoding="utf-8")


@cache
def lalr_parser(name: str = "prompt") -> Lark:
    """The LALR(1) parser with the contextual lexer, as the linter uses it."""
    return Lark(
        grammar_text(name),
        parser="lalr",
        lexer="contextual",
        maybe_placeholders=True,
        import_paths=[grammar_dir()],
    )


@cache
def earley_parser(name: str = "prompt") -> Lark:
    """The same grammar under Lark's Earley parser (for the benchmark's comparison only)."""
    return Lark(grammar_text(name), parser="earley", maybe_placeholders=True, import_paths=[grammar_dir()])
