"""HL609 image-file-size."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hailuo_dsl.contract import MAX_MODEL_IMAGE_BYTES, MAX_UPLOAD_BYTES, MB
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import FrameContext

if TYPE_CHECKING:
    from hailuo_dsl.shots.images import ImageFacts

_MODEL = f"the model takes images under {MAX_MODEL_IMAGE_BYTES // MB} MB"
_UPLOAD = f"the upload endpoint takes at most {MAX_UPLOAD_BYTES // MB} MB"


@rule("HL609", "image-file-size", Severity.ERROR, "A frame over the 10 MB upload limit", scope=Scope.FRAME, enforced=True)
def image_file_size(ctx: FrameContext) -> Iterator[Finding]:
    """Local frames are uploaded first, and the upload endpoint takes at most 10 MB (the model
    itself takes images under 20 MB, the limit for a frame given by URL). Sizes are decimal
    megabytes. Save the frame as JPEG or WebP, or scale it down.

    Bad:

        shot opening
          @first_frame "frames/poster-3840x2160.png"  # 14.2 MB

    Good:

        shot opening
          @first_frame "frames/poster-1920x1080.jpg"  # 0.4 MB
    """
    problem = _weight_problem(ctx.facts)
    if problem is not None:
        yield ctx.finding(problem)


def _weight_problem(facts: ImageFacts) -> str | None:
    size = facts.bytes
    if size is None:
        return None
    if facts.scheme is not None:  # a URL the service fetches itself
        return f"is {size / MB:.1f} MB; {_MODEL}" if size >= MAX_MODEL_IMAGE_BYTES else None
    if facts.size is None or size <= MAX_UPLOAD_BYTES:  # a file whose header cannot be read is HL608's alone
        return None
    return f"is {size / MB:.1f} MB; {_MODEL if size >= MAX_MODEL_IMAGE_BYTES else _UPLOAD}"
