"""HL303 move-budget."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.classify import ItemKind
from hailuo_dsl.prompt.syntax import Bracket
from hailuo_dsl.rules.base import Context, Finding, rule

_NOT_MOVES = (ItemKind.PLACEHOLDER, ItemKind.LABEL, ItemKind.UNKNOWN)


@rule("HL303", "move-budget", Severity.WARNING, "More camera moves in sequence than the clip can show")
def move_budget(ctx: Context) -> Iterator[Finding]:
    """Each bracket is one step of the camera's path. A 6-second clip shows about three steps
    and a 10-second clip about five; past that the model drops or blurs moves. The budget per
    duration is configurable (``move-budget`` in the configuration).

    Bad (6 s):  ``[Push in] a door [Pan left] a hall [Tilt up] a stair [Zoom in] a window``
    Good (6 s): ``[Push in] a door [Pan left] a hall [Tilt up] a stair and a window``
    """
    budget = ctx.options.move_budget.get(ctx.options.duration)
    if budget is None:
        return
    steps: list[Bracket] = []
    for bracket, _index, _item, verdict in ctx.entries:
        if verdict.kind not in _NOT_MOVES and (not steps or steps[-1] is not bracket):
            steps.append(bracket)
    if len(steps) > budget:
        first = steps[budget]
        yield Finding(
            first.span.start,
            steps[-1].span.end,
            f"{len(steps)} camera moves in sequence for a {ctx.options.duration} s clip; about {budget} fit",
        )
