"""HL202 duplicate-move."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.rules.base import Context, Finding, quoted, rule


@rule("HL202", "duplicate-move", Severity.WARNING, "The same directive twice in one bracket", fixable=True)
def duplicate_move(ctx: Context) -> Iterator[Finding]:
    """Writing a directive twice in one bracket does not make the move stronger; it only uses
    one of the three places. The fix removes the repeat.

    Bad:  ``A kite rises [Tilt up, Tilt up].``
    Good: ``A kite rises [Tilt up].``
    """
    for bracket, found in ctx.moves:
        if len(found) < 2:
            continue
        seen: set[str] = set()
        for index, item, name in found:
            if name in seen and index > 0:
                separator = bracket.separators[index - 1]
                fix = Fix(f"Remove the repeated {quoted(name)}", (Edit(separator.start, item.span.end, ""),))
                yield Finding(item.span.start, item.span.end, f"{quoted(name)} appears twice in this bracket", fix)
            seen.add(name)
