"""HL002 stray-bracket."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.syntax import StrayClose
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL002", "stray-bracket", Severity.ERROR, "A ']' with no '[' before it")
def stray_bracket(ctx: Context) -> Iterator[Finding]:
    """A ``]`` that closes nothing, usually the rest of a directive whose ``[`` was lost.

    Bad:  ``A lamb stands still Push in].``
    Good: ``A lamb stands still [Push in].``
    """
    for piece in ctx.prompt.pieces:
        if isinstance(piece, StrayClose):
            yield Finding(piece.span.start, piece.span.end, "Stray ']' with no '[' before it")
