"""HL615 spec-syntax."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import SpecContext


@rule("HL615", "spec-syntax", Severity.ERROR, "The shot-spec is not valid TOML", scope=Scope.SPEC, enforced=True)
def spec_syntax(ctx: SpecContext) -> Iterator[Finding]:
    """The shot-spec is a TOML file; the finding stands where the TOML reader stopped.

    Bad:

        spec "launch.toml"
        shot opening
          A mouse runs toward the camera.

        # launch.toml
        [defaults]
        resolution = 768P

    Good:

        spec "launch.toml"
        shot opening
          A mouse runs toward the camera.

        # launch.toml
        [defaults]
        resolution = "768P"
    """
    read = ctx.read
    if read.toml_error is not None:
        reason, offset = read.toml_error
        yield Finding(offset, min(offset + 1, len(read.text)), f"not valid TOML: {reason}", path=read.path)
