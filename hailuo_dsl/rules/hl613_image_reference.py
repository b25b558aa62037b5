"""HL613 image-reference."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hailuo_dsl.contract import IMAGE_URL_SCHEMES
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Finding, Scope, rule
from hailuo_dsl.rules.contexts import FrameContext

if TYPE_CHECKING:
    from hailuo_dsl.shots.images import ImageFacts

_USE = "use a file path or an http(s) URL"


@rule(
    "HL613",
    "image-reference",
    Severity.ERROR,
    "A frame given as a data: URI, another scheme, or an unreachable URL",
    scope=Scope.FRAME,
    enforced=True,
)
def image_reference(ctx: FrameContext) -> Iterator[Finding]:
    """The API takes frames as public http(s) URLs; local files are uploaded for you. It does not
    take base64 ``data:`` URIs. With ``hailuo compile --check-urls`` every http(s) frame is probed
    with a HEAD request and must answer 2xx with an image type.

    Bad:

        shot opening
          @first_frame "data:image/png;base64,iVBORw0KGgo..."

    Good:

        shot opening
          @first_frame "https://example.com/first-frame.jpg"
    """
    problem = _reference_problem(ctx.facts)
    if problem is not None:
        yield ctx.finding(problem)


def _reference_problem(facts: ImageFacts) -> str | None:
    if facts.scheme is None:
        return None
    if facts.scheme == "data":
        return f"is a data: URI, which the API does not take; {_USE}"
    if facts.scheme not in IMAGE_URL_SCHEMES:
        return f"uses the unsupported scheme '{facts.scheme}:'; {_USE}"
    if facts.unreachable is not None:
        return f"cannot be reached: {facts.unreachable}"
    if facts.status is not None and facts.status >= 400:
        return f"answers HTTP {facts.status}"
    return None
