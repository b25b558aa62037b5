"""HL007 fullwidth-comma."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.prompt.classify import WIDE_COMMA, WIDE_COMMAS, ItemKind
from hailuo_dsl.rules.base import Context, Finding, quoted, rule


@rule("HL007", "fullwidth-comma", Severity.ERROR, "Directives separated by a full-width comma", fixable=True)
def fullwidth_comma(ctx: Context) -> Iterator[Finding]:
    """Directives in one bracket are separated by an ASCII comma, ``[左摇,上升]``. A Chinese
    keyboard types ``，`` or ``、``, which the model does not split on: the whole bracket reads as
    one unknown name and every move in it is lost. The fix writes ``,``.

    Bad:  ``女孩慢慢长大[左摇，上升]。``
    Good: ``女孩慢慢长大[左摇,上升]。``
    """
    for _bracket, _index, item, verdict in ctx.of_kind(ItemKind.TYPO):
        if verdict.note != WIDE_COMMA:
            continue
        start = item.span.start
        edits = tuple(Edit(start + i, start + i + 1, ",") for i, ch in enumerate(item.name) if ch in WIDE_COMMAS)
        yield Finding(
            start,
            item.span.end,
            f"{quoted(item.name)} separates directives with a full-width comma, which the model does not split on",
            Fix(f"Write {quoted(verdict.directive or item.name)}", edits),
            (verdict.directive,) if verdict.directive else (),
        )
