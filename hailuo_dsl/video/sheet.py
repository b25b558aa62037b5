"""A contact sheet: each shot's first and last frame side by side under its name, shots in a grid.

It shows at a glance where shots meet (a shot that continues another starts on the picture the
other ends on) and which clip went wrong, without playing anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from hailuo_dsl.video.frames import first_frame, last_frame

BACKGROUND = (24, 24, 28)
LABEL = (238, 238, 240)
CAPTION = (150, 150, 160)


def _font(size: int) -> Any:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError):  # a Pillow without FreeType
        return ImageFont.load_default()


def _thumbnail(picture: Image.Image, box: tuple[int, int]) -> Image.Image:
    """``picture`` fitted inside ``box`` (aspect kept), centred on the sheet's background."""
    scale = min(box[0] / picture.width, box[1] / picture.height)
    inner = picture.resize(
        (max(1, round(picture.width * scale)), max(1, round(picture.height * scale))), Image.Resampling.LANCZOS
    )
    cell = Image.new("RGB", box, BACKGROUND)
    cell.paste(inner, ((box[0] - inner.width) // 2, (box[1] - inner.height) // 2))
    return cell


def contact_sheet(shots: Sequence[tuple[str, Path | str]], *, columns: int = 2, thumb_width: int = 240) -> Image.Image:
    """The sheet of ``shots`` (name, clip file), ``columns`` shots to a row, each as its first and
    last frame ``thumb_width`` pixels wide (16:9 boxes; other aspects are fitted inside)."""
    if not shots:
        raise ValueError("no shots for a contact sheet")
    if columns < 1 or thumb_width < 16:
        raise ValueError("a contact sheet needs at least one column and thumbnails at least 16 pixels wide")
    box = (thumb_width, round(thumb_width * 9 / 16))
    gap = max(4, thumb_width // 24)
    label_font, caption_font = _font(max(10, thumb_width // 14)), _font(max(8, thumb_width // 20))
    label_height, caption_height = round(thumb_width / 14 * 1.5), round(thumb_width / 20 * 1.5)
    cell = (2 * box[0] + gap, label_height + box[1] + caption_height)
    rows = (len(shots) + columns - 1) // columns
    sheet = Image.new("RGB", (gap + columns * (cell[0] + gap), gap + rows * (cell[1] + gap)), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for index, (name, path) in enumerate(shots):
        left = gap + (index % columns) * (cell[0] + gap)
        top = gap + (index // columns) * (cell[1] + gap)
        draw.text((left, top), name, font=label_font, fill=LABEL)
        for side, (caption, picture) in enumerate((("first", first_frame(path)), ("last", last_frame(path)))):
            x = left + side * (box[0] + gap)
            sheet.paste(_thumbnail(picture, box), (x, top + label_height))
            draw.text((x, top + label_height + box[1] + 1), caption, font=caption_font, fill=CAPTION)
    return sheet


def save_contact_sheet(shots: Sequence[tuple[str, Path | str]], path: Path | str, **options: Any) -> Path:
    """Draw the sheet of ``shots`` and save it to ``path`` (PNG or JPEG, by its suffix); returns the path."""
    path = Path(path)
    contact_sheet(shots, **options).save(path)
    return path
