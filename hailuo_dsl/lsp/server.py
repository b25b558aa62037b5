"""The language server (``hailuo lsp``): diagnostics, quick fixes, completion, hover, formatting and
an outline for ``.shot`` scripts and prompt files, over the same library calls as the CLI.

This module registers the features on a :class:`~hailuo_dsl.lsp.state.HailuoServer` (which holds
the state, the lint scheduling and the transport) and runs it over standard input and output.
The features' modules are imported when first used (and loaded on the lint thread right after the
``initialize`` reply), so the server answers ``initialize`` about as fast as a bare pygls server.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import to_fs_path

from hailuo_dsl.lsp.capabilities import CODE_ACTION_KINDS, COMPLETION_TRIGGERS
from hailuo_dsl.lsp.convert import offset, to_range
from hailuo_dsl.lsp.options import ServerOptions
from hailuo_dsl.lsp.state import DEPENDENCY_SUFFIXES, HailuoServer

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

    from hailuo_dsl.documents import DocumentKind

logger = logging.getLogger(__name__)


def _path(uri: str) -> Path | None:
    found = to_fs_path(uri)
    return Path(found) if found else None


def create_server() -> HailuoServer:
    """A server with every feature registered."""
    server = HailuoServer()

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        server.options = ServerOptions.from_json(params.initialization_options)

    @server.feature(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        server.warm_up()
        server.start_watching()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        server.options = ServerOptions.from_json(params.settings, base=server.options)
        server.relint_all()

    def changed(uri: str) -> None:
        """A document changed: lint it, or the documents that read it when it is a dependency."""
        if uri.endswith(DEPENDENCY_SUFFIXES) and (path := _path(uri)) is not None:
            server.files_changed([path])
        server.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        server.clear(uri)
        if uri.endswith(DEPENDENCY_SUFFIXES) and (path := _path(uri)) is not None:
            server.files_changed([path])  # its text on disk counts again

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        changed(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        paths = [p for change in params.changes if (p := _path(change.uri)) is not None]
        server.files_changed(paths)

    def fixer_for(doc: TextDocument, kind: DocumentKind) -> Callable[[str], str]:
        from hailuo_dsl.documents import fix_document

        path = server.path_of(doc)
        config = server.config_for(path)
        return lambda text: fix_document(text, kind, config, path).text

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=CODE_ACTION_KINDS, resolve_provider=True)
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        from hailuo_dsl.lsp import actions

        found = server.snapshot(params.text_document.uri)
        if found is None:
            return None
        doc, kind, index = found
        fixer = fixer_for(doc, kind)
        return actions.code_actions(doc.uri, doc.version, kind, index, params, fixer, can_resolve=server.can_resolve_edits())

    @server.feature(types.CODE_ACTION_RESOLVE)
    def resolve_code_action(action: types.CodeAction) -> types.CodeAction:
        from hailuo_dsl.lsp import actions

        target = actions.fix_all_target(action)
        found = None if target is None else server.snapshot(target[0])
        if target is None or found is None or found[0].version != target[1]:
            return action  # not ours, or the document changed since: nothing to add
        doc, kind, index = found
        resolved = actions.fix_all(doc.uri, doc.version, index, fixer_for(doc, kind))
        action.edit = resolved.edit if resolved is not None else actions.document_edit(doc.uri, doc.version, [])
        return action

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=COMPLETION_TRIGGERS))
    def complete(params: types.CompletionParams) -> types.CompletionList | None:
        from hailuo_dsl.lsp import completion

        found = server.snapshot(params.text_document.uri)
        if found is None:
            return None
        _doc, kind, index = found
        items = completion.complete(index.text, index, offset(index, params.position), kind)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(params: types.HoverParams) -> types.Hover | None:
        from hailuo_dsl.lsp import hover

        found = server.snapshot(params.text_document.uri)
        if found is None:
            return None
        doc, kind, index = found
        path = server.path_of(doc)
        answer = hover.hover_text(index.text, index, offset(index, params.position), kind, server.config_for(path), path)
        if answer is None:
            return None
        markdown, start, end = answer
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown), range=to_range(index, start, end)
        )

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        from hailuo_dsl.documents import format_document
        from hailuo_dsl.lsp import actions

        found = server.snapshot(params.text_document.uri)
        if found is None:
            return None
        _doc, kind, index = found
        edit = actions.minimal_edit(index, format_document(index.text, kind))
        return [] if edit is None else [edit]

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbols(params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
        from hailuo_dsl.documents import DocumentKind
        from hailuo_dsl.lsp import symbols

        found = server.snapshot(params.text_document.uri)
        if found is None or found[1] is not DocumentKind.SHOT:
            return None
        doc, _kind, index = found
        return symbols.shot_symbols(index.text, index, server.path_of(doc))

    return server


def main() -> None:
    """Run the server over standard input and output."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="hailuo lsp: %(levelname)s: %(message)s")
    server = create_server()
    # What is loaded so far lives as long as the server: keep it out of the collector's full
    # passes (warm_up does the same for the linter once it is loaded).
    gc.freeze()
    server.start_io()
