"""HL005 empty-item."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL005", "empty-item", Severity.WARNING, "An extra comma leaves an empty slot in a bracket", fixable=True)
def empty_item(ctx: Context) -> Iterator[Finding]:
    """A comma with nothing on one side: ``[Pan left,]`` or ``[Pan left,, Zoom in]``. The fix
    removes the extra comma.

    Bad:  ``A city street [Pan left,, Pedestal up].``
    Good: ``A city street [Pan left, Pedestal up].``
    """
    for bracket in ctx.prompt.brackets:
        if not bracket.closed or not bracket.items:
            continue
        for index, slot in enumerate(bracket.slots):
            if slot is not None:
                continue
            separator = bracket.separators[index - 1] if index > 0 else bracket.separators[0]
            if index == 0:
                edit = Edit(bracket.span.start + 1, separator.end, "")
            elif index == len(bracket.slots) - 1:
                edit = Edit(separator.start, bracket.span.end - 1, "")
            else:
                edit = Edit(separator.start, separator.end, "")
            yield Finding(
                separator.start, separator.end, "Extra comma: an empty directive slot", Fix("Remove the extra comma", (edit,))
            )
