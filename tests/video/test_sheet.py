"""The contact sheet: each shot's first and last frame under its name, in a grid."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from video_helpers import difference, make_clip, png, scene

from hailuo_dsl.video import contact_sheet, first_frame, last_frame, save_contact_sheet
from hailuo_dsl.video.sheet import BACKGROUND


def test_the_sheet_shows_each_shots_first_and_last_frame(tmp_path: Path) -> None:
    images = {"first": png(scene()), "square": png(scene((720, 720), (120, 40, 40)))}
    shots = [
        ("opening", make_clip(tmp_path, "a", {"prompt": "[Push in]", "image_urls": ["first"]}, images=images)),
        ("title", make_clip(tmp_path, "b", {"prompt": "The title [Zoom out]"}, shot="title")),
        ("square", make_clip(tmp_path, "c", {"prompt": "[Pan left]", "image_urls": ["square"]}, images=images)),
    ]
    sheet = contact_sheet(shots, columns=2, thumb_width=160)
    gap, box, label, caption = 6, (160, 90), round(160 / 14 * 1.5), round(160 / 20 * 1.5)
    cell = (2 * box[0] + gap, label + box[1] + caption)
    assert sheet.size == (gap + 2 * (cell[0] + gap), gap + 2 * (cell[1] + gap))  # three shots: two rows of two
    for index, (_, clip) in enumerate(shots):
        left, top = gap + (index % 2) * (cell[0] + gap), gap + (index // 2) * (cell[1] + gap)
        name_area = sheet.crop((left, top, left + box[0], top + label))
        assert len(name_area.getcolors(maxcolors=1 << 16) or ()) > 1  # the name is written there
        for side, frame in enumerate((first_frame(clip), last_frame(clip))):
            x = left + side * (box[0] + gap)
            thumb = sheet.crop((x, top + label, x + box[0], top + label + box[1]))
            expected = Image.new("RGB", box, BACKGROUND)
            fitted = frame.resize(
                (box[0], round(box[0] * frame.height / frame.width))
                if frame.width / frame.height >= 16 / 9
                else (round(box[1] * frame.width / frame.height), box[1])
            )
            expected.paste(fitted, ((box[0] - fitted.width) // 2, (box[1] - fitted.height) // 2))
            assert difference(thumb, expected) < 3
    assert (
        difference(
            sheet.crop((gap, gap + label, gap + 160, gap + label + 90)),
            sheet.crop((gap + 166, gap + label, gap + 326, gap + label + 90)),
        )
        > 5
    )  # push in: first and last differ
    assert save_contact_sheet(shots[:1], tmp_path / "sheet.png").is_file()
    with pytest.raises(ValueError, match="no shots"):
        contact_sheet([])
