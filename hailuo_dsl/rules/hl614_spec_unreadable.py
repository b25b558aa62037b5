"""HL614 spec-unreadable."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import SpecContext


@rule("HL614", "spec-unreadable", Severity.ERROR, "The shot-spec file cannot be read", scope=Scope.SPEC, enforced=True)
def spec_unreadable(ctx: SpecContext) -> Iterator[Finding]:
    """The ``spec`` line names a file relative to the script; it must exist and be UTF-8 text.

    Bad:

        spec "lanuch.toml"
        shot opening
          A mouse runs toward the camera.

        # launch.toml
        [defaults]
        duration = 10

    Good:

        spec "launch.toml"
        shot opening
          A mouse runs toward the camera.

        # launch.toml
        [defaults]
        duration = 10
    """
    read = ctx.read
    if read.unreadable is None:
        return
    message = f"cannot read the shot-spec: {read.unreadable}"
    if read.named_at is not None:  # the script's spec line names it
        yield Finding(*read.named_at, message)
    else:
        yield Finding(0, 0, message, path=read.path)
