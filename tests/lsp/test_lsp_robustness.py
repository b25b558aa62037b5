"""The server keeps working through requests it cannot answer, broken messages, stale edits and
a very large document."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import Future
from pathlib import Path

import pytest
import pytest_lsp
from lsp_helpers import SERVER, open_and_wait, replace_all, start, uri_of, wait_for
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pytest_lsp import LanguageClient, client_capabilities

from hailuo_dsl import lint

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(config=SERVER, scope="module")
async def debounced(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await start(lsp_client, debounce=200)
    yield
    await lsp_client.shutdown_session()


async def hover(client: LanguageClient, uri: str, line: int, character: int) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=character)
        )
    )


async def still_answers(client: LanguageClient, tmp_path: Path) -> None:
    """A fresh document still gets diagnostics and hovers."""
    path = tmp_path / "alive.prompt"
    published = await open_and_wait(client, path, "Still here [Push out].")
    assert [d.code for d in published.diagnostics] == ["HL102"]
    answer = await hover(client, uri_of(path), 0, 13)
    assert answer is not None


def send_raw(client: LanguageClient, body: bytes) -> None:
    """Write one framed message to the server's standard input, bypassing the client's types."""
    server = client._server
    assert server is not None and server.stdin is not None
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)


async def test_requests_on_unknown_documents_and_positions(client: LanguageClient, tmp_path: Path) -> None:
    never = uri_of(tmp_path / "never-opened.prompt")
    assert await hover(client, never, 0, 0) is None
    completion = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=never), position=types.Position(line=0, character=0)
        )
    )
    assert completion is None
    path = tmp_path / "short.prompt"
    await open_and_wait(client, path, "A cat [Pan left].")
    assert await hover(client, uri_of(path), 999, 999) is None
    assert await hover(client, uri_of(path), 0, 999) is None
    completion = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)), position=types.Position(line=50, character=7)
        )
    )
    assert completion is None or not completion.items  # type: ignore[union-attr]
    await still_answers(client, tmp_path)


async def test_malformed_messages(client: LanguageClient, tmp_path: Path) -> None:
    send_raw(
        client,
        json.dumps(
            {"jsonrpc": "2.0", "id": "bad-1", "method": "textDocument/hover", "params": {"textDocument": {"uri": 5}}}
        ).encode(),
    )
    send_raw(client, json.dumps({"jsonrpc": "2.0", "id": "bad-2", "method": "textDocument/codeAction", "params": None}).encode())
    send_raw(client, json.dumps({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"bogus": True}}).encode())
    send_raw(client, b"{this is not json")
    await still_answers(client, tmp_path)


async def raw_request(client: LanguageClient, method: str, params: object) -> object:
    """Send a request with params as given (no protocol types to refuse them) and return its
    result, or raise the error the server answered with."""
    msg_id = f"raw-{len(client.protocol._request_futures)}-{method}"
    answer: Future[object] = Future()
    client.protocol._request_futures[msg_id] = answer
    send_raw(client, json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}).encode())
    return await asyncio.wrap_future(answer)


@pytest.mark.parametrize(
    ("method", "params", "named"),
    [
        ("textDocument/hover", {"textDocument": {"uri": "file:///x.prompt"}, "position": {"line": -1, "character": 0}}, "line"),
        ("textDocument/completion", {"textDocument": {}, "position": {"line": 0, "character": 0}}, "missing"),
        ("textDocument/codeAction", None, "textDocument/codeAction"),
    ],
)
async def test_invalid_params_get_a_json_rpc_error(
    client: LanguageClient, tmp_path: Path, method: str, params: object, named: str
) -> None:
    with pytest.raises(JsonRpcException) as caught:
        await asyncio.wait_for(raw_request(client, method, params), timeout=30)
    assert caught.value.code == JsonRpcInvalidParams.CODE
    assert named in caught.value.message
    await still_answers(client, tmp_path)


@pytest.mark.parametrize(
    "frame",
    [
        b"Content-Length: abc\r\n\r\n{}",
        b"Content-Lenght: 2\r\n\r\n{}",
        b"Content-Length: 99999999999\r\n\r\n{}",
        b"\r\n\r\nnoise before any header\r\n",
        b"Content-Length: 5\r\n\r\nnot{}",
    ],
)
async def test_a_bad_frame_is_skipped_and_reported(client: LanguageClient, tmp_path: Path, frame: bytes) -> None:
    server = client._server
    assert server is not None and server.stdin is not None
    before = len(client.log_messages)
    server.stdin.write(frame)
    await still_answers(client, tmp_path)
    assert any("skipped a message" in m.message for m in client.log_messages[before:])


async def test_quick_fix_with_garbage_data_is_ignored(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "g.prompt"
    published = await open_and_wait(client, path, "A cat [pan left].")
    (diag,) = published.diagnostics
    for data in ({"fix": {"edits": "nope"}}, {"fix": None}, "text", 5):
        forged = types.Diagnostic(range=diag.range, message=diag.message, code=diag.code, source=diag.source, data=data)
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
                range=diag.range,
                context=types.CodeActionContext(diagnostics=[forged], only=[types.CodeActionKind.QuickFix]),
            )
        )
        assert not actions


async def test_only_the_latest_version_is_published(debounced: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "typing.prompt"
    texts = ["A cat [p", "A cat [pan", "A cat [pan left", "A cat [pan left]", "A cat [pan left] runs [Static]"]
    debounced.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri_of(path), language_id="hailuo-prompt", version=1, text=texts[0])
        )
    )
    for version, text in enumerate(texts[1:], start=2):
        replace_all(debounced, path, text, version)
    published = await wait_for(debounced, uri_of(path))
    # The edits came faster than the debounce: one run, for the last version only.
    assert published.version == len(texts)
    assert [d.code for d in published.diagnostics] == [d.code for d in lint(texts[-1])] == ["HL101", "HL103"]


async def test_five_megabyte_document(client: LanguageClient, tmp_path: Path) -> None:
    unit = "A cat runs across the 猫 🐈 yard and jumps over the fence while the sun sets.\n" * 100 + "Then [pan left].\n"
    text = (unit * (5_000_000 // len(unit) + 1))[:5_000_000]
    path = tmp_path / "huge.prompt"
    published = await open_and_wait(client, path, text)
    codes = {d.code for d in published.diagnostics}
    assert {"HL101", "HL501"} <= codes
    last = text.rindex("[pan left]")
    line = text.count("\n", 0, last)
    answer = await hover(client, uri_of(path), line, 7)
    assert answer is not None and isinstance(answer.contents, types.MarkupContent)
    assert "Pan left" in answer.contents.value
    # An edit at the end of the document is applied and linted.
    end_line = text.count("\n")
    debounce_free_edit = types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri_of(path), version=2),
        content_changes=[
            types.TextDocumentContentChangePartial(
                range=types.Range(
                    start=types.Position(line=end_line, character=0), end=types.Position(line=end_line, character=0)
                ),
                text="[Push out]",
            )
        ],
    )
    client.text_document_did_change(debounce_free_edit)
    published = await wait_for(client, uri_of(path))
    assert published.version == 2
    assert "HL102" in {d.code for d in published.diagnostics}
    await still_answers(client, tmp_path)


async def test_dense_document_is_capped(client: LanguageClient, tmp_path: Path) -> None:
    text = "[pan left] " * 3000
    published = await open_and_wait(client, tmp_path / "dense.prompt", text)
    assert 1000 < len(published.diagnostics) <= 1001
    assert "more findings" in published.diagnostics[-1].message


@pytest_lsp.fixture(config=SERVER, scope="module")
async def utf8_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    capabilities = client_capabilities("visual-studio-code")
    capabilities.general = types.GeneralClientCapabilities(
        position_encodings=[types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16]
    )
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=capabilities, initialization_options={"debounce": 0})
    )
    lsp_client.position_encoding = result.capabilities.position_encoding  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def test_server_chooses_utf16_even_when_utf8_is_offered(utf8_client: LanguageClient, tmp_path: Path) -> None:
    assert utf8_client.position_encoding == types.PositionEncodingKind.Utf16  # type: ignore[attr-defined]
    path = tmp_path / "e.prompt"
    published = await open_and_wait(utf8_client, path, "🎬 [pan left]")
    assert published.diagnostics[0].range.start.character == 4  # 🎬 is two UTF-16 units, four UTF-8 bytes
    # An incremental edit in UTF-16 units lands where meant: "pan" -> "Pan".
    utf8_client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri_of(path), version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=0, character=4), end=types.Position(line=0, character=5)),
                    text="P",
                )
            ],
        )
    )
    assert not (await wait_for(utf8_client, uri_of(path))).diagnostics
