"""HL106 adverb-in-bracket."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.prompt.classify import ItemKind
from hailuo_dsl.rules._names import adverb_edit
from hailuo_dsl.rules.base import Context, Finding, quoted, rule


@rule("HL106", "adverb-in-bracket", Severity.WARNING, "An adverb inside a directive's bracket", fixable=True)
def adverb_in_bracket(ctx: Context) -> Iterator[Finding]:
    """A bracket holds directive names only. ``[Slow push in]`` is not a directive, so the
    move is lost; the speed belongs in the prose. The fix moves the adverb out of the bracket to
    where it reads as the camera's: after it in English (``[Push in] slowly``), before it in
    Chinese (``缓慢[推进]``), never dangling before an English bracket where it would describe the
    subject. An invented move wrapped in adverbs (``[slow pull back]``) is reported as the
    invented move (HL105), with the same fix.

    Bad:  ``A fox watches from the snow [Slow push in].``
    Good: ``A fox watches from the snow [Push in] slowly.``
    Bad:  ``女孩站在雪中[缓慢推进]。``
    Good: ``女孩站在雪中缓慢[推进]。``
    """
    for bracket, _index, item, verdict in ctx.of_kind(ItemKind.ADVERB):
        if verdict.directive is None:
            continue
        edits = (Edit(item.span.start, item.span.end, verdict.directive), adverb_edit(ctx.prompt.text, bracket, verdict.extra))
        message = f"{quoted(item.name)}: the adverb '{verdict.extra}' belongs in the prose, not in the bracket"
        yield Finding(
            item.span.start,
            item.span.end,
            message,
            Fix(f"Move '{verdict.extra}' into the prose", edits),
            (verdict.directive,),
        )
