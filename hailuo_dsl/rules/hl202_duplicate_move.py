"""HL202 duplicate-move."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.prompt.directives import english
from hailuo_dsl.rules.base import Context, Finding, quoted, rule


@rule("HL202", "duplicate-move", Severity.WARNING, "The same directive twice in one bracket", fixable=True)
def duplicate_move(ctx: Context) -> Iterator[Finding]:
    """Writing a directive twice in one bracket does not make the move stronger; it only uses
    one of the three places. A directive and its Chinese name are the same directive. The fix
    removes the repeat.

    Bad:  ``A kite rises [Tilt up, Tilt up].``
    Good: ``A kite rises [Tilt up].``
    Bad:  ``风筝升起[上摇, Tilt up]。``
    Good: ``风筝升起[上摇]。``
    """
    for bracket, found in ctx.moves:
        if len(found) < 2:
            continue
        seen: dict[str, str] = {}
        for index, item, name in found:
            first = seen.get(english(name))
            if first is not None and index > 0:
                separator = bracket.separators[index - 1]
                fix = Fix(f"Remove the repeated {quoted(name)}", (Edit(separator.start, item.span.end, ""),))
                message = (
                    f"{quoted(name)} appears twice in this bracket"
                    if first == name
                    else f"{quoted(name)} repeats {quoted(first)} in this bracket: they are the same directive"
                )
                yield Finding(item.span.start, item.span.end, message, fix)
            seen.setdefault(english(name), name)
