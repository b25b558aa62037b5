"""HL302 adjacent-brackets."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Context, Finding, rule
from hailuo_dsl.syntax import Bracket, Text


@rule("HL302", "adjacent-brackets", Severity.WARNING, "Two brackets with nothing between them")
def adjacent_brackets(ctx: Context) -> Iterator[Finding]:
    """``[Push in][Pan right]`` is ambiguous: at the same time, or one after the other? Write
    ``[Push in, Pan right]`` for both at once, or put the action between them for a sequence.

    Bad:  ``A train arrives [Push in][Pan right].``
    Good: ``A train arrives [Push in], then the doors open [Pan right].``
    """
    previous: Bracket | None = None
    for piece in ctx.prompt.pieces:
        if isinstance(piece, Bracket) and piece.closed:
            if previous is not None:
                yield Finding(
                    previous.span.start,
                    piece.span.end,
                    "Adjacent brackets: write one bracket for simultaneous moves, or the action between them for a sequence",
                )
            previous = piece
        elif not (isinstance(piece, Text) and piece.value.strip(" \t") == ""):
            previous = None
