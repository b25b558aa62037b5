"""HL102 directive-typo."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.prompt.classify import WIDE_COMMA, ItemKind
from hailuo_dsl.rules._names import name_findings
from hailuo_dsl.rules.base import Context, Finding, rule


@rule("HL102", "directive-typo", Severity.ERROR, "A misspelt directive", fixable=True)
def directive_typo(ctx: Context) -> Iterator[Finding]:
    """A directive that is almost right: a known mistake (``[Push out]`` for ``[Pull out]``,
    which even the official documentation contains; ``[Tilt left]``, although tilt is only up or
    down), a near misspelling (``[Pan lfet]``), or another word for an official Chinese name
    (``[推镜]`` or ``[推进镜头]`` for ``[推进]``). The model reads it as plain text and the move
    is lost. Where exactly one directive is meant, the fix writes it, in the language it was
    written in; adverbs around it (``[slow push out]``) move into the prose as HL106 moves them.

    Bad:  ``The camera [Push out] as the crowd cheers.``
    Good: ``The camera [Pull out] as the crowd cheers.``
    Bad:  ``人群欢呼[推镜]。``
    Good: ``人群欢呼[推进]。``
    """
    return name_findings(ctx, ItemKind.TYPO, "{name} is not a camera directive", skip_note=WIDE_COMMA)
