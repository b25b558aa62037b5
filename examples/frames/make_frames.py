"""Draw the example frames (run from anywhere: ``python examples/frames/make_frames.py``).

The frames are flat drawings of a few kilobytes, saved in each format Hailuo takes (PNG, JPEG,
WebP). The same script draws the broken frames of ``examples/broken/frames/``: a GIF named
``.png``, a PNG cut short, a thumbnail too small and a banner too wide.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
BROKEN = HERE.parent / "broken" / "frames"


def canvas(size: tuple[int, int], sky: str, ground: str, horizon: float = 0.65) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, int(size[1] * horizon), size[0], size[1]), fill=ground)
    return image, draw


def save(image: Image.Image, path: Path) -> None:
    """Save with few colours, so a frame weighs a few kilobytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".png":
        image.quantize(colors=16).save(path, optimize=True)
    elif path.suffix == ".jpg":
        image.save(path, quality=70, optimize=True)
    else:
        image.save(path, quality=60)


def mouse() -> Image.Image:
    """A grey mouse on a meadow, 480x640 (portrait)."""
    image, draw = canvas((480, 640), "#9fd3f0", "#6cab4a")
    draw.ellipse((150, 330, 330, 470), fill="#8a8a8a")  # body
    draw.ellipse((290, 320, 370, 390), fill="#9a9a9a")  # head
    draw.ellipse((300, 290, 335, 330), fill="#c9a0a0")  # ear
    draw.ellipse((345, 345, 355, 355), fill="black")  # eye
    draw.line((150, 430, 90, 470, 60, 440), fill="#8a8a8a", width=6)  # tail
    return image


def girl(grown: bool) -> Image.Image:
    """A figure under a tree, 480x640; taller and with a longer coat when ``grown``."""
    image, draw = canvas((480, 640), "#f6d7a7", "#c48a4a")
    draw.rectangle((60, 200, 90, 420), fill="#6b4a2a")
    draw.ellipse((0, 100, 160, 260), fill="#3f7f3a")
    top = 250 if grown else 330
    draw.ellipse((225, top, 275, top + 50), fill="#f1c8a0")  # head
    draw.polygon([(250, top + 50), (200, 420 + (20 if grown else 0)), (300, 420 + (20 if grown else 0))], fill="#b03a48")
    return image


def harbor() -> Image.Image:
    """Boats in a harbour at dusk, 640x360."""
    image, draw = canvas((640, 360), "#32406b", "#1d2b4a", horizon=0.6)
    draw.ellipse((480, 40, 540, 100), fill="#f3e3a3")  # moon
    for x in (80, 260, 430):
        draw.polygon([(x, 230), (x + 120, 230), (x + 100, 260), (x + 20, 260)], fill="#8c5a3c")
        draw.line((x + 60, 230, x + 60, 150), fill="#dddddd", width=3)
        draw.polygon([(x + 62, 155), (x + 62, 225), (x + 110, 225)], fill="#eeeeee")
    return image


def lantern() -> Image.Image:
    """A paper lantern in a night street, 640x360."""
    image, draw = canvas((640, 360), "#141a2e", "#2b2b2b", horizon=0.75)
    draw.line((320, 0, 320, 110), fill="#555555", width=3)
    draw.ellipse((270, 110, 370, 230), fill="#e0452e")
    draw.rectangle((300, 105, 340, 115), fill="#222222")
    draw.rectangle((300, 225, 340, 235), fill="#222222")
    return image


def main() -> None:
    save(mouse(), HERE / "mouse.png")
    save(girl(grown=False), HERE / "girl.png")
    save(girl(grown=True), HERE / "woman.png")
    save(harbor(), HERE / "harbor.jpg")
    save(lantern(), HERE / "lantern.webp")
    # Broken on purpose, for examples/broken/.
    BROKEN.mkdir(parents=True, exist_ok=True)
    harbor().quantize(colors=16).save(BROKEN / "logo.png", format="GIF")
    save(mouse(), BROKEN / "cut.png")
    data = (BROKEN / "cut.png").read_bytes()
    (BROKEN / "cut.png").write_bytes(data[: len(data) // 2])
    save(mouse().resize((180, 240)), BROKEN / "thumb.png")
    save(harbor().resize((1600, 400)), BROKEN / "banner.png")
    for path in sorted([*HERE.iterdir(), *BROKEN.iterdir()]):
        if path.suffix != ".py":
            print(f"{path.relative_to(HERE.parent)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
