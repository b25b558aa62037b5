"""HL618 continue-unknown-shot."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext


@rule(
    "HL618",
    "continue-unknown-shot",
    Severity.ERROR,
    "@continue names a shot the script does not have",
    scope=Scope.SCRIPT,
    enforced=True,  # the render could not know which video to continue
)
def continue_unknown_shot(ctx: ScriptContext) -> Iterator[Finding]:
    """``@continue NAME`` starts the shot on the last frame of the shot NAME, which must be a shot
    of the same script (a bare ``@continue`` continues the shot before).

    Bad:

        shot opening
          A mouse runs toward the camera.
        shot sky
          @continue openning
          The mouse looks up at the sky.

    Good:

        shot opening
          A mouse runs toward the camera.
        shot sky
          @continue opening
          The mouse looks up at the sky.
    """
    from hailuo_dsl.shots.continuity import links  # imported when it runs: every command reads the registry

    names = [shot.name for shot in ctx.script.shots]
    known = set(names)
    for link in links(ctx.script):
        if link.bare or link.parent in known:
            continue
        named = link.setting.value
        close = difflib.get_close_matches(named, [n for n in names if n != link.shot.name], n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        yield Finding(*link.setting.value_span, f"@continue names no shot of the script: '{named}'{hint}")
