"""HL103 truncated-directive."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.classify import ItemKind
from hailuo_dsl.rules._names import name_findings
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL103", "truncated-directive", Severity.ERROR, "A directive cut short", fixable=True)
def truncated_directive(ctx: Context) -> Iterator[Finding]:
    """A directive without its last word: ``[Static]``, ``[Tracking]``, ``[Pan]``, ``[Zoom]``.
    The model does not know these. Where only one directive starts that way
    (``[Static]`` → ``[Static shot]``) the fix completes it; otherwise pick the direction.

    Bad:  ``A lighthouse at night [Static].``
    Good: ``A lighthouse at night [Static shot].``
    """
    return name_findings(ctx, ItemKind.TRUNCATED, "{name} is incomplete")
