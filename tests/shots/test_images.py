"""Frame facts by bytes (format, truncation, size, short side, aspect), URLs and the cache, each
judged by the frame rules (HL607-HL611, HL613) as the compiler judges them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from images_util import Routes, make_image, padded_png, serve, truncate
from PIL import Image, ImageFile

from hailuo_dsl import contract
from hailuo_dsl.rules import FRAME_CHECKS, run_checks
from hailuo_dsl.rules.contexts import FrameContext
from hailuo_dsl.shots import images
from hailuo_dsl.shots.images import ImageFacts, image_facts, is_url, probe_url, url_facts


def judged(facts: ImageFacts) -> list[tuple[str, str]]:
    """What the frame rules make of ``facts``: each problem's code and reason."""
    context = FrameContext(facts, "first frame", "f.png", "", (None, (0, 0)))
    return [(rule.code, found.message.removeprefix('first frame "f.png" ')) for rule, found in run_checks(FRAME_CHECKS, context)]


def ok(facts: ImageFacts) -> bool:
    return not judged(facts)


def codes(facts: ImageFacts) -> list[str]:
    return [code for code, _reason in judged(facts)]


def messages(facts: ImageFacts) -> str:
    return " | ".join(reason for _code, reason in judged(facts))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_each_format_the_model_takes_passes(tmp_path: Path, fmt: str) -> None:
    info = image_facts(make_image(tmp_path / f"frame.{fmt.lower()}", (640, 360), fmt))
    assert ok(info), messages(info)
    assert info.size == (640, 360)
    assert info.format == images.FORMATS[fmt]


def test_format_is_read_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    info = image_facts(make_image(tmp_path / "actually-jpeg.png", (640, 360), "JPEG"))
    assert ok(info) and info.format == "JPEG"


def test_a_gif_named_png_is_refused(tmp_path: Path) -> None:
    info = image_facts(make_image(tmp_path / "logo.png", (640, 360), "GIF"))
    assert codes(info) == ["HL608"]
    assert "GIF" in messages(info)


def test_a_text_file_named_png_is_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "notes.png"
    path.write_text("a shot list, not a picture\n")
    info = image_facts(path)
    assert codes(info) == ["HL608"]
    assert "not an image" in messages(info)


def test_missing_empty_and_folder(tmp_path: Path) -> None:
    assert codes(image_facts(tmp_path / "nowhere.png")) == ["HL607"]
    assert "does not exist" in messages(image_facts(tmp_path / "nowhere.png"))
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    assert codes(image_facts(empty)) == ["HL607"]
    assert "empty" in messages(image_facts(empty))
    (tmp_path / "folder.png").mkdir()
    assert codes(image_facts(tmp_path / "folder.png")) == ["HL607"]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_file_cut_in_its_data_is_truncated(tmp_path: Path, fmt: str) -> None:
    path = truncate(make_image(tmp_path / f"cut.{fmt.lower()}", (640, 480), fmt), 0.6)
    info = image_facts(path)
    assert codes(info) == ["HL608"]
    assert "truncated" in messages(info) and images.FORMATS[fmt] in messages(info)


def test_a_png_cut_in_its_header_is_one_clear_error(tmp_path: Path) -> None:
    path = truncate(make_image(tmp_path / "cut.png"), 20)
    info = image_facts(path)
    assert codes(info) == ["HL608"]
    assert "truncated or damaged PNG" in messages(info)


@pytest.mark.parametrize(
    ("size", "fits"),
    [((301, 400), True), ((300, 400), False), ((400, 300), False), ((640, 301), True), ((200, 200), False)],
)
def test_short_side_must_be_over_300(tmp_path: Path, size: tuple[int, int], fits: bool) -> None:
    info = image_facts(make_image(tmp_path / "f.png", size))
    assert ("HL610" not in codes(info)) is fits


@pytest.mark.parametrize(
    ("size", "fits"),
    [((320, 800), True), ((320, 801), False), ((800, 320), True), ((801, 320), False), ((1280, 720), True)],
)
def test_aspect_between_2_5_and_5_2_inclusive(tmp_path: Path, size: tuple[int, int], fits: bool) -> None:
    info = image_facts(make_image(tmp_path / "f.png", size))
    assert ("HL611" not in codes(info)) is fits
    assert ok(info) is fits


def test_file_size_limits(tmp_path: Path) -> None:
    at_limit = image_facts(padded_png(tmp_path / "ten.png", contract.MAX_UPLOAD_BYTES))
    assert ok(at_limit), messages(at_limit)
    over_upload = image_facts(padded_png(tmp_path / "eleven.png", contract.MAX_UPLOAD_BYTES + 1))
    assert codes(over_upload) == ["HL609"]
    assert "upload endpoint takes at most 10 MB" in messages(over_upload)
    over_model = image_facts(padded_png(tmp_path / "twenty.png", contract.MAX_MODEL_IMAGE_BYTES))
    assert codes(over_model) == ["HL609"]
    assert "under 20 MB" in messages(over_model)


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    info = image_facts(make_image(tmp_path / "strip.png", (1600, 200)))
    assert codes(info) == ["HL610", "HL611"]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_only_the_header_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    path = make_image(tmp_path / "big.img", (1920, 1080), fmt)

    def no_decoding(self: Image.Image) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    assert image_facts(path).size == (1920, 1080)


def test_results_are_cached_per_path_mtime_and_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_image(tmp_path / "f.png", (640, 360))
    first = image_facts(path)
    opened: list[object] = []
    real_open = Image.open
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    assert image_facts(path) is first
    assert opened == []
    make_image(path, (360, 640))  # a new image at the same path
    assert image_facts(path).size == (360, 640)
    assert len(opened) == 1


def test_digest_follows_the_content(tmp_path: Path) -> None:
    path = make_image(tmp_path / "f.png", (640, 360), color="red")
    before = images.file_digest(path)
    assert images.file_digest(path) == before
    make_image(path, (640, 360), color="green")
    assert images.file_digest(path) != before


def test_references() -> None:
    assert is_url("https://example.com/a.jpg") and is_url("http://x/a.png") and is_url("data:image/png;base64,AAAA")
    assert not is_url("frames/a.png") and not is_url("C:\\frames\\a.png") and not is_url("/abs/a.png")
    data = judged(url_facts("data:image/png;base64,iVBORw0KGgo="))
    assert len(data) == 1 and data[0][0] == "HL613"
    assert "use a file path or an http(s) URL" in data[0][1]
    ftp = judged(url_facts("ftp://example.com/a.png"))
    assert len(ftp) == 1 and "ftp" in ftp[0][1]
    assert judged(url_facts("https://example.com/a.jpg")) == []
    assert images.local_path("file:///tmp/a%20b.png") == Path("/tmp/a b.png")


# -- probing URLs over a loopback server -----------------------------------------------------------


_ROUTES: Routes = {
    "/frame.png": (200, {"Content-Type": "image/png", "Content-Length": "5000"}),
    "/page.html": (200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": "10"}),
    "/huge.jpg": (200, {"Content-Type": "image/jpeg", "Content-Length": str(25_000_000)}),
    "/gone.png": (404, {"Content-Type": "text/plain", "Content-Length": "0"}),
    "/no-head.webp": (405, {"Content-Type": "image/webp", "Content-Length": "3"}),
}


@pytest.fixture()
def server() -> Iterator[str]:
    with serve(_ROUTES) as url:
        yield url


def test_probe_urls(server: str) -> None:
    with httpx.Client(timeout=5) as client:
        assert ok(probe_url(f"{server}/frame.png", client))
        assert ok(probe_url(f"{server}/no-head.webp", client))
        gone = probe_url(f"{server}/gone.png", client)
        assert codes(gone) == ["HL613"] and "HTTP 404" in messages(gone)
        page = probe_url(f"{server}/page.html", client)
        assert codes(page) == ["HL608"] and "text/html" in messages(page)
        huge = probe_url(f"{server}/huge.jpg", client)
        assert codes(huge) == ["HL609"]


def test_probe_an_unreachable_url() -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with httpx.Client(timeout=5) as client:
        info = probe_url(f"http://127.0.0.1:{port}/frame.png", client)
    assert codes(info) == ["HL613"] and "cannot be reached" in messages(info)


def test_data_after_the_end_of_the_image_is_not_damage(tmp_path: Path) -> None:
    """Motion photos and some editors append data after a JPEG's end marker or a PNG's IEND."""
    for fmt in ("JPEG", "PNG"):
        path = make_image(tmp_path / f"trailer.{fmt.lower()}", (640, 360), fmt)
        path.write_bytes(path.read_bytes() + b"\x00\x00\x00\x18ftypmp42" + b"\x17" * 5000)
        info = image_facts(path)
        assert ok(info), messages(info)


def test_a_jpeg_cut_after_its_thumbnail_is_truncated(tmp_path: Path) -> None:
    """An EXIF thumbnail carries its own end marker before the main image's data: the search
    for the end starts after the main scan begins."""
    thumbnail = tmp_path / "thumb.jpg"
    make_image(thumbnail, (160, 120), "JPEG")
    exif = Image.Exif()
    image = Image.open(make_image(tmp_path / "base.png", (1280, 720)))
    path = tmp_path / "photo.jpg"
    image.save(path, format="JPEG", exif=exif.tobytes())
    data = path.read_bytes()
    # Put a complete JPEG (with its end marker) inside an APP segment before the scan.
    embedded = thumbnail.read_bytes()
    app = b"\xff\xe9" + (len(embedded) + 2).to_bytes(2, "big") + embedded
    path.write_bytes(data[:2] + app + data[2:])
    assert ok(image_facts(path))
    truncate(path, 0.8)
    assert codes(image_facts(path)) == ["HL608"]


def test_the_caches_keep_at_most_their_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "CACHE_LIMIT", 3)
    images.clear_cache()
    paths = [make_image(tmp_path / f"f{i}.png", (400, 400)) for i in range(5)]
    for path in paths:
        assert ok(images.image_facts(path))
        images.file_digest(path)
    kept = {key[0] for key in images._CACHE}
    assert kept == {str(p) for p in paths[2:]} and {key[0] for key in images._DIGESTS} == kept  # the newest three
    images.clear_cache()
