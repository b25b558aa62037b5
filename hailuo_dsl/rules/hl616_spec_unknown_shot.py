"""HL616 spec-unknown-shot."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import SpecContext


@rule(
    "HL616", "spec-unknown-shot", Severity.WARNING, "A [shots.NAME] table for a shot the script does not have", scope=Scope.SPEC
)
def spec_unknown_shot(ctx: SpecContext) -> Iterator[Finding]:
    """Settings for a shot that does not exist are never used: usually a shot was renamed in the
    script and not in the spec.

    Bad:

        spec "launch.toml"
        shot opening
          A mouse runs toward the camera.

        # launch.toml
        [shots.openning]
        duration = 10

    Good:

        spec "launch.toml"
        shot opening
          A mouse runs toward the camera.

        # launch.toml
        [shots.opening]
        duration = 10
    """
    names = ctx.shot_names
    if names is None:
        return
    for name, spot in ctx.read.shot_tables:
        if name in names:
            continue
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean [shots.{close[0]}]?" if close else ""
        yield Finding(*spot, f"[shots.{name}] names no shot of the script{hint}", path=ctx.read.path)
