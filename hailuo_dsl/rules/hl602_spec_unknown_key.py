"""HL602 spec-unknown-key."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import SpecContext


@rule("HL602", "spec-unknown-key", Severity.ERROR, "A shot-spec key that does not exist", scope=Scope.SPEC, enforced=True)
def spec_unknown_key(ctx: SpecContext) -> Iterator[Finding]:
    """A shot-spec holds ``[defaults]``, ``[lint]`` and ``[shots.NAME]`` tables; the settings in
    ``[defaults]`` and ``[shots.NAME]`` are the same as the ``@settings`` of a shot (HL706 reports
    a misspelt ``@setting``). A misspelt key would be silently ignored, so it is an error, with the
    nearest known key as suggestion.

    Bad:

        spec "launch.toml"
        shot opening
          A mouse runs toward the camera.

        # launch.toml
        [shots.opening]
        durration = 10

    Good:

        spec "launch.toml"
        shot opening
          A mouse runs toward the camera.

        # launch.toml
        [shots.opening]
        duration = 10
    """
    for problem in ctx.read.key_problems:
        if problem.kind != "unknown":
            continue
        close = difflib.get_close_matches(problem.keys[-1], problem.known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f" (known keys: {', '.join(problem.known)})"
        yield Finding(*problem.span, f"{problem.dotted}: unknown key{hint}", path=ctx.read.path)
