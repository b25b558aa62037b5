"""The emulator's camera: the prompt's directives as moves of a view over a picture, and the pictures
it looks at (a first frame mirrored around its edges, or a text card on a grid).

Directives are read with the project's own parser and classifier, so every spelling the model takes
counts (``[pan left]`` as well as ``[Pan left]``), and a near miss that the model would read as
plain text (``[Push out]``, ``[Slow push in]``) moves nothing, as on the real service.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from hailuo_dsl.prompt.classify import ItemKind, classify
from hailuo_dsl.prompt.directives import BY_NAME
from hailuo_dsl.prompt.parser import parse_prompt

ASPECT_RANGE = (2 / 5, 5 / 2)
MIN_SIDE = 16
_ACCEPTED = frozenset({ItemKind.CANONICAL, ItemKind.SPELLING})
"""Bracket items the model acts on: directives as written, or in another case or spacing."""


@dataclass(frozen=True, slots=True)
class Move:
    """What one directive does to the view over its part of the clip: a slide (fractions of the
    frame, right and down positive), a zoom factor, and whether it shakes."""

    dx: float = 0.0
    dy: float = 0.0
    zoom: float = 1.0
    shake: bool = False


MOVES: dict[str, Move] = {
    "Truck left": Move(dx=-0.2),
    "Truck right": Move(dx=0.2),
    "Pan left": Move(dx=-0.25),
    "Pan right": Move(dx=0.25),
    "Push in": Move(zoom=1.35),
    "Pull out": Move(zoom=1 / 1.35),
    "Pedestal up": Move(dy=-0.15),
    "Pedestal down": Move(dy=0.15),
    "Tilt up": Move(dy=-0.2),
    "Tilt down": Move(dy=0.2),
    "Zoom in": Move(zoom=1.5),
    "Zoom out": Move(zoom=1 / 1.5),
    "Shake": Move(shake=True),
    "Tracking shot": Move(zoom=1.1),  # following a subject in a still picture reads as a slow drift in
    "Static shot": Move(),
}
"""The effect of each canonical directive (contract §6), keyed by the name the classifier gives."""

ZOOM_RANGE = (0.6, 3.0)
SHAKE_AMPLITUDE = 0.025


def directive_groups(prompt: str | None) -> list[tuple[str, ...]]:
    """The prompt's moves in order: one tuple of canonical English names per closed bracket that has
    any. A name the classifier gives is looked up in the directive table, so a directive written in
    another of its canonical spellings (the official Chinese names) counts as its English twin."""
    groups: list[tuple[str, ...]] = []
    for bracket in parse_prompt(prompt or "").brackets:
        if not bracket.closed:
            continue
        names: list[str] = []
        for item in bracket.items:
            verdict = classify(item.name)
            if verdict.kind in _ACCEPTED and verdict.directive is not None:
                for name in verdict.directive.split(","):
                    directive = BY_NAME.get(name.strip())
                    if directive is not None and directive.name in MOVES:
                        names.append(directive.name)
        if names:
            groups.append(tuple(dict.fromkeys(names)))
    return groups


@dataclass(frozen=True, slots=True)
class View:
    """Where the camera looks: the view's centre offset (frame widths/heights) and its zoom."""

    x: float = 0.0
    y: float = 0.0
    zoom: float = 1.0

    @property
    def is_identity(self) -> bool:
        return abs(self.x) < 1e-9 and abs(self.y) < 1e-9 and abs(self.zoom - 1) < 1e-9

    def relative_to(self, end: View) -> View:
        """This view as seen from a picture that fills the frame at ``end`` (the last frame's layer)."""
        return View((self.x - end.x) * end.zoom, (self.y - end.y) * end.zoom, self.zoom / end.zoom)


class CameraPath:
    """The camera over a clip: the groups of moves share the clip equally, in order, each eased."""

    def __init__(self, groups: list[tuple[str, ...]], frames: int, seed: str) -> None:
        self.frames = frames
        self.segments = [_combine(group) for group in groups] or [Move()]
        self.keys = [View()]
        for move in self.segments:
            self.keys.append(_clamped(self.keys[-1], move, 1.0))
        rng = random.Random(hashlib.sha256(seed.encode("utf-8")).digest())
        self.jitter = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in range(frames)]

    def view(self, index: int) -> View:
        """The view at frame ``index``."""
        u = index / max(1, self.frames - 1)
        count = len(self.segments)
        segment = min(count - 1, int(u * count))
        progress = ease(min(1.0, u * count - segment))
        move = self.segments[segment]
        view = _clamped(self.keys[segment], move, progress)
        if move.shake:
            amplitude = SHAKE_AMPLITUDE * math.sin(math.pi * progress)
            jx, jy = self.jitter[index]
            view = View(view.x + amplitude * jx, view.y + amplitude * jy, view.zoom)
        return view

    @property
    def end(self) -> View:
        return self.keys[-1]


def _combine(group: tuple[str, ...]) -> Move:
    """Moves in one bracket run at once: their slides add, their zooms multiply."""
    moves = [MOVES[name] for name in group]
    return Move(
        dx=sum(m.dx for m in moves),
        dy=sum(m.dy for m in moves),
        zoom=math.prod(m.zoom for m in moves),
        shake=any(m.shake for m in moves),
    )


def _clamped(start: View, move: Move, progress: float) -> View:
    """``start`` moved by ``progress`` (0 to 1) of ``move``, kept where the mirrored canvas has picture."""
    zoom = min(max(start.zoom * move.zoom**progress, ZOOM_RANGE[0]), ZOOM_RANGE[1])
    reach = 1.5 - 1 / (2 * zoom) - SHAKE_AMPLITUDE
    x = min(max(start.x + move.dx * progress, -reach), reach)
    y = min(max(start.y + move.dy * progress, -reach), reach)
    return View(x, y, zoom)


def ease(p: float) -> float:
    """Smoothstep: a move starts and ends gently."""
    return p * p * (3 - 2 * p)


def video_size(resolution: str, aspect: float, scale: float) -> tuple[int, int]:
    """The clip's size: the resolution names the short side (``768P``), the first frame's aspect
    gives the long one, both even; then ``scale`` (the emulator's option) shrinks it."""
    short = int(resolution.upper().removesuffix("P"))
    aspect = min(max(aspect, ASPECT_RANGE[0]), ASPECT_RANGE[1])
    width, height = (short * aspect, short) if aspect >= 1 else (short, short / aspect)
    return max(MIN_SIDE, _even(_even(width) * scale)), max(MIN_SIDE, _even(_even(height) * scale))


def _even(value: float) -> int:
    """The nearest even whole number: yuv420p video halves its colour planes."""
    return max(2, 2 * round(value / 2))


def mirrored_canvas(picture: Image.Image) -> Image.Image:
    """``picture`` in the middle of a 3x3 grid of its mirror images: a moving view always has picture."""
    width, height = picture.size
    flipped_x = picture.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    flipped_y = picture.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    flipped_xy = flipped_x.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    canvas = Image.new("RGB", (3 * width, 3 * height))
    for column in range(3):
        for row in range(3):
            tile = {(True, True): picture, (False, True): flipped_x, (True, False): flipped_y}.get(
                (column == 1, row == 1), flipped_xy
            )
            canvas.paste(tile, (column * width, row * height))
    return canvas


def render_view(canvas: Image.Image, size: tuple[int, int], view: View) -> Image.Image:
    """What the camera sees of a 3x3 ``canvas`` (the picture in its middle) at ``view``."""
    width, height = size
    if view.is_identity:
        return canvas.crop((width, height, 2 * width, 2 * height))
    scale = 1 / view.zoom
    left = (1.5 + view.x) * width - width * scale / 2
    top = (1.5 + view.y) * height - height * scale / 2
    box = (left, top, left + width * scale, top + height * scale)
    return canvas.resize(size, Image.Resampling.NEAREST, box=box)  # 30 times faster than bilinear; fine for a preview


def fit(picture: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``picture`` filling ``size`` as the API fits a frame: scaled, its centre cropped to the aspect."""
    picture = picture.convert("RGB")
    width, height = picture.size
    target = size[0] / size[1]
    if abs(width / height - target) > 1e-3:
        if width / height > target:
            keep = round(height * target)
            picture = picture.crop(((width - keep) // 2, 0, (width - keep) // 2 + keep, height))
        else:
            keep = round(width / target)
            picture = picture.crop((0, (height - keep) // 2, width, (height - keep) // 2 + keep))
    return picture if picture.size == size else picture.resize(size, Image.Resampling.LANCZOS)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=max(6, size))
    except (OSError, TypeError):  # a Pillow without FreeType
        return ImageFont.load_default()


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Any, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and draw.textlength(candidate, font=font) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def text_card(prompt: str, shot: str | None, groups: list[tuple[str, ...]], size: tuple[int, int]) -> Image.Image:
    """The 3x3 canvas of a text-to-video clip: a grid that shows every move, the card in the middle
    with the shot's name, the prompt and the moves it asks for."""
    width, height = size
    canvas = Image.new("RGB", (3 * width, 3 * height), (22, 26, 38))
    draw = ImageDraw.Draw(canvas)
    step = max(4, height // 6)
    for x in range(0, 3 * width, step):
        draw.line((x, 0, x, 3 * height), fill=(40, 46, 64))
    for y in range(0, 3 * height, step):
        draw.line((0, y, 3 * width, y), fill=(40, 46, 64))
    margin = max(2, width // 24)
    draw.rectangle((width, height, 2 * width - 1, 2 * height - 1), outline=(230, 180, 70), width=max(1, height // 96))
    top = height + margin
    if shot:
        title = _font(height // 8)
        draw.text((width + margin, top), shot, font=title, fill=(255, 214, 110))
        top += height // 8 + margin // 2
    body = _font(height // 14)
    line_height = height // 14 + max(1, height // 96)
    lines = _wrap(draw, prompt, body, width - 2 * margin)
    room = max(1, (2 * height - margin - line_height - top) // line_height)
    if len(lines) > room:
        lines = [*lines[: room - 1], lines[room - 1] + " …"]
    for line in lines:
        draw.text((width + margin, top), line, font=body, fill=(236, 238, 244))
        top += line_height
    moves = ", then ".join(" + ".join(group) for group in groups) or "Static shot"
    draw.text((width + margin, 2 * height - margin - line_height), moves, font=body, fill=(120, 200, 255))
    return canvas
