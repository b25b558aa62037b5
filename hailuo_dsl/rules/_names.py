"""The shared check behind the directive-name rules (HL101-HL105, HL107, HL401, HL402)."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix
from hailuo_dsl.prompt.classify import Classification, ItemKind
from hailuo_dsl.prompt.syntax import Item
from hailuo_dsl.rules.base import Context, Finding, did_you_mean, quoted


def name_findings(ctx: Context, kind: ItemKind, message: str, *, safe: bool = True) -> Iterator[Finding]:
    """One finding per item of ``kind``; a fix replaces the item when there is exactly one answer.

    ``message`` may use ``{name}`` (the item as written) and ends with a did-you-mean.
    """
    for _bracket, _index, item, verdict in ctx.of_kind(kind):
        yield finding_for(item, verdict, message.format(name=quoted(item.name)), safe=safe)


def finding_for(item: Item, verdict: Classification, message: str, *, safe: bool = True) -> Finding:
    fix = None
    if verdict.directive is not None:
        fix = Fix(f"Replace with {quoted(verdict.directive)}", (Edit(item.span.start, item.span.end, verdict.directive),), safe)
        message += did_you_mean((verdict.directive,))
    else:
        message += did_you_mean(verdict.suggestions)
    return Finding(
        item.span.start, item.span.end, message, fix, verdict.suggestions or ((verdict.directive,) if verdict.directive else ())
    )
