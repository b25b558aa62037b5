"""HL301 then-in-bracket."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.prompt.classify import ItemKind, classify
from hailuo_dsl.prompt.directives import join_items
from hailuo_dsl.rules.base import Context, Finding, rule

# A split is only safe when it moves directives; "[then the lamb runs]" is not a sequence of moves.
_DIRECTIVE_KINDS = (ItemKind.CANONICAL, ItemKind.SPELLING)


@rule("HL301", "then-in-bracket", Severity.ERROR, "A sequence written inside one bracket", fixable=True)
def then_in_bracket(ctx: Context) -> Iterator[Finding]:
    """Everything in one bracket runs at the same time; "then" (``然后``) inside a bracket is not
    understood. A sequence is written as brackets one after another: ``[Push in], then [Pull out]``,
    ``[推进]，然后[拉远]``. The fix splits the bracket at the sequence word when both sides of it
    are directives, in the style of the language it was written in.

    Bad:  ``A door opens [Static shot, then Zoom out].``
    Good: ``A door opens [Static shot], then [Zoom out].``
    Bad:  ``门打开了[推进,然后拉远]。``
    Good: ``门打开了[推进]，然后[拉远]。``
    """
    for bracket, index, item, verdict in ctx.of_kind(ItemKind.THEN):
        if verdict.directive is None:
            continue
        word = verdict.note or "then"
        parts = (verdict.directive, verdict.extra) if verdict.extra else (verdict.directive,)
        message = f"'{word}' inside a bracket: directives in one bracket run at the same time"
        if any(classify(part).kind not in _DIRECTIVE_KINDS for part in parts):
            yield Finding(item.span.start, item.span.end, message)
            continue
        left = [s.name for s in bracket.slots[:index] if s is not None]
        if verdict.extra:
            left.append(verdict.extra)
        right = [verdict.directive] + [s.name for s in bracket.slots[index + 1 :] if s is not None]
        if verdict.note:  # a Chinese sequence word: "[推进]，然后[拉远]", as the Chinese documentation writes it
            head = f"[{join_items(left)}]，{word}" if left else word
        else:
            head = f"[{join_items(left)}], then " if left else "then "
        replacement = f"{head}[{join_items(right)}]"
        fix = Fix("Split the bracket into a sequence", (Edit(bracket.span.start, bracket.span.end, replacement),))
        yield Finding(item.span.start, item.span.end, message, fix)
