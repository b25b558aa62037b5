"""Shared pieces of the language-server tests: starting a real server over stdio, opening
documents, and applying the edits it returns the way an editor would."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from hailuo_dsl.prompt.positions import LineIndex

PUBLISHED: dict[int, list[types.PublishDiagnosticsParams]] = {}
"""Every diagnostics notification each client received, in order (by ``id`` of the client)."""
CONSUMED: dict[tuple[int, str], int] = {}
REGISTERED: dict[int, list[types.Registration]] = {}
"""Every capability each client was asked to register (``client/registerCapability``)."""


def make_client() -> LanguageClient:
    """The test client, recording every publishDiagnostics: two notifications that arrive
    together (a script's and its spec's) would otherwise wake one waiter and lose the other."""
    client = LanguageClient(converter_factory=default_converter)
    PUBLISHED[id(client)] = []

    def record(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        ls.diagnostics[params.uri] = params.diagnostics
        PUBLISHED[id(ls)].append(params)

    def register(ls: LanguageClient, params: types.RegistrationParams) -> None:
        REGISTERED.setdefault(id(ls), []).extend(params.registrations)

    features = {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: record}
    register_lsp_features(client, {**features, types.CLIENT_REGISTER_CAPABILITY: register})
    return client


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "hailuo_dsl.lsp"], client_factory=make_client)


async def start(client: LanguageClient, **options: Any) -> None:
    """Initialise a session with the given initialization options."""
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        initialization_options={"debounce": 0, "promptExtensions": [".prompt", ".txt"], **options},
    )
    await client.initialize_session(params)


def uri_of(path: Path) -> str:
    return path.as_uri()


async def open_and_wait(client: LanguageClient, path: Path, text: str, version: int = 1) -> types.PublishDiagnosticsParams:
    """Open a document and return the first diagnostics published for it."""
    language = "shot" if path.suffix == ".shot" else "hailuo-prompt"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri_of(path), language_id=language, version=version, text=text)
        )
    )
    return await wait_for(client, uri_of(path))


async def wait_for(client: LanguageClient, uri: str) -> types.PublishDiagnosticsParams:
    """The next diagnostics published for ``uri`` that this helper has not returned yet."""
    while True:
        found = [p for p in PUBLISHED[id(client)] if p.uri == uri]
        seen = CONSUMED.get((id(client), uri), 0)
        if len(found) > seen:
            CONSUMED[(id(client), uri)] = seen + 1
            return found[seen]
        await client.wait_for_notification("textDocument/publishDiagnostics")


def replace_all(client: LanguageClient, path: Path, text: str, version: int) -> None:
    """Send a full-text change."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri_of(path), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def apply_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply protocol edits (UTF-16 positions, all relative to ``text``) as an editor does."""
    index = LineIndex(text)
    spans = []
    for e in edits:
        start = index.offset(e.range.start.line, e.range.start.character)
        end = index.offset(e.range.end.line, e.range.end.character)
        spans.append((start, end, e.new_text))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def workspace_edits(edit: types.WorkspaceEdit | None, uri: str) -> list[types.TextEdit]:
    """The edits a workspace edit makes to ``uri``."""
    assert edit is not None
    found: list[types.TextEdit] = []
    for change in edit.document_changes or []:
        assert isinstance(change, types.TextDocumentEdit)
        if change.text_document.uri == uri:
            found.extend(e for e in change.edits if isinstance(e, types.TextEdit))
    for u, edits in (edit.changes or {}).items():
        if u == uri:
            found.extend(edits)
    return found


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
