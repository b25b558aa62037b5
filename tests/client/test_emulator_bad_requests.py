"""The emulator answers malformed requests 400, as a real server would: a submit nested 100,000
levels deep, a garbage request line, a path that is not ASCII, a malformed header (a 500 made
the client read a deep submit as an unknown outcome; a closed connection, as no answer)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from hailuo_dsl.contract import SUBMIT_PATH
from hailuo_dsl.emulator import Emulator

KEY = "sk-emulator-test"


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(api_key=KEY) as server:
        yield server


def raw_exchange(emulator: Emulator, data: bytes) -> bytes:
    """Send raw bytes on a fresh connection and read the whole answer (the server closes it)."""
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    "data",
    [
        b"GARBAGE\r\n\r\n",
        b"\x00\x01\x02 junk\r\n\r\n",
        "GET /v1/videos/generations/vidé HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
        b"GET /v1/videos/generations/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nA header without a colon\r\n\r\n",
    ],
    ids=["garbage-line", "binary-line", "utf8-path", "latin1-path", "bad-header"],
)
def test_a_request_that_cannot_be_read_is_answered_400(emulator: Emulator, data: bytes) -> None:
    answer = raw_exchange(emulator, data)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n"), answer[:80]
    assert b"\r\nConnection: close\r\n" in answer and answer.endswith(b"\r\n\r\nBad Request")


def test_the_server_still_serves_after_bad_requests(emulator: Emulator) -> None:
    raw_exchange(emulator, b"GARBAGE\r\n\r\n")
    answer = httpx.get(f"{emulator.url}{SUBMIT_PATH}/vid_none", headers={"Authorization": f"Bearer {KEY}"})
    assert answer.status_code == 404


@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000, b'{"prompt": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"])
def test_a_submit_nested_too_deeply_is_a_bad_request(emulator: Emulator, body: bytes) -> None:
    answer = httpx.post(
        emulator.url + SUBMIT_PATH, content=body, headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "The request body nests too deeply to be read"
    assert emulator.stats.submits_refused == 1 and emulator.stats.submits_accepted == 0
