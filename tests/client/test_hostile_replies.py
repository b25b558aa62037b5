"""API replies from a hostile server, through both clients: read within a size limit and a
deadline; the key redacted from everything the server or httpx said, before anything is cut
short; a key that is not printable ASCII refused before any request."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from hostile_server import API_KEY, Answer, HostileServer, Twin, endless, gzip_bomb, key_parts_in, prefixed, trickle

from hailuo_dsl.client import (
    AsyncClient,
    AuthenticationError,
    Client,
    HailuoError,
    MalformedResponse,
    NotFound,
    ResponseTooLarge,
    RetryPolicy,
    SubmitOutcomeUnknown,
    TaskFailed,
    Timeout,
)
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.emulator.models import HttpRequest

FAST = RetryPolicy(max_attempts=2, base_delay=0.001, max_delay=0.01, deadline=10.0)
REQUEST = VideoRequest(prompt="Waves hitting the beach at sunset")
TASK_HEAD = b'{"id": "vid_1", "status": "queued", "pad": "'


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


@pytest.fixture(params=["sync", "async"])
async def make(request: pytest.FixtureRequest, server: HostileServer) -> AsyncIterator[Callable[..., Twin]]:
    made: list[Client | AsyncClient] = []

    def build(**settings: Any) -> Twin:
        kind = Client if request.param == "sync" else AsyncClient
        options: dict[str, Any] = {"api_key": API_KEY, "base_url": server.url, "retry": FAST, "timeout": 5.0}
        options.update(settings)
        client = kind(**options)
        made.append(client)
        return Twin(client)

    yield build
    for client in made:
        if isinstance(client, AsyncClient):
            await client.aclose()
        else:
            client.close()


def answer(server: HostileServer, endpoint: str, make_answer: Callable[[], Answer]) -> None:
    async def handler(request: HttpRequest) -> Answer:
        return make_answer()

    server.handlers[endpoint] = handler


def shown(err: BaseException) -> str:
    body = getattr(err, "body", None) or ""
    return f"{err}\n{err!r}\n{body}"


# -- the reply limit ------------------------------------------------------------------------------


async def test_a_compressed_reply_bomb_is_refused_at_the_limit(make: Callable[..., Twin], server: HostileServer) -> None:
    answer(server, "query", lambda: Answer(headers=[("Content-Encoding", "gzip")], body=gzip_bomb(TASK_HEAD, b"a")))
    with pytest.raises(ResponseTooLarge, match=r"more than 1 MB, over the reply limit of 1 MB \(max_reply_bytes") as caught:
        await make().get("vid_1")
    assert isinstance(caught.value, MalformedResponse)
    assert server.requests[-1].headers["accept-encoding"] == "identity"


async def test_an_endless_plain_reply_is_refused_at_the_limit(make: Callable[..., Twin], server: HostileServer) -> None:
    answer(server, "query", lambda: Answer(body=prefixed(TASK_HEAD, endless(b"a" * 65536))))
    with pytest.raises(ResponseTooLarge, match="over the reply limit"):
        await make().get("vid_1")
    answer(server, "query", lambda: Answer(body=prefixed(TASK_HEAD, endless(b"a" * 65536)), length=400_000_000))
    with pytest.raises(ResponseTooLarge, match="over the reply limit"):
        await make().get("vid_1")


async def test_the_reply_limit_is_a_client_setting(make: Callable[..., Twin], server: HostileServer) -> None:
    from hailuo_dsl.client import TransferLimits

    big = json.dumps({"id": "vid_1", "status": "queued", "pad": "a" * 50_000}).encode()
    answer(server, "query", lambda: Answer(body=big))
    assert (await make().get("vid_1")).id == "vid_1"
    with pytest.raises(ResponseTooLarge, match="reply limit of 10 kB"):
        await make(limits=TransferLimits(max_reply_bytes=10_000)).get("vid_1")


async def test_a_submit_whose_reply_is_too_large_has_an_unknown_outcome(make: Callable[..., Twin], server: HostileServer) -> None:
    answer(server, "submit", lambda: Answer(body=prefixed(TASK_HEAD, endless(b"a" * 65536))))
    with pytest.raises(SubmitOutcomeUnknown, match="over the reply limit"):
        await make().submit(REQUEST)
    assert server.seen["submit"] == 1


async def test_a_trickled_reply_ends_at_the_call_deadline(make: Callable[..., Twin], server: HostileServer) -> None:
    quick = RetryPolicy(max_attempts=1, deadline=0.4)
    answer(server, "query", lambda: Answer(body=prefixed(TASK_HEAD, trickle(0.02, b"a"))))
    with pytest.raises(Timeout, match=r"still arriving 0.4 s after it began"):
        await make(retry=quick).get("vid_1")
    answer(server, "submit", lambda: Answer(body=prefixed(TASK_HEAD, trickle(0.02, b"a"))))
    with pytest.raises(SubmitOutcomeUnknown, match=r"still arriving 0.4 s after it began"):
        await make(retry=quick).submit(REQUEST)


async def test_odd_encodings_and_nesting(make: Callable[..., Twin], server: HostileServer) -> None:
    import gzip

    task = json.dumps({"id": "vid_1", "status": "queued"}).encode()
    answer(server, "query", lambda: Answer(headers=[("Content-Encoding", "gzip")], body=gzip.compress(task)))
    assert (await make().get("vid_1")).id == "vid_1"
    answer(server, "query", lambda: Answer(headers=[("Content-Encoding", "deflate")], body=b"not deflate at all"))
    with pytest.raises(MalformedResponse, match="does not decode"):
        await make().get("vid_1")
    answer(server, "query", lambda: Answer(body=b"[" * 100_000 + b"]" * 100_000))
    with pytest.raises(MalformedResponse, match="a body that is not a JSON object"):
        await make().get("vid_1")


# -- the key stays secret -------------------------------------------------------------------------


async def test_a_key_echoed_past_the_cut_leaves_no_prefix(make: Callable[..., Twin], server: HostileServer) -> None:
    for padding in range(180, 200):  # the key straddles the 200th character at some padding
        text = "x" * padding + f" Bearer {API_KEY} was refused"
        answer(
            server, "query", lambda text=text: Answer(status=401, headers=[("Content-Type", "text/plain")], body=text.encode())
        )
        with pytest.raises(AuthenticationError) as caught:
            await make().get("vid_1")
        assert key_parts_in(shown(caught.value)) == [], padding


async def test_a_failed_task_and_its_status_are_redacted(make: Callable[..., Twin], server: HostileServer) -> None:
    failed = {
        "id": "vid_1",
        "status": f"failed (Bearer {API_KEY})",
        "error": {"code": 500, "message": f"worker saw Bearer {API_KEY}", "type": "server_error"},
        f"echo-{API_KEY}": [API_KEY, {"nested": API_KEY}],
    }
    answer(server, "query", lambda: Answer(body=json.dumps(failed).encode()))
    task = await make().get("vid_1")
    assert key_parts_in(repr(task) + json.dumps(task.raw)) == []
    assert task.status_text == "failed (Bearer <api-key>)" and task.error is not None
    assert task.error.message == "worker saw Bearer <api-key>"
    answer(server, "query", lambda: Answer(body=json.dumps({**failed, "status": "failed"}).encode()))
    with pytest.raises(TaskFailed) as caught:
        await make(poll_interval=0.001, first_poll_delay=0.0).wait("vid_1", timeout=5)
    assert "worker saw Bearer <api-key>" in str(caught.value) and key_parts_in(shown(caught.value)) == []


async def test_a_key_quoted_in_escaped_forms_is_redacted(make: Callable[..., Twin], server: HostileServer) -> None:
    escaped = "".join(f"\\u{ord(c):04x}" for c in API_KEY)
    body = ('{"error": {"code": 404, "message": "no task for key ' + escaped + '"}}').encode()
    answer(server, "query", lambda: Answer(status=404, body=body))
    with pytest.raises(NotFound) as caught:
        await make().get("vid_1")
    assert "<api-key>" in str(caught.value) and key_parts_in(shown(caught.value)) == []
    for form in (API_KEY.replace("-", "%2D"), json.dumps(API_KEY)):
        answer(server, "query", lambda form=form: Answer(status=404, body=f"no such task ({form})".encode()))
        with pytest.raises(NotFound) as caught:
            await make().get("vid_1")
        assert key_parts_in(shown(caught.value)) == [], form


async def test_a_redirect_to_the_key_is_redacted_from_httpx_errors(make: Callable[..., Twin], server: HostileServer) -> None:
    answer(server, "query", lambda: Answer(status=302, headers=[("Location", f"/v1/videos/generations/{API_KEY}")]))
    with pytest.raises(HailuoError) as caught:
        await make().get("vid_1")
    assert "TooManyRedirects" in str(caught.value) and key_parts_in(shown(caught.value)) == []


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("sk-SÉCRET", "a character that is not ASCII at position 5"),
        ("sk-SE\x01CRET", "a control character at position 6"),
        ("sk-SE CRET", "a space at position 6"),
        ("sk-SE\nCRET", "a line break at position 6"),  # a key pasted over two lines: was "a space"
        ("sk-SE\tCRET", "a tab at position 6"),
    ],
)
async def test_a_key_no_header_can_carry_is_refused_before_any_request(
    make: Callable[..., Twin], server: HostileServer, key: str, kind: str
) -> None:
    with pytest.raises(AuthenticationError, match=f"The API key in api_key= has {kind}") as caught:
        make(api_key=key)
    assert "SECRET" not in str(caught.value) and "CRET" not in str(caught.value)
    assert sum(server.seen.values()) == 0


# -- the server's words on a terminal -------------------------------------------------------------

HOSTILE_WORDS = "boom \x1b[2J\x1b]0;pwned\x07\r\nhailuo: all good \u202e\x85"
"""Clears the screen, retitles the window, and forges a line of output, reversed."""


def printable_only(text: str) -> bool:
    return all(c.isprintable() or c == " " for c in text)


@pytest.mark.parametrize("status", [200, 500])
async def test_the_servers_words_cannot_drive_the_terminal(make: Callable[..., Twin], server: HostileServer, status: int) -> None:
    """An answer's escape sequences and line breaks once reached the terminal from `hailuo status`,
    the error line and the render tables (through the journal): they are shown as symbols now."""
    failed = {"id": "vid_1\x1b[31m", "status": "failed", "error": {"code": "\x1b[5m", "message": HOSTILE_WORDS}}
    answer(server, "query", lambda: Answer(status=status, body=json.dumps(failed).encode()))
    client = make(poll_interval=0.001, first_poll_delay=0.0)
    with pytest.raises(HailuoError) as caught:
        if status == 200:
            task = await client.get("vid_1")
            assert task.id == "vid_1␛[31m" and task.error is not None
            assert task.error.message == "boom ␛[2J␛]0;pwned␇  hailuo: all good \ufffd "
            assert printable_only(task.error.message + json.dumps(task.raw, ensure_ascii=False))
        await client.wait("vid_1", timeout=5)
    assert printable_only(str(caught.value) + (caught.value.body or "")), str(caught.value)
    assert "␛[2J␛]0;pwned␇" in str(caught.value)
    answer(server, "query", lambda: Answer(status=502, headers=[("Content-Type", "text/plain")], body=HOSTILE_WORDS.encode()))
    with pytest.raises(HailuoError) as caught:
        await client.get("vid_1")
    assert printable_only(str(caught.value) + (caught.value.body or "")), str(caught.value)


@pytest.mark.parametrize("when", [1e300, -1e300, 10**30, -1, "1e300"])
async def test_a_time_no_date_can_show_is_no_time(
    make: Callable[..., Twin], server: HostileServer, when: Any, tmp_path: Any
) -> None:
    """Times far out of range once raised an OverflowError from `hailuo download` (an expiry shown
    as a date) and from the render journal; they are read as absent."""
    task_id = server.completed_task()

    async def odd_times(request: HttpRequest) -> Answer:
        real = json.loads(server.ordinary(request).body)
        return Answer(body=json.dumps({**real, "created_at": when, "completed_at": when, "expires_at": when}).encode())

    server.handlers["query"] = odd_times
    client = make()
    task = await client.get(task_id)
    assert (task.created_at, task.completed_at, task.expires_at) == (None, None, None)
    assert (await client.download(task, tmp_path)).stat().st_size > 0
