"""HL604 resolution-duration."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.contract import RESOLUTION_TABLE, RESOLUTIONS, Offer, duration_problem, offer
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ShotContext, finding_at


@rule("HL604", "resolution-duration", Severity.ERROR, "1080P takes only 6-second clips", scope=Scope.SHOT, enforced=True)
def resolution_duration(ctx: ShotContext) -> Iterator[Finding]:
    """512P and 768P take 6 or 10 seconds; 1080P takes 6 seconds only. The finding points at the
    setting that was given closest to the shot (an ``@setting`` before the spec).

    Bad:

        shot skyline
          @resolution 1080P
          @duration 10
          City night scene, neon lights flickering.

    Good:

        shot skyline
          @resolution 768P
          @duration 10
          City night scene, neon lights flickering.
    """
    resolved = ctx.resolved
    resolution, duration = resolved.get("resolution"), resolved.get("duration")
    assert resolution in RESOLUTION_TABLE and isinstance(duration, int)  # coerced when resolved
    problem = duration_problem(resolution, duration)
    if problem is None or not resolved.valid("resolution", "duration"):
        return
    fits = RESOLUTION_TABLE[resolution].durations
    other = next(
        r for r in reversed(RESOLUTIONS) if duration in RESOLUTION_TABLE[r].durations and offer(r, ctx.mode) is Offer.YES
    )
    yield finding_at(resolved.at(["resolution", "duration"]), f"{problem}; use @duration {fits[0]} or @resolution {other}")
