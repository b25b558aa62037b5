"""Downloads from a hostile server, through both clients: every download has a size cap on the
decoded bytes, a stall timeout and an overall deadline, asks for identity encoding, and leaves no
file behind when it fails."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_server import API_KEY, Answer, HostileServer, Twin, endless, gzip_bomb, stall, trickle

from hailuo_dsl.client import AsyncClient, Client, MalformedResponse, ResponseTooLarge, RetryPolicy, Timeout, TransferLimits
from hailuo_dsl.contract import MB
from hailuo_dsl.emulator.models import HttpRequest

FAST = RetryPolicy(max_attempts=2, base_delay=0.001, max_delay=0.01, deadline=10.0)
SMALL = TransferLimits(max_download_bytes=5 * MB, download_stall_timeout=5.0, download_deadline=30.0)


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


@pytest.fixture(params=["sync", "async"])
async def make(request: pytest.FixtureRequest, server: HostileServer) -> AsyncIterator[Callable[..., Twin]]:
    made: list[Client | AsyncClient] = []

    def build(limits: TransferLimits = SMALL, **settings: Any) -> Twin:
        kind = Client if request.param == "sync" else AsyncClient
        client = kind(api_key=API_KEY, base_url=server.url, retry=FAST, limits=limits, timeout=5.0, **settings)
        made.append(client)
        return Twin(client)

    yield build
    for client in made:
        if isinstance(client, AsyncClient):
            await client.aclose()
        else:
            client.close()


def answer_downloads(server: HostileServer, answer: Callable[[], Answer]) -> None:
    async def handler(request: HttpRequest) -> Answer:
        return answer()

    server.handlers["download"] = handler


def video_url(server: HostileServer) -> str:
    return f"{server.url}/files/videos/vid_x.mp4"


def assert_nothing_left(folder: Path) -> None:
    assert list(folder.iterdir()) == [], "a failed download left a file (or its .part) behind"


async def test_a_body_announced_as_terabytes_is_refused_before_a_byte_is_written(
    make: Callable[..., Twin], server: HostileServer, tmp_path: Path
) -> None:
    answer_downloads(server, lambda: Answer(headers=[("Content-Type", "video/mp4")], body=endless(), length=10 * 10**12))
    with pytest.raises(ResponseTooLarge, match=r"announced as 10 TB, over the download limit of 5 MB") as caught:
        await make().download(video_url(server), tmp_path / "v.mp4")
    assert "max_download_bytes" in str(caught.value) and "--max-download-mb" in str(caught.value)
    assert_nothing_left(tmp_path)
    assert server.seen["download"] == 1  # a size refusal is not retried


async def test_an_endless_chunked_body_stops_at_the_cap(make: Callable[..., Twin], server: HostileServer, tmp_path: Path) -> None:
    answer_downloads(server, lambda: Answer(headers=[("Content-Type", "video/mp4")], body=endless()))
    with pytest.raises(ResponseTooLarge, match="more than 5 MB"):
        await make().download(video_url(server), tmp_path / "v.mp4")
    assert_nothing_left(tmp_path)


async def test_a_gzip_bomb_is_capped_on_its_decoded_bytes(
    make: Callable[..., Twin], server: HostileServer, tmp_path: Path
) -> None:
    """About 5 kB on the wire would be 5 MB decoded: the cap counts what would reach the file."""
    answer_downloads(server, lambda: Answer(headers=[("Content-Encoding", "gzip")], body=gzip_bomb()))
    with pytest.raises(ResponseTooLarge, match="more than 5 MB"):
        await make().download(video_url(server), tmp_path / "v.mp4")
    assert_nothing_left(tmp_path)
    assert server.requests[-1].headers["accept-encoding"] == "identity"
    assert "authorization" not in server.requests[-1].headers


async def test_a_compressed_video_the_server_sent_anyway_is_decoded(
    make: Callable[..., Twin], server: HostileServer, tmp_path: Path
) -> None:
    video = bytes(range(256)) * 40_000  # 10.24 MB decoded, under a cap of exactly that
    packed = gzip.compress(video)
    answer_downloads(server, lambda: Answer(headers=[("Content-Encoding", "gzip")], body=packed))
    path = await make(TransferLimits(max_download_bytes=len(video))).download(video_url(server), tmp_path / "v.mp4")
    assert path.read_bytes() == video
    answer_downloads(server, lambda: Answer(headers=[("Content-Encoding", "br")], body=b"\x1b\x00"))
    with pytest.raises(MalformedResponse, match="encoded as 'br', which was not asked for"):
        await make().download(video_url(server), tmp_path / "w.mp4")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.mp4"]


async def test_a_trickled_body_ends_at_the_deadline(make: Callable[..., Twin], server: HostileServer, tmp_path: Path) -> None:
    """A byte every 20 ms never stalls, and never ends: the overall deadline stops it."""
    answer_downloads(server, lambda: Answer(body=trickle(0.02)))
    limits = TransferLimits(max_download_bytes=5 * MB, download_stall_timeout=5.0, download_deadline=0.5)
    with pytest.raises(Timeout, match=r"did not finish within 0.5 s \(download_deadline, --download-deadline\)"):
        await make(limits).download(video_url(server), tmp_path / "v.mp4")
    assert_nothing_left(tmp_path)


async def test_a_stalled_body_ends_at_the_stall_timeout(make: Callable[..., Twin], server: HostileServer, tmp_path: Path) -> None:
    answer_downloads(server, lambda: Answer(body=stall(b"\0" * 1000)))
    limits = TransferLimits(max_download_bytes=5 * MB, download_stall_timeout=0.2, download_deadline=30.0)
    with pytest.raises(Timeout, match=r"stalled: no data for 0.2 s \(download_stall_timeout, --download-stall\)"):
        await make(limits).download(video_url(server), tmp_path / "v.mp4")
    assert_nothing_left(tmp_path)
    assert server.seen["download"] == FAST.max_attempts  # a stall is retried, within the deadline


async def test_an_error_page_is_read_within_the_reply_limit(
    make: Callable[..., Twin], server: HostileServer, tmp_path: Path
) -> None:
    answer_downloads(server, lambda: Answer(status=404, headers=[("Content-Type", "text/plain")], body=endless(b"x" * 65536)))
    with pytest.raises(ResponseTooLarge, match="reply limit of 1 MB"):
        await make().download(video_url(server), tmp_path / "v.mp4")
    assert_nothing_left(tmp_path)


def test_limits_have_sane_defaults_and_refuse_nonsense() -> None:
    limits = TransferLimits()
    assert limits.max_download_bytes >= 100 * MB and limits.max_reply_bytes == 1 * MB
    assert limits.download_deadline > limits.download_stall_timeout > 0
    for bad in ({"max_download_bytes": 0}, {"max_reply_bytes": -1}, {"download_stall_timeout": 0}, {"download_deadline": -1}):
        with pytest.raises(ValueError):
            TransferLimits(**bad)


@pytest.mark.parametrize("encoded", [False, True], ids=["plain", "gzip"])
async def test_an_empty_answer_is_no_video(
    make: Callable[..., Twin], server: HostileServer, tmp_path: Path, encoded: bool
) -> None:
    """A 200 with nothing in it (a redirect to a host that answers empty, a broken CDN) once left a
    0-byte .mp4 and reported success; a video is never empty, so it is an error and leaves nothing."""
    headers = [("Content-Encoding", "gzip")] if encoded else []
    body = gzip.compress(b"") if encoded else b""
    answer_downloads(server, lambda: Answer(headers=[("Content-Type", "video/mp4"), *headers], body=body))
    with pytest.raises(MalformedResponse, match=r"the video at .*vid_x\.mp4 came as an empty body \(0 bytes\)"):
        await make().download(video_url(server), tmp_path / "v.mp4")
    assert_nothing_left(tmp_path)
    assert server.seen["download"] == 1  # what came was whole: nothing to retry
