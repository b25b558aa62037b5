"""HL106 adverb-in-bracket."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.prompt.classify import ItemKind
from hailuo_dsl.rules.base import Context, Finding, quoted, rule

_SENTENCE_END = ".!?\n"


@rule("HL106", "adverb-in-bracket", Severity.WARNING, "An adverb inside a directive's bracket", fixable=True)
def adverb_in_bracket(ctx: Context) -> Iterator[Finding]:
    """A bracket holds directive names only. ``[Slow push in]`` is not a directive, so the
    move is lost; the speed belongs in the prose. The fix moves the adverb out in front of the
    bracket: ``[Slow push in]`` → ``slow [Push in]``.

    Bad:  ``A fox watches from the snow [Slow push in].``
    Good: ``A fox watches from the snow slow [Push in].``
    """
    text = ctx.prompt.text
    for bracket, _index, item, verdict in ctx.of_kind(ItemKind.ADVERB):
        if verdict.directive is None:
            continue
        start = bracket.span.start
        before = text[:start].rstrip(" \t")
        adverb = verdict.extra
        if before and before[-1] not in _SENTENCE_END:
            adverb = adverb[:1].lower() + adverb[1:]
        prefix = " " if start > 0 and not text[start - 1].isspace() else ""
        edits = (Edit(start, start, f"{prefix}{adverb} "), Edit(item.span.start, item.span.end, verdict.directive))
        message = f"{quoted(item.name)}: the adverb '{verdict.extra}' belongs in the prose, not in the bracket"
        yield Finding(
            item.span.start,
            item.span.end,
            message,
            Fix(f"Move '{verdict.extra}' before the bracket", edits),
            (verdict.directive,),
        )
