"""HL607 image-missing."""

from __future__ import annotations

from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import FrameContext


@rule(
    "HL607",
    "image-missing",
    Severity.ERROR,
    "A frame image that does not exist, is empty or cannot be read",
    scope=Scope.FRAME,
    enforced=True,
)
def image_missing(ctx: FrameContext) -> Iterator[Finding]:
    """A local frame is uploaded before the shot is submitted, so it must be there. Relative paths
    are read from the folder of the file that names them: the ``.shot`` file for ``@first_frame``,
    the shot-spec for its keys, the current folder for the command line.

    Bad:

        shot opening
          @first_frame "frames/mosue.png"

    Good:

        shot opening
          @first_frame "frames/mouse-480x640.png"
    """
    if ctx.facts.unreadable is not None:
        yield ctx.finding(ctx.facts.unreadable)
