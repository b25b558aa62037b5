"""HL003 nested-brackets."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.syntax import Nested
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL003", "nested-brackets", Severity.ERROR, "A bracket inside a bracket")
def nested_brackets(ctx: Context) -> Iterator[Finding]:
    """Brackets do not nest. Directives that run together go in one bracket, separated by
    commas; directives that run one after another go in separate brackets.

    Bad:  ``A boat sails [Pan left [Zoom in]].``
    Good: ``A boat sails [Pan left, Zoom in].``
    """
    for piece in ctx.prompt.pieces:
        if isinstance(piece, Nested):
            yield Finding(
                piece.span.start,
                piece.span.end,
                "Brackets inside a bracket are not read as directives; use commas inside one bracket",
            )
