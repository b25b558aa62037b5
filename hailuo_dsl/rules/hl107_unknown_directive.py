"""HL107 unknown-directive."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.classify import ItemKind
from hailuo_dsl.rules._names import name_findings
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL107", "unknown-directive", Severity.WARNING, "A bracket that holds no camera directive")
def unknown_directive(ctx: Context) -> Iterator[Finding]:
    """Square brackets are where the model looks for camera directives. Anything else in
    them (a note, a description) is read as plain text, which is rarely what was meant: write
    it as prose, or use one of the fifteen directives (``hailuo rules`` lists them).

    Bad:  ``A market at dawn [bustling crowd].``
    Good: ``A bustling market crowd at dawn [Tracking shot].``
    """
    return name_findings(ctx, ItemKind.UNKNOWN, "{name} is not a camera directive; the model reads it as plain text")
