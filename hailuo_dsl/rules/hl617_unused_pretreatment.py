"""HL617 unused-pretreatment."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ShotContext, finding_at


@rule("HL617", "unused-pretreatment", Severity.WARNING, "fast_pretreatment is on while prompt_optimizer is off", scope=Scope.SHOT)
def unused_pretreatment(ctx: ShotContext) -> Iterator[Finding]:
    """``fast_pretreatment`` shortens the prompt optimisation, so it does nothing when
    ``prompt_optimizer`` is off.

    Bad:

        shot opening
          @prompt_optimizer false
          @fast_pretreatment true
          A mouse runs toward the camera.

    Good:

        shot opening
          @prompt_optimizer true
          @fast_pretreatment true
          A mouse runs toward the camera.
    """
    resolved = ctx.resolved
    if (
        resolved.get("fast_pretreatment") is True
        and resolved.get("prompt_optimizer") is False
        and resolved.valid("fast_pretreatment", "prompt_optimizer")
    ):
        message = "fast_pretreatment does nothing while prompt_optimizer is false"
        yield finding_at(resolved.at(["fast_pretreatment"]), message)
