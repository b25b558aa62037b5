"""HL712 bad-suppression."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext

_NO_SHOT = {
    "after-last-shot": "ignore-shot after the last shot covers no shot",
    "outside-shot": "ignore-shot outside a shot covers no shot",
}


@rule("HL712", "bad-suppression", Severity.WARNING, "A suppression comment that silences nothing", scope=Scope.SCRIPT)
def bad_suppression(ctx: ScriptContext) -> Iterator[Finding]:
    """``# hailuo: ignore CODES`` (the next line), ``# hailuo: ignore-shot CODES`` (the shot) and
    ``# hailuo: ignore-file CODES`` (the file) take rule codes (``HL303``), prefixes (``HL6``,
    ``HL6xx``) or rule names, separated by commas or spaces; a reason may follow after ``--``.
    An unknown word, an unknown code or an ``ignore-shot`` outside any shot would silently
    silence nothing.

    Bad:

        shot opening
          # hailuo: ignroe HL303
          A mouse runs [Push in], stops [Static shot], looks up [Tilt up], then flees [Pan left].

    Good:

        shot opening
          # hailuo: ignore HL303 -- four moves are intended here
          A mouse runs [Push in], stops [Static shot], looks up [Tilt up], then flees [Pan left].
    """
    from hailuo_dsl.shots.syntax import SUPPRESSION_ACTIONS  # imported when it runs: every command reads the registry

    for unread in ctx.script.unread_suppressions:
        if unread.trouble == "action":
            close = [a for a in SUPPRESSION_ACTIONS if difflib.SequenceMatcher(None, unread.word.lower(), a).ratio() >= 0.7]
            hint = f"; did you mean '{close[0]}'?" if close else " (use ignore, ignore-shot or ignore-file)"
            yield Finding(*unread.span, f"Unknown suppression '{unread.word}'{hint}")
        elif unread.trouble == "rule":
            yield Finding(*unread.span, f"Unknown rule '{unread.word}' in a suppression comment")
        else:
            yield Finding(*unread.span, _NO_SHOT[unread.trouble])
