"""HL203 contradictory-moves."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.directives import BY_NAME, english
from hailuo_dsl.rules.base import Context, Finding, quoted, rule


@rule("HL203", "contradictory-moves", Severity.ERROR, "Opposite moves on one axis at the same time")
def contradictory_moves(ctx: Context) -> Iterator[Finding]:
    """Directives in one bracket run at the same time, so opposite moves on one axis
    (``[Pan left, Pan right]``, ``[Zoom in, Zoom out]``, ``[左摇,右摇]``) cancel out and the result
    is unpredictable. Moves on different axes combine, including the deliberate dolly zoom
    ``[Push in, Zoom out]`` and ``[Pull out, Zoom in]``, which are not reported. To go one way
    and then the other, use two brackets.

    Bad:  ``A pendulum swings [Pan left, Pan right].``
    Good: ``A pendulum swings [Pan left], then back [Pan right].``
    Bad:  ``钟摆来回摆动[左摇,右摇]。``
    Good: ``钟摆摆向左边[左摇]，然后摆回[右摇]。``
    """
    for _bracket, found in ctx.moves:
        if len(found) < 2:
            continue
        by_axis: dict[str, str] = {}
        for _index, item, name in found:
            axis = BY_NAME[name].axis
            if axis is None:
                continue
            other = by_axis.get(axis)
            if other is not None and english(other) != english(name):
                yield Finding(item.span.start, item.span.end, f"{quoted(name)} contradicts {quoted(other)} in the same bracket")
            by_axis.setdefault(axis, name)
