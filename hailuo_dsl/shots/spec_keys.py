"""A shot-spec's text as the reader saw it: where each key stands, and what was wrong with it.

``tomllib`` gives values, not positions, so the text is scanned once more for the span of every
``key = value`` and table header, by key path. The scan runs only on text the TOML reader has
accepted, follows dotted keys, quoted keys and inline tables, and never raises.

:class:`SpecRead` records what reading a spec found (``hailuo_dsl.shots.spec`` reads it), with no
verdict: the rules HL601, HL602 and HL614-HL616 judge it. This module imports no configuration, so
the rules can read its records.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal

KeyPath = tuple[str, ...]
Spot = tuple[int, int]
"""A span in the spec's text."""


def toml_key(key: str) -> str:
    """A key as TOML writes it: bare when it can be, else quoted."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


@dataclass(frozen=True, slots=True)
class KeyProblem:
    """A key the spec's schema refused: its key path, where it stands, and what was wrong: an
    ``unknown`` key (``known`` are the keys allowed there), a ``table`` key whose value is not a
    table (``detail`` is the value as written), or a ``value`` the setting does not take
    (``detail`` is the schema's reason: ``must be 6 or 10, got 8``)."""

    keys: KeyPath
    span: Spot
    kind: Literal["unknown", "table", "value"]
    detail: str = ""
    known: tuple[str, ...] = ()

    @property
    def dotted(self) -> str:
        """The key path as people write it: ``shots.opening.durration``."""
        return ".".join(toml_key(k) for k in self.keys)


@dataclass(frozen=True, slots=True)
class SpecRead:
    """What reading one shot-spec found. ``path`` is the file its findings stand in (None for
    text with no file); ``named_at`` is where the script names it (its ``spec`` line's value;
    None when it was given otherwise). At most one of ``unreadable`` (why the file cannot be
    read), ``toml_error`` (the TOML reader's reason and the offset where it stopped) and
    ``key_problems`` is set; a spec with none of them lists its ``[shots.NAME]`` tables."""

    path: str | None
    text: str = ""
    named_at: Spot | None = None
    unreadable: str | None = None
    toml_error: tuple[str, int] | None = None
    key_problems: tuple[KeyProblem, ...] = ()
    shot_tables: tuple[tuple[str, Spot], ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the spec was read whole: its settings can be used."""
        return self.unreadable is None and self.toml_error is None and not self.key_problems


def nearest(locations: dict[KeyPath, tuple[int, int]], keys: tuple[str, ...]) -> tuple[int, int]:
    """The span of ``keys``, else of the nearest enclosing key or table found, else the file's start."""
    for size in range(len(keys), 0, -1):
        found = locations.get(keys[:size])
        if found is not None:
            return found
    return (0, 0)


class _Scanner:
    """Finds the span of every key (``key = value``) and table header of a TOML text that the
    TOML reader accepted, by key path. Dotted keys, quoted keys and inline tables are followed;
    keys inside arrays (of tables) are not."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.found: dict[KeyPath, tuple[int, int]] = {}

    def run(self) -> dict[KeyPath, tuple[int, int]]:
        text = self.text
        table: KeyPath = ()
        while self.i < len(text):
            self.skip(blank_lines=True)
            if self.i >= len(text):
                break
            if text[self.i] == "[":
                start = self.i
                array = text.startswith("[[", self.i)
                self.i += 2 if array else 1
                table = self.key()
                self.skip()
                self.i += 2 if array else 1
                if not array:
                    self.found.setdefault(table, (start, self.i))
            else:
                before = self.i
                self.pair(table, record=True)
                if self.i == before:  # never loop on something unexpected
                    self.i += 1
        return self.found

    def skip(self, blank_lines: bool = False) -> None:
        text = self.text
        while self.i < len(text):
            ch = text[self.i]
            if ch in " \t" or (blank_lines and ch in "\r\n"):
                self.i += 1
            elif ch == "#":
                end = text.find("\n", self.i)
                self.i = len(text) if end < 0 else end
            else:
                break

    def key(self) -> KeyPath:
        parts: list[str] = []
        text = self.text
        while self.i < len(text):
            self.skip()
            ch = text[self.i] if self.i < len(text) else ""
            if ch == '"':
                end = self.string_end()
                raw = text[self.i : end]
                self.i = end
                try:
                    parts.append(json.loads(raw))
                except ValueError:
                    parts.append(raw[1:-1])
            elif ch == "'":
                end = text.index("'", self.i + 1) + 1
                parts.append(text[self.i + 1 : end - 1])
                self.i = end
            else:
                match = re.compile(r"[A-Za-z0-9_-]+").match(text, self.i)
                if match is None:
                    break
                parts.append(match.group())
                self.i = match.end()
            self.skip()
            if self.i < len(text) and text[self.i] == ".":
                self.i += 1
                continue
            break
        return tuple(parts)

    def string_end(self) -> int:
        """The end of the basic string starting at ``self.i``."""
        text, j = self.text, self.i + 1
        while j < len(text) and text[j] != '"':
            j += 2 if text[j] == "\\" else 1
        return j + 1

    def pair(self, prefix: KeyPath, record: bool) -> None:
        start = self.i
        keys = prefix + self.key()
        self.skip()
        if self.i >= len(self.text) or self.text[self.i] != "=":
            return
        self.i += 1
        self.skip()
        self.value(keys, record)
        if record:
            for size in range(len(prefix) + 1, len(keys) + 1):
                self.found.setdefault(keys[:size], (start, self.i))

    def value(self, keys: KeyPath, record: bool) -> None:
        text = self.text
        for quote in ('"""', "'''"):
            if text.startswith(quote, self.i):
                end = text.find(quote, self.i + 3)
                while end >= 0 and text.startswith(quote[0], end + 3):
                    end += 1
                self.i = len(text) if end < 0 else end + 3
                return
        ch = text[self.i] if self.i < len(text) else ""
        if ch == '"':
            self.i = self.string_end()
        elif ch == "'":
            self.i = text.index("'", self.i + 1) + 1
        elif ch in "{[":
            close = "}" if ch == "{" else "]"
            self.i += 1
            while self.i < len(text):
                self.skip(blank_lines=True)
                if self.i >= len(text) or text[self.i] == close:
                    self.i += 1
                    return
                before = self.i
                if ch == "{":
                    self.pair(keys, record)
                else:
                    self.value(keys, False)
                self.skip(blank_lines=True)
                if self.i < len(text) and text[self.i] == ",":
                    self.i += 1
                elif self.i == before:
                    self.i += 1
        else:
            match = re.compile(r"[^,\]}\r\n#]*").match(text, self.i)
            end = match.end() if match is not None else self.i
            self.i = self.i + len(text[self.i : end].rstrip())


def locate_keys(text: str) -> dict[KeyPath, tuple[int, int]]:
    """The span of every key and table header of a valid TOML text, by key path."""
    scanner = _Scanner(text)
    try:
        return scanner.run()
    except (ValueError, IndexError):  # a scanner slip must never hide the diagnostics
        return scanner.found
