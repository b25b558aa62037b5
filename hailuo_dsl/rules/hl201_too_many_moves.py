"""HL201 too-many-moves."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.classify import is_move
from hailuo_dsl.prompt.directives import MAX_PER_BRACKET
from hailuo_dsl.prompt.syntax import Item
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL201", "too-many-moves", Severity.ERROR, "More than three directives in one bracket")
def too_many_moves(ctx: Context) -> Iterator[Finding]:
    """Directives in one bracket run at the same time, and Hailuo-02 takes at most three of
    them. Drop some, or move them into a later bracket so they run in sequence.

    Bad:  ``A skyline [Pan left, Pedestal up, Zoom in, Shake].``
    Good: ``A skyline [Pan left, Pedestal up, Zoom in], then the ground trembles [Shake].``
    Bad:  ``城市天际线[左摇,上升,变焦推近,晃动]。``
    Good: ``城市天际线[左摇,上升,变焦推近]，然后地面震动[晃动]。``

    Only moves count, misspelt or not: a bracket of words that are no camera move at all (a
    template's ``[reflections shift, surface glistens, ...]``) is HL107's, not a crowded bracket.
    """
    crowded: dict[int, list[Item]] = {}  # the moves of each closed bracket of over three items
    for bracket, _index, item, verdict in ctx.entries:
        if len(bracket.items) > MAX_PER_BRACKET and is_move(verdict):
            crowded.setdefault(id(bracket), []).append(item)
    for moves in crowded.values():
        if len(moves) > MAX_PER_BRACKET:
            extra = moves[MAX_PER_BRACKET:]
            yield Finding(
                extra[0].span.start,
                extra[-1].span.end,
                f"{len(moves)} directives in one bracket; at most {MAX_PER_BRACKET} can run at the same time",
            )
