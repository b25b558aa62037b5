"""Offsets to lines and columns, in code points (for people) and UTF-16 code units (for editors)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Position:
    """A zero-based line and column. ``column`` counts code points, ``utf16`` counts UTF-16 units."""

    line: int
    column: int
    utf16: int


class LineIndex:
    """Maps offsets of one text to positions and back. Built once per text in O(n)."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.line_starts = starts

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self.line_starts[line]
        prefix = self.text[start:offset]
        return Position(line, offset - start, utf16_length(prefix))

    def line_text(self, line: int) -> str:
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def offset(self, line: int, utf16_column: int) -> int:
        """The offset of an editor position (line, UTF-16 column); clamped to the text."""
        if line >= len(self.line_starts):
            return len(self.text)
        start = self.line_starts[max(line, 0)]
        units = 0
        i = start
        end = len(self.text)
        while i < end and units < utf16_column and self.text[i] != "\n":
            units += 2 if ord(self.text[i]) > 0xFFFF else 1
            i += 1
        return i


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (astral characters such as emoji count twice)."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
