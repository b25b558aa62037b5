"""HL601 invalid-setting-value."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import ShotContext, SpecContext


def in_the_spec(ctx: SpecContext) -> Iterator[Finding]:
    """A key of the shot-spec whose value its schema refused (a table that is not one, a value
    out of its kind), at the key."""
    for problem in ctx.read.key_problems:
        key = problem.dotted
        if problem.kind == "table":
            message = f"{key} must be a table, got {problem.detail}"
        elif problem.kind == "value":
            reason = problem.detail
            message = f"{key} {reason}" if reason.startswith("must ") else f"{key}: {reason}"
        else:
            continue
        yield Finding(*problem.span, message, path=ctx.read.path)


@rule(
    "HL601",
    "invalid-setting-value",
    Severity.ERROR,
    "A setting has a value the API does not take",
    scope=Scope.SHOT,
    enforced=True,
    also={Scope.SPEC: in_the_spec},
)
def invalid_setting_value(ctx: ShotContext) -> Iterator[Finding]:
    """Every setting takes a fixed kind of value: ``duration`` 6 or 10, ``resolution`` 512P, 768P or
    1080P (either case), ``model`` MiniMax-Hailuo-02, the switches ``prompt_optimizer``,
    ``fast_pretreatment`` and ``watermark`` true or false, the frames a path or an http(s) URL.
    In a shot-spec the TOML type counts too: ``duration = "10"`` is a string, not a number.

    Bad:

        shot opening
          @duration ten
          A mouse runs toward the camera.

    Good:

        shot opening
          @duration 10
          A mouse runs toward the camera.
    """
    for setting, reason in ctx.resolved.refused:
        yield Finding(*setting.value_span, f"@{setting.key} {reason}")
