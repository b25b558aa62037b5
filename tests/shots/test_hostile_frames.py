"""Hostile frame images: a JPEG padded with megabytes of fill bytes or junk between its segments,
headers of thousands of segments or chunks, a PNG that declares 12000x12000 pixels and holds no
image data. The weight is judged first, Pillow only ever sees a header's worth of bytes, and
every check is one pass over the file."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from images_util import make_image
from PIL import Image

from hailuo_dsl import contract
from hailuo_dsl.rules import FRAME_CHECKS, run_checks
from hailuo_dsl.rules.contexts import FrameContext
from hailuo_dsl.shots import images
from hailuo_dsl.shots.images import ImageFacts, image_facts


def judged(facts: ImageFacts) -> list[tuple[str, str]]:
    context = FrameContext(facts, "first frame", "f.jpg", "", (None, (0, 0)))
    return [(rule.code, found.message) for rule, found in run_checks(FRAME_CHECKS, context)]


@pytest.fixture
def pillow_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The size of every byte stream handed to Pillow."""
    seen: list[int] = []
    original = Image.open

    def recording(stream: io.BytesIO, *args: object, **kwargs: object) -> Image.Image:
        seen.append(len(stream.getbuffer()))
        return original(stream, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Image, "open", recording)
    images.clear_cache()
    yield seen
    images.clear_cache()


def padded_jpeg(path: Path, padding: bytes, size: tuple[int, int] = (640, 360)) -> Path:
    """A JPEG with ``padding`` between its first segment (APP0) and the next."""
    data = make_image(path, size, "JPEG").read_bytes()
    cut = 4 + int.from_bytes(data[4:6], "big")
    path.write_bytes(data[:cut] + padding + data[cut:])
    return path


@pytest.mark.parametrize("padding", [b"\xff" * 9_000_000, b"\x17" * 9_000_000], ids=["fill bytes", "junk"])
def test_megabytes_between_segments_never_reach_pillow(tmp_path: Path, padding: bytes, pillow_reads: list[int]) -> None:
    facts = image_facts(padded_jpeg(tmp_path / "padded.jpg", padding))
    assert (facts.format, facts.size, facts.truncated) == ("JPEG", (640, 360), False)
    assert judged(facts) == []
    assert pillow_reads and max(pillow_reads) < 10_000  # the header without the padding


def test_thirty_megabytes_of_fill_bytes_is_judged_by_its_weight(tmp_path: Path, pillow_reads: list[int]) -> None:
    path = padded_jpeg(tmp_path / "fill.jpg", b"\xff" * 30_000_000)
    facts = image_facts(path)
    assert facts.size == (640, 360) and not facts.truncated
    assert [code for code, _ in judged(facts)] == ["HL609"]
    assert "30.0 MB; the model takes images under 20 MB" in judged(facts)[0][1]
    assert max(pillow_reads) < 10_000
    path.write_bytes(path.read_bytes()[:-1000])  # over the limit, damage is not looked for: the weight decides
    assert [code for code, _ in judged(image_facts(path))] == ["HL609"]


def test_a_header_of_thousands_of_segments_cannot_be_read(tmp_path: Path, pillow_reads: list[int]) -> None:
    path = padded_jpeg(tmp_path / "comments.jpg", b"\xff\xfe\x00\x03x" * (images.HEADER_CHUNKS + 10))
    assert judged(image_facts(path)) == [
        ("HL608", 'first frame "f.jpg" is a truncated or damaged JPEG file: its header cannot be read')
    ]
    fine = padded_jpeg(tmp_path / "few.jpg", b"\xff\xfe\x00\x03x" * 50)
    assert judged(image_facts(fine)) == []


def test_a_jpeg_that_ends_before_its_scan_is_truncated(tmp_path: Path) -> None:
    data = make_image(tmp_path / "f.jpg", (640, 360), "JPEG").read_bytes()
    path = tmp_path / "header-only.jpg"
    path.write_bytes(data[: data.index(b"\xff\xda")] + b"\xff\xd9")
    assert [code for code, _ in judged(image_facts(path))] == ["HL608"]


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, *chunks: bytes) -> bytes:
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + b"".join(chunks) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "data",
    [
        png(12000, 12000),
        png(640, 360, chunk(b"IDAT", b"")),
        png(640, 360, chunk(b"tEXt", b"Title\x00A frame")),
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 640, 360, 8, 2, 0, 0, 0)) + b"\x00\x01\x00\x00IDAT",
    ],
    ids=["12000x12000 and nothing else", "empty IDAT", "no IDAT", "IDAT cut short"],
)
def test_a_png_without_image_data_is_truncated(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(data)
    found = judged(image_facts(path))
    assert [code for code, _ in found] == ["HL608"]
    assert "truncated PNG" in found[0][1]


def test_a_png_of_thousands_of_chunks_before_its_data_cannot_be_read(tmp_path: Path, pillow_reads: list[int]) -> None:
    whole = make_image(tmp_path / "f.png", (640, 360)).read_bytes()
    cut = 8 + 25  # after IHDR
    path = tmp_path / "chunks.png"
    path.write_bytes(whole[:cut] + chunk(b"prVt", b"") * (images.HEADER_CHUNKS + 1) + whole[cut:])
    assert "header cannot be read" in judged(image_facts(path))[0][1]
    assert pillow_reads == []  # refused before Pillow walks them one by one
    path.write_bytes(whole[:cut] + chunk(b"prVt", b"") * 20 + whole[cut:])
    assert judged(image_facts(path)) == []


def test_the_upload_limit_is_the_line_between_reading_whole_and_reading_a_header(tmp_path: Path) -> None:
    whole = make_image(tmp_path / "f.png", (640, 360)).read_bytes()
    cut = len(whole) - 12  # before IEND
    pad = chunk(b"prVt", b"\x00" * (contract.MAX_UPLOAD_BYTES - len(whole) - 12))
    path = tmp_path / "at-limit.png"
    path.write_bytes(whole[:cut] + pad + whole[cut:])
    assert path.stat().st_size == contract.MAX_UPLOAD_BYTES and judged(image_facts(path)) == []
    path.write_bytes(whole[:cut] + pad + b"\x00" + whole[cut:])
    assert [code for code, _ in judged(image_facts(path))] == ["HL609"]
