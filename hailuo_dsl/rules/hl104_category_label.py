"""HL104 category-label."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.classify import ItemKind
from hailuo_dsl.rules._names import name_findings
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL104", "category-label", Severity.ERROR, "A category name used as a directive", fixable=True)
def category_label(ctx: Context) -> Iterator[Finding]:
    """The documentation groups the directives in categories; a category's name is not itself
    a directive. ``[Follow]`` is the category of ``[Tracking shot]``.

    Bad:  ``A dog runs along the beach [Follow].``
    Good: ``A dog runs along the beach [Tracking shot].``
    """
    return name_findings(ctx, ItemKind.CATEGORY, "{name} is a category, not a directive")
