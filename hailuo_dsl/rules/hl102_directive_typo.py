"""HL102 directive-typo."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.classify import ItemKind
from hailuo_dsl.rules._names import name_findings
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL102", "directive-typo", Severity.ERROR, "A misspelt directive", fixable=True)
def directive_typo(ctx: Context) -> Iterator[Finding]:
    """A directive that is almost right: a known mistake (``[Push out]`` for ``[Pull out]``,
    which even the official documentation contains; ``[Tilt left]``, although tilt is only up or
    down) or a near misspelling (``[Pan lfet]``). The model reads it as plain text and the move
    is lost. Where exactly one directive is meant, the fix writes it.

    Bad:  ``The camera [Push out] as the crowd cheers.``
    Good: ``The camera [Pull out] as the crowd cheers.``
    """
    return name_findings(ctx, ItemKind.TYPO, "{name} is not a camera directive")
