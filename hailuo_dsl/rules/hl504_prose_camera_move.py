"""HL504 prose-camera-move."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Context, Finding, quoted, rule

_VERBS: dict[str, str] = {
    "pan": "Pan",
    "pans": "Pan",
    "panning": "Pan",
    "tilt": "Tilt",
    "tilts": "Tilt",
    "tilting": "Tilt",
    "zoom": "Zoom",
    "zooms": "Zoom",
    "zooming": "Zoom",
    "truck": "Truck",
    "trucks": "Truck",
    "trucking": "Truck",
    "push": "Push in",
    "pushes": "Push in",
    "pushing": "Push in",
    "pull": "Pull out",
    "pulls": "Pull out",
    "pulling": "Pull out",
    "dolly": "Dolly",
    "dollies": "Dolly",
    "dollying": "Dolly",
    "crane": "Pedestal",
    "cranes": "Pedestal",
    "craning": "Pedestal",
    "rise": "Pedestal up",
    "rises": "Pedestal up",
    "rising": "Pedestal up",
    "follow": "Tracking shot",
    "follows": "Tracking shot",
    "following": "Tracking shot",
    "track": "Tracking shot",
    "tracks": "Tracking shot",
    "tracking": "Tracking shot",
    "shake": "Shake",
    "shakes": "Shake",
    "shaking": "Shake",
}
_DIRECTIONS = {"left", "right", "up", "down", "in", "out", "back", "forward", "upward", "downward"}
_PATTERN = re.compile(
    r"\b(?:the\s+)?camera\s+(?:(?:slowly|quickly|gently|smoothly|then|slightly)\s+)?"
    r"(?P<verb>" + "|".join(sorted(_VERBS, key=len, reverse=True)) + r")\b"
    r"(?:\s+(?P<dir>left|right|upwards?|downwards?|up|down|in|out|back|forward))?"
    r"|\b(?:the\s+)?camera\s+(?:stays|remains|holds)\s+(?:still|static|steady)\b",
    re.IGNORECASE,
)
_DIRECTED = {
    ("Pan", "left"): "Pan left",
    ("Pan", "right"): "Pan right",
    ("Pan", "up"): "Tilt up",
    ("Pan", "down"): "Tilt down",
    ("Tilt", "up"): "Tilt up",
    ("Tilt", "down"): "Tilt down",
    ("Zoom", "in"): "Zoom in",
    ("Zoom", "out"): "Zoom out",
    ("Truck", "left"): "Truck left",
    ("Truck", "right"): "Truck right",
    ("Dolly", "in"): "Push in",
    ("Dolly", "forward"): "Push in",
    ("Dolly", "out"): "Pull out",
    ("Dolly", "back"): "Pull out",
    ("Pedestal", "up"): "Pedestal up",
    ("Pedestal", "down"): "Pedestal down",
    ("Push in", "in"): "Push in",
    ("Push in", "forward"): "Push in",
    ("Push in", ""): "Push in",
    ("Pull out", "out"): "Pull out",
    ("Pull out", "back"): "Pull out",
    ("Pull out", ""): "Pull out",
    ("Pedestal up", ""): "Pedestal up",
    ("Pedestal up", "up"): "Pedestal up",
    ("Tracking shot", ""): "Tracking shot",
    ("Shake", ""): "Shake",
}


@rule("HL504", "prose-camera-move", Severity.INFO, "Prose describes a move a directive could state")
def prose_camera_move(ctx: Context) -> Iterator[Finding]:
    """Free camera language works, but the model follows explicit directives more
    accurately. Where the prose says "the camera pans left", ``[Pan left]`` says it exactly.
    Informational: it never fails a run.

    Before: ``A harbour at noon, the camera pans left across the boats.``
    After:  ``A harbour at noon [Pan left], boats bobbing in the water.``
    """
    if "amera" not in ctx.prompt.text:
        return
    for text in ctx.prompt.texts:
        if "amera" not in text.value:
            continue
        for m in _PATTERN.finditer(text.value):
            verb = m.group("verb")
            if verb is None:
                directive: str | None = "Static shot"
            else:
                direction = (m.group("dir") or "").lower().removesuffix("s").removesuffix("ward")
                directive = _DIRECTED.get((_VERBS[verb.lower()], direction))
            if directive is None:
                continue
            start = text.span.start + m.start()
            yield Finding(
                start,
                start + len(m.group()),
                f"The prose describes a camera move; {quoted(directive)} states it exactly",
                suggestions=(directive,),
            )
