"""HL608 image-format."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hailuo_dsl.contract import IMAGE_FORMATS
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import FrameContext

if TYPE_CHECKING:
    from hailuo_dsl.shots.images import ImageFacts

_NAMES = tuple(IMAGE_FORMATS.values())
TAKEN = ", ".join(_NAMES[:-1]) + " or " + _NAMES[-1]
"""The formats the model takes, as people name them: ``JPEG, PNG or WebP``."""


@rule(
    "HL608",
    "image-format",
    Severity.ERROR,
    "A frame that is not a whole JPEG, PNG or WebP image",
    scope=Scope.FRAME,
    enforced=True,
)
def image_format(ctx: FrameContext) -> Iterator[Finding]:
    """Hailuo takes JPEG, PNG and WebP frames. The format is read from the file's bytes, not its name:
    a GIF or a text file named ``.png`` is refused, and so is a file cut short (a PNG without its
    end chunk, a JPEG without its end marker).

    Bad:

        shot opening
          @first_frame "frames/logo-640x360.gif"

    Good:

        shot opening
          @first_frame "frames/logo-640x360.png"
    """
    problem = _format_problem(ctx.facts)
    if problem is not None:
        yield ctx.finding(problem)


def _format_problem(facts: ImageFacts) -> str | None:
    taken = IMAGE_FORMATS.values()
    if facts.too_many_pixels:
        return "has too many pixels to be a frame"
    if facts.scheme is None and facts.bytes is not None and facts.format is None:  # a file whose header cannot be read
        if facts.sniffed in taken:
            return f"is a truncated or damaged {facts.sniffed} file: its header cannot be read"
        if facts.sniffed is not None:
            return f"is a {facts.sniffed} image; Hailuo takes {TAKEN}"
        return f"is not an image (not {TAKEN}, whatever its name says)"
    if facts.format is not None and facts.format not in taken:
        return f"is a {facts.format} image; Hailuo takes {TAKEN}"
    if facts.truncated:
        return f"is a truncated {facts.format} file: it ends before its image data does"
    if facts.served_as is not None and facts.served_as not in IMAGE_FORMATS:
        return f"is served as {facts.served_as}; Hailuo takes {TAKEN}"
    return None
