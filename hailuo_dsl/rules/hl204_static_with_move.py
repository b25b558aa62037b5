"""HL204 static-with-move."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.directives import STATIC, english
from hailuo_dsl.rules.base import Context, Finding, quoted, rule


@rule("HL204", "static-with-move", Severity.ERROR, "[Static shot] together with a move")
def static_with_move(ctx: Context) -> Iterator[Finding]:
    """``[Static shot]`` (``[固定]``) holds the camera still; a move in the same bracket
    contradicts it. To hold and then move, use two brackets in sequence.

    Bad:  ``A chef plates the dish [Static shot, Zoom in].``
    Good: ``A chef plates the dish [Static shot], then garnishes it [Zoom in].``
    Bad:  ``厨师摆盘[固定,变焦推近]。``
    Good: ``厨师摆盘[固定]，然后点缀[变焦推近]。``
    """
    for _bracket, found in ctx.moves:
        if len(found) < 2:
            continue
        static = next((name for _i, _item, name in found if english(name) == STATIC), None)
        if static is None:
            continue
        for _index, item, name in found:
            if english(name) != STATIC:
                yield Finding(item.span.start, item.span.end, f"{quoted(name)} contradicts {quoted(static)} in the same bracket")
