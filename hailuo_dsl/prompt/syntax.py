"""The syntax tree of a prompt: plain dataclasses with character offsets into the prompt text.

Offsets are Python string indices (code points); `positions.LineIndex` turns them into lines and
columns (code points for people, UTF-16 code units for editors). The nodes are plain slotted
classes: a prompt of 2,000 characters builds ~100 of them, and frozen dataclasses would double
the parse time. Treat them as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Span(NamedTuple):
    """A half-open range ``[start, end)`` of code-point offsets."""

    start: int
    end: int


@dataclass(slots=True)
class Text:
    """A run of prose between brackets."""

    span: Span
    value: str


@dataclass(slots=True)
class Item:
    """One directive name inside a bracket, without the surrounding spaces."""

    span: Span
    name: str


@dataclass(slots=True)
class Bracket:
    """A bracket and its comma-separated slots; a slot is ``None`` where it is empty (``[a,]``).

    ``closed`` is false for a ``[`` that never found its ``]`` (it ends at a line break, at the
    next ``[`` or at the end of the text). ``separators`` are the comma tokens, spaces included.
    """

    span: Span
    slots: tuple[Item | None, ...]
    separators: tuple[Span, ...]
    closed: bool
    items: tuple[Item, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.items = tuple(filter(None, self.slots))

    @property
    def inner(self) -> Span:
        """The span between ``[`` and ``]`` (spaces included)."""
        end = self.span.end - 1 if self.closed else self.span.end
        return Span(self.span.start + 1, end)


@dataclass(slots=True)
class StrayClose:
    """A ``]`` with no ``[`` before it."""

    span: Span


@dataclass(slots=True)
class Nested:
    """``[a [b] c]``: a bracket inside a bracket. Its contents are not read as directives."""

    span: Span


Piece = Text | Bracket | StrayClose | Nested


@dataclass(slots=True)
class Prompt:
    """A parsed prompt: the source text and its pieces in order (brackets and prose also apart)."""

    text: str
    pieces: list[Piece] = field(default_factory=list)
    brackets: list[Bracket] = field(init=False, compare=False, repr=False)
    texts: list[Text] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.brackets = [p for p in self.pieces if isinstance(p, Bracket)]
        self.texts = [p for p in self.pieces if isinstance(p, Text)]
