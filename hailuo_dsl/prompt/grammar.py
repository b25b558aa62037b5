"""Locates the Lark grammar files, builds the parsers from them, and gives their terminals.

The files live in the repository's ``grammar/`` folder and are copied into the wheel as
``hailuo_dsl/grammar/``; they are the definition of both languages. Parsers are built in memory
on first use (Lark's own ``cache=True`` shares one temporary file between users and unpickles
it, so it is not used).

The scanners that lint prompts and scripts need only the grammars' terminals (their regular
expressions), but reading them takes Lark: importing it and building a parser costs several
times what linting a prompt does. So the terminals are kept in the user's cache folder
(``HAILUO_CACHE_DIR``, else the platform's, e.g. ``~/.cache/hailuo-dsl``): written by Lark on the
first run after the grammar changes, read by every later one. The file holds the grammar files'
text it was built from and is used only when that text is the current one, whole; the grammar,
not the package's version, keys it because the terminals follow from the grammar alone (and
reading the version costs an import). The file is a Python literal, read with
``ast.literal_eval`` (already loaded, where JSON would cost an import): never executed, never
unpickled. It is written to a temporary file renamed into place, so concurrent first runs cannot
leave half a file. A cache that cannot be read or written is not an error: the terminals are
then built in memory. A test holds the cached terminals equal to Lark's.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lark import Lark

_PACKAGE_DIR = Path(__file__).resolve().parent.parent

CACHE_ENV = "HAILUO_CACHE_DIR"
"""The environment variable naming the cache folder (else the platform's user cache folder)."""


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
    from lark import Lark

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
    from lark import Lark

    return Lark(grammar_text(name), parser="earley", maybe_placeholders=True, import_paths=[grammar_dir()])


def lark_terminals(name: str = "prompt") -> dict[str, str]:
    """Each terminal of grammar ``name`` and the regular expression Lark compiles it to."""
    return {t.name: t.pattern.to_regexp() for t in lalr_parser(name).terminals}


CACHE_FORMAT = 1
"""The layout of a terminal cache file (part of its name: a new layout never reads an old file)."""


@cache
def grammar_sources() -> dict[str, str]:
    """Every grammar file's text by file name (a grammar imports others, so all of them)."""
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(grammar_dir().glob("*.lark"))}


def cache_dir() -> Path:
    """The folder of the terminal cache: ``$HAILUO_CACHE_DIR``, else ``hailuo-dsl`` in the user's
    cache folder as the platform names it: ``$XDG_CACHE_HOME`` or ``~/.cache`` (Linux and other
    Unix), ``~/Library/Caches`` (macOS), ``%LOCALAPPDATA%`` (Windows). Written out rather than
    taken from platformdirs, which imports tempfile, shutil and platform: ten milliseconds, more
    than linting a prompt takes."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA", "")
        base = Path(local) if os.path.isabs(local) else Path.home() / "AppData" / "Local"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "hailuo-dsl"


def terminals_cache_path(name: str) -> Path:
    """Where the terminals of grammar ``name`` are cached for the grammar files as they are now
    (named by a checksum of their text; the file holds the text itself, compared whole)."""
    import zlib

    checksum = zlib.crc32("\0".join(f"{file}\0{text}" for file, text in grammar_sources().items()).encode())
    return cache_dir() / f"{name}-terminals-v{CACHE_FORMAT}-{checksum:08x}.txt"


@cache
def terminal_patterns(name: str = "prompt") -> dict[str, str]:
    """:func:`lark_terminals`, read from the cache; built with Lark and cached when missing."""
    sources = grammar_sources()
    try:
        path: Path | None = terminals_cache_path(name)
    except RuntimeError:  # no home folder to hold a cache
        path = None
    found = None if path is None else _read_cached(path, name, sources)
    if found is not None:
        return found
    terminals = lark_terminals(name)
    if path is not None:
        _write_cached(path, {"format": CACHE_FORMAT, "grammar": name, "sources": sources, "terminals": terminals})
    return terminals


def _read_cached(path: Path, name: str, sources: dict[str, str]) -> dict[str, str] | None:
    """The cached terminals, or None when the file is missing, unreadable, or was built from
    other grammar files."""
    import ast

    try:
        data: Any = ast.literal_eval(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or data.get("grammar") != name:
        return None
    if data.get("sources") != sources:
        return None
    terminals = data.get("terminals")
    if not isinstance(terminals, dict) or not terminals:
        return None
    for key, pattern in terminals.items():
        if not isinstance(key, str) or not isinstance(pattern, str):
            return None
        try:
            re.compile(pattern)
        except re.error:
            return None
    return terminals


def _write_cached(path: Path, data: dict[str, Any]) -> None:
    """Write the cache file whole (a temporary file renamed over it), or not at all."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(repr(data) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
