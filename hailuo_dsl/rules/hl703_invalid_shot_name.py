"""HL703 invalid-shot-name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hailuo_dsl.diagnostics import Edit, Fix, Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ScriptContext

_KEYWORD = len("shot")


@rule("HL703", "invalid-shot-name", Severity.ERROR, "A shot header without a valid name", scope=Scope.SCRIPT, fixable=True)
def invalid_shot_name(ctx: ScriptContext) -> Iterator[Finding]:
    """A shot's name follows ``shot`` on its header line: a letter or digit, then letters, digits,
    ``_``, ``.`` or ``-`` (no spaces). Names select shots on the command line, in the shot-spec's
    ``[shots.NAME]`` tables and in the render journal. The (unsafe) fix joins the words with ``-``.

    Bad:

        shot the opening
          A mouse runs toward the camera.

    Good:

        shot the-opening
          A mouse runs toward the camera.
    """
    from hailuo_dsl.shots.syntax import NAME_PATTERN  # imported when it runs: every command reads the registry

    for shot in ctx.script.invalid_shots:
        if not shot.name:
            start = shot.span.start
            yield Finding(start, start + _KEYWORD, "A shot header needs a name: 'shot NAME'")
            continue
        message = f"Invalid shot name '{shot.name}': use letters, digits, '_', '.' and '-', starting with a letter or digit"
        candidate = re.sub(r"[^A-Za-z0-9_.-]+", "-", shot.name).strip("-_.")
        if candidate and NAME_PATTERN.fullmatch(candidate):
            fix = Fix(f"Rename to '{candidate}'", (Edit(*shot.name_span, candidate),), safe=False)
            yield Finding(*shot.name_span, message, fix, (candidate,))
        else:
            yield Finding(*shot.name_span, message)
