"""Properties of the bounded body reader and of the redactor, on arbitrary data."""

from __future__ import annotations

import gzip
import itertools
import json
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hailuo_dsl.client.limits import PIECE, BodyError, BoundedBody, Overrun
from hailuo_dsl.client.redact import REDACTED, Redactor

FAR = float("inf")
KEY = "sk-prop-SECRET-0123"


def chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


def read_all(body: BoundedBody, parts: list[bytes]) -> bytes:
    return b"".join(piece for part in parts for piece in body.feed(part))


@given(st.binary(max_size=20_000), st.lists(st.integers(0, 20_000), max_size=8), st.sampled_from(["identity", "gzip", "deflate"]))
def test_any_body_in_any_chunks_decodes_to_itself(data: bytes, cuts: list[int], encoding: str) -> None:
    wire = {"identity": data, "gzip": gzip.compress(data), "deflate": zlib.compress(data)}[encoding]
    body = BoundedBody(encoding, limit=len(data) or 1, deadline_at=FAR)
    assert read_all(body, chunks(wire, cuts)) == data
    assert body.size == len(data) and body.raw == len(wire)


@given(st.integers(1, 3 * PIECE), st.integers(0, 1000))
def test_the_limit_counts_decoded_bytes_and_no_piece_is_larger_than_a_megabyte(size: int, spare: int) -> None:
    wire = gzip.compress(b"\0" * size)
    body = BoundedBody("gzip", limit=size + spare, deadline_at=FAR)
    assert all(len(piece) <= PIECE for piece in body.feed(wire))
    tight = BoundedBody("gzip", limit=size - 1, deadline_at=FAR) if size > 1 else None
    if tight is not None:
        with pytest.raises(BodyError) as caught:
            read_all(tight, [wire])
        assert caught.value.overrun is Overrun.SIZE


@given(st.text(max_size=300), st.text(max_size=300), st.integers(0, 700))
def test_no_cut_of_a_redacted_text_keeps_a_prefix_of_the_key(before: str, after: str, cut: int) -> None:
    redactor = Redactor(KEY)
    clean = redactor.text(before + KEY + after)[:cut]
    assert not any(KEY[:n] in clean for n in range(8, len(KEY) + 1) if KEY[:n] not in before + after)


@given(
    st.recursive(
        st.text(max_size=5) | st.just(KEY),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(max_size=5) | st.just(KEY), inner),
    )
)
def test_every_string_of_parsed_json_is_redacted(data: object) -> None:
    redacted, _ = Redactor(KEY).tree(json.loads(json.dumps(data)))
    assert KEY not in json.dumps(redacted) and (REDACTED in json.dumps(redacted)) == (KEY in json.dumps(data))


TOKEN = st.text(alphabet="abcxyzABC0189_.~-", min_size=1, max_size=40)


@given(st.sampled_from(["x", "ab", "k-1", "sk_test"]), TOKEN)
def test_a_short_key_leaves_ids_and_words_that_contain_it_whole(key: str, token: str) -> None:
    redactor = Redactor(key)
    if token != key:
        assert redactor.text(f"task vid_{token} for {token}") == f"task vid_{token} for {token}"
    assert redactor.text(f"Bearer {key}") == f"Bearer {REDACTED}"
    assert redactor.text(f'{{"key": "{key}", "id": "vid_{key}9"}}') == f'{{"key": "{REDACTED}", "id": "vid_{key}9"}}'
    assert redactor.text(f"/v1/query?key={key}&page=1") == f"/v1/query?key={REDACTED}&page=1"


def test_a_long_key_is_redacted_even_inside_a_word() -> None:
    assert Redactor(KEY).text(f"id_{KEY}_tail") == f"id_{REDACTED}_tail"
