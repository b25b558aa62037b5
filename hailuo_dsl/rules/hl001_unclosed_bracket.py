"""HL001 unclosed-bracket."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.prompt.classify import ItemKind, classify
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL001", "unclosed-bracket", Severity.ERROR, "A '[' is never closed", fixable=True)
def unclosed_bracket(ctx: Context) -> Iterator[Finding]:
    """A ``[`` with no ``]`` on the same line. The model reads the whole bracket as plain text,
    so the camera move inside it is lost.

    When everything inside is a known directive, the fix closes the bracket right after it.

    Bad:  ``A lamb stands on the grass [Push in``
    Good: ``A lamb stands on the grass [Push in]``
    """
    for bracket in ctx.prompt.brackets:
        if bracket.closed:
            continue
        items = bracket.items
        fix = None
        if items and all(classify(i.name).kind in (ItemKind.CANONICAL, ItemKind.SPELLING) for i in items):
            end = items[-1].span.end
            fix = Fix("Close the bracket", (Edit(end, end, "]"),))
        yield Finding(
            bracket.span.start, bracket.span.start + 1, "Unclosed '[': the model reads the rest of the bracket as plain text", fix
        )
