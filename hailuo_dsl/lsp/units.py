"""UTF-16 code units counted by the codec in C, for pygls's conversion of the editor's positions.

pygls converts each position of an incremental change from UTF-16 code units by first counting
the units of the position's whole line, a character at a time in Python. A prompt file is often
one long line: on a 2,000-character prompt that count was most of the server's time per edit.
:class:`Utf16Units` counts with one ``encode`` call (a lone surrogate counts one unit, as pygls
counts it); the server gives it to its UTF-16 codec (:func:`count_fast`).
"""

from __future__ import annotations

from pygls.workspace.position_codec import PositionCodec, Utf16


class Utf16Units(Utf16):
    """pygls's UTF-16 unit counter, counting a whole string at once."""

    def num_units(self, chars: str) -> int:
        if chars.isascii():
            return len(chars)
        return len(chars.encode("utf-16-le", "surrogatepass")) // 2

    def column_from_utf32(self, line: str, column: int) -> int:
        return self.num_units(line[:column])


def count_fast(codec: PositionCodec) -> None:
    """Give a UTF-16 codec the fast counter; a codec of another encoding keeps its own."""
    if type(codec.impl) is Utf16:
        codec.impl = Utf16Units()
