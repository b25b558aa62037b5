"""HL004 empty-bracket."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL004", "empty-bracket", Severity.WARNING, "An empty bracket", fixable=True)
def empty_bracket(ctx: Context) -> Iterator[Finding]:
    """``[]`` asks for no camera move and reaches the model as stray text. The fix removes it
    (and one of the spaces around it, so no double space is left), unless that would leave a
    prompt with no text where the mode needs one.

    Bad:  ``A lamb [] stands still.``
    Good: ``A lamb stands still.``
    """
    text = ctx.prompt.text
    for bracket in ctx.prompt.brackets:
        if not bracket.closed or bracket.items:
            continue
        start, end = bracket.span.start, bracket.span.end
        if start > 0 and text[start - 1] == " " and (end == len(text) or text[end] in " .,;:!?"):
            start -= 1
        fix = None
        if text[:start].strip() or text[end:].strip() or not ctx.options.require_text:
            fix = Fix("Remove the empty bracket", (Edit(start, end, ""),))
        yield Finding(bracket.span.start, bracket.span.end, "Empty bracket", fix)
