"""HL101 directive-spelling."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.classify import ItemKind
from hailuo_dsl.rules._names import name_findings
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL101", "directive-spelling", Severity.WARNING, "A directive in the wrong case or spelling", fixable=True)
def directive_spelling(ctx: Context) -> Iterator[Finding]:
    """The fifteen directives are written in sentence case, words separated by one space:
    ``[Pan left]``, ``[Tracking shot]``. Other spellings (``[pan left]``, ``[Pan Left]``,
    ``[Zoom-in]``, ``[PushIn]``) may not be recognised and then reach the model as plain text.
    The fix rewrites the canonical spelling; the formatter does the same.

    Bad:  ``A car drives past [pan Left].``
    Good: ``A car drives past [Pan left].``
    """
    return name_findings(ctx, ItemKind.SPELLING, "{name} is not the canonical spelling")
