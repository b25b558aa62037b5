"""Offsets to lines and columns, in code points (for people) and UTF-16 code units (for editors).

Lines end as the language server protocol and editors end them: at LF, CRLF or a lone CR (the
file readers refuse a lone CR, but an editor may send one). Other separators (U+2028, NEL, form
feed) are characters within a line, as editors show them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

_BREAK = re.compile(r"\r\n?|\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Position:
    """A zero-based line and column. ``column`` counts code points, ``utf16`` counts UTF-16 units."""

    line: int
    column: int
    utf16: int


class LineIndex:
    """Maps offsets of one text to positions and back. Built once per text in O(n); each
    conversion then takes O(log n), however long the line (a file of one huge line included)."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        if "\r" in text:
            starts.extend(m.end() for m in _BREAK.finditer(text))
        else:
            find = text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
        self.line_starts = starts
        self._astral: list[int] | None = None

    def _astral_offsets(self) -> list[int]:
        """The offsets of the characters beyond the Basic Multilingual Plane (two UTF-16 units each)."""
        if self._astral is None:
            self._astral = [] if self.text.isascii() else [m.start() for m in _ASTRAL.finditer(self.text)]
        return self._astral

    def _astral_between(self, start: int, end: int) -> int:
        astral = self._astral_offsets()
        return bisect_left(astral, end) - bisect_left(astral, start) if astral else 0

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self.line_starts[line]
        column = offset - start
        return Position(line, column, column + self._astral_between(start, offset))

    def line_end(self, line: int) -> int:
        """The offset where a line's content ends (before its line break)."""
        if line + 1 >= len(self.line_starts):
            return len(self.text)
        end = self.line_starts[line + 1] - 1
        if self.text[end] == "\n" and end > self.line_starts[line] and self.text[end - 1] == "\r":
            end -= 1
        return end

    def line_text(self, line: int) -> str:
        return self.text[self.line_starts[line] : self.line_end(line)]

    def offset(self, line: int, utf16_column: int) -> int:
        """The offset of an editor position (line, UTF-16 column); clamped to the text and to the
        line, whose last position is its line break (between the CR and the LF of a CRLF, so
        that every offset :meth:`position` gives maps back)."""
        if line >= len(self.line_starts):
            return len(self.text)
        line = max(line, 0)
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        if not self._astral_between(start, end):
            return min(start + max(utf16_column, 0), end)
        units = 0
        i = start
        while i < end and units < utf16_column:
            units += 2 if ord(self.text[i]) > 0xFFFF else 1
            i += 1
        return i


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (astral characters such as emoji count twice)."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
