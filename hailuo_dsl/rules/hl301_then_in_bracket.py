"""HL301 then-in-bracket."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.classify import Kind
from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL301", "then-in-bracket", Severity.ERROR, "A sequence written inside one bracket", fixable=True)
def then_in_bracket(ctx: Context) -> Iterator[Finding]:
    """Everything in one bracket runs at the same time; "then" inside a bracket is not
    understood. A sequence is written as brackets one after another. The fix splits the
    bracket at "then".

    Bad:  ``A door opens [Static shot, then Zoom out].``
    Good: ``A door opens [Static shot], then [Zoom out].``
    """
    for bracket, index, item, verdict in ctx.of_kind(Kind.THEN):
        if verdict.directive is None:
            continue
        left = [s.name for s in bracket.slots[:index] if s is not None]
        if verdict.extra:
            left.append(verdict.extra)
        right = [verdict.directive] + [s.name for s in bracket.slots[index + 1 :] if s is not None]
        head = f"[{', '.join(left)}], then " if left else "then "
        replacement = f"{head}[{', '.join(right)}]"
        fix = Fix("Split the bracket into a sequence", (Edit(bracket.span.start, bracket.span.end, replacement),))
        yield Finding(
            item.span.start, item.span.end, "'then' inside a bracket: directives in one bracket run at the same time", fix
        )
