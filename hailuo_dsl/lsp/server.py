"""The language server (``hailuo lsp``): diagnostics, quick fixes, completion, hover, formatting and
an outline for ``.shot`` scripts and prompt files, over the same library calls as the CLI.

Diagnostics are debounced per document: each change cancels the pending run of that document,
the lint runs on one worker thread (so the server keeps answering while a large file is linted),
and a result is published only if the document is still at the version that was linted.
Positions are UTF-16 code units, the encoding every client supports; the server always chooses it.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.documents import DocumentKind, fix_document, format_document, lint_document
from hailuo_dsl.lsp import actions, completion, hover, symbols
from hailuo_dsl.lsp.configs import ConfigCache
from hailuo_dsl.lsp.convert import offset, to_lsp_diagnostic, to_range
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots.spec import spec_text_or_empty  # loads the .shot support at start, not on the first keystroke
from hailuo_dsl.version import version

logger = logging.getLogger(__name__)

DEFAULT_DEBOUNCE_MS = 150
MAX_PUBLISHED = 1000
"""Diagnostics published per file at most: an editor shows no more usefully, and converting and
sending tens of thousands (a generated multi-megabyte file) would stall every other request."""
SHOT_LANGUAGE = "shot"
PROMPT_LANGUAGE = "hailuo-prompt"


@dataclass(slots=True)
class ServerOptions:
    """Initialization options: ``{"debounce": ms, "promptExtensions": [".prompt", ".txt"]}``."""

    debounce_ms: float = DEFAULT_DEBOUNCE_MS
    prompt_extensions: tuple[str, ...] = (".prompt",)

    @classmethod
    def from_json(cls, data: object) -> ServerOptions:
        """Options from the client; values of the wrong type are ignored."""
        options = cls()
        if not isinstance(data, dict):
            return options
        debounce = data.get("debounce")
        if isinstance(debounce, (int, float)) and not isinstance(debounce, bool) and debounce >= 0:
            options.debounce_ms = float(debounce)
        extensions = data.get("promptExtensions")
        if isinstance(extensions, list) and all(isinstance(e, str) for e in extensions):
            options.prompt_extensions = tuple(e if e.startswith(".") else f".{e}" for e in extensions)
        return options


class HailuoProtocol(LanguageServerProtocol):
    """The standard protocol, except that positions are always UTF-16."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        general = params.capabilities.general
        if general is not None:
            general.position_encodings = None
        return (yield from super().lsp_initialize(params))


@dataclass(slots=True)
class Published:
    """What the server has published for one open document: the other files it reported into."""

    others: set[str] = field(default_factory=set)


class HailuoServer(LanguageServer):
    """The server's state: options, configurations, pending lint runs and published files."""

    def __init__(self) -> None:
        super().__init__("hailuo", version(), protocol_cls=HailuoProtocol)
        self.options = ServerOptions()
        self.configs = ConfigCache()
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.published: dict[str, Published] = {}
        self.linter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hailuo-lint")
        self.shown_errors: set[str] = set()
        self.indexes: dict[str, LineIndex] = {}

    # Documents -------------------------------------------------------------------------------

    def document(self, uri: str) -> TextDocument | None:
        """An open document, or None (the server never reads unopened files for requests)."""
        doc: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        return doc

    def kind_of(self, doc: TextDocument) -> DocumentKind | None:
        """The kind of an open document, or None when the server does not handle it."""
        name = doc.path or doc.uri
        if doc.language_id == SHOT_LANGUAGE or name.endswith(".shot"):
            return DocumentKind.SHOT
        if doc.language_id == PROMPT_LANGUAGE or name.endswith(self.options.prompt_extensions):
            return DocumentKind.PROMPT
        return None

    def snapshot(self, uri: str) -> tuple[TextDocument, DocumentKind, LineIndex] | None:
        """An open document the server handles, its kind and the line index of its current text
        (kept while the text stays the same, so requests on a large file do not rebuild it)."""
        doc = self.document(uri)
        kind = None if doc is None else self.kind_of(doc)
        if doc is None or kind is None:
            return None
        text = doc.source
        index = self.indexes.get(uri)
        if index is None or index.text is not text:
            index = self.indexes[uri] = LineIndex(text)
        return doc, kind, index

    @staticmethod
    def path_of(doc: TextDocument) -> Path | None:
        path = to_fs_path(doc.uri)
        return Path(path) if path else None

    def can_resolve_edits(self) -> bool:
        """Whether the client fills in a code action's edit through ``codeAction/resolve``."""
        try:
            support = self.client_capabilities.text_document.code_action.resolve_support  # type: ignore[union-attr]
        except AttributeError:
            return False
        return support is not None and "edit" in support.properties

    def config_for(self, path: Path | None) -> LintConfig:
        """The configuration the CLI would use for this file; a broken one is reported once."""
        config, error = self.configs.get(path.parent if path is not None else None)
        if error is not None and error not in self.shown_errors:
            self.shown_errors.add(error)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=error))
        return config

    # Diagnostics -----------------------------------------------------------------------------

    def schedule(self, uri: str) -> None:
        """Lint ``uri`` after the debounce delay, replacing any run still pending for it."""
        doc = self.document(uri)
        if doc is None or self.kind_of(doc) is None:
            return
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._lint_later(uri, doc.version))

    async def _lint_later(self, uri: str, version: int | None) -> None:
        try:
            if self.options.debounce_ms > 0:
                await asyncio.sleep(self.options.debounce_ms / 1000)
            doc = self.document(uri)
            kind = None if doc is None else self.kind_of(doc)
            if doc is None or kind is None or doc.version != version:
                return
            path = self.path_of(doc)
            config = self.config_for(path)
            text = doc.source
            loop = asyncio.get_running_loop()
            by_file = await loop.run_in_executor(self.linter, _lint_for_publishing, text, kind, config, path, version)
            current = self.document(uri)
            if current is None or current.version != version:
                return  # stale: a newer run (or a close) owns this document now
            self.publish(uri, version, by_file)
        except asyncio.CancelledError:
            raise
        except Exception as err:  # a bug must not take the server down; say what happened
            logger.exception("lint failed for %s", uri)
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=f"hailuo: lint failed: {err!r}"))
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    def publish(self, uri: str, version: int | None, by_file: dict[str | None, list[types.Diagnostic]]) -> None:
        """Publish a document's diagnostics, and those located in other files under their URIs
        (clearing any other file it no longer reports into)."""
        own = by_file.pop(None, [])
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=own, version=version))
        state = self.published.setdefault(uri, Published())
        others = {from_fs_path(path) or path: found for path, found in by_file.items() if path is not None}
        for other in state.others - set(others):
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=other, diagnostics=[]))
        for other, found in others.items():
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=other, diagnostics=found))
        state.others = set(others)

    def clear(self, uri: str) -> None:
        """Forget a closed document: cancel its pending run and clear what it published."""
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.indexes.pop(uri, None)
        state = self.published.pop(uri, Published())
        for other in (uri, *sorted(state.others)):
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=other, diagnostics=[]))

    def relint_all(self) -> None:
        for uri in list(self.published):
            self.schedule(uri)


def _lint_for_publishing(
    text: str, kind: DocumentKind, config: LintConfig, path: Path | None, version: int | None
) -> dict[str | None, list[types.Diagnostic]]:
    """Lint a document and convert its findings to protocol diagnostics, grouped by the file they
    lie in (None: the document itself). Runs on the lint thread."""
    found = lint_document(text, kind, config, path)
    grouped: dict[str | None, list[Diagnostic]] = {None: []}
    for diag in found:
        grouped.setdefault(diag.path, []).append(diag)
    result: dict[str | None, list[types.Diagnostic]] = {}
    for where, diags in grouped.items():
        index = LineIndex(text if where is None else spec_text_or_empty(where))
        shown = [to_lsp_diagnostic(d, index, version if where is None else None) for d in diags[:MAX_PUBLISHED]]
        if len(diags) > MAX_PUBLISHED:
            hidden = diags[MAX_PUBLISHED]
            shown.append(
                types.Diagnostic(
                    range=to_range(index, hidden.start, hidden.start),
                    message=f"{len(diags) - MAX_PUBLISHED} more findings from here on are not shown; run hailuo lint for all",
                    severity=types.DiagnosticSeverity.Information,
                    source="hailuo",
                )
            )
        result[where] = shown
    return result


def create_server() -> HailuoServer:
    """A server with every feature registered."""
    server = HailuoServer()

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        server.options = ServerOptions.from_json(params.initialization_options)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.clear(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        if params.text_document.uri.endswith((".toml",)):
            server.configs.forget()
            server.relint_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        server.configs.forget()
        server.relint_all()

    def fixer_for(doc: TextDocument, kind: DocumentKind) -> Callable[[str], str]:
        path = server.path_of(doc)
        config = server.config_for(path)
        return lambda text: fix_document(text, kind, config, path).text

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=actions.KINDS, resolve_provider=True)
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        found = server.snapshot(params.text_document.uri)
        if found is None:
            return None
        doc, kind, index = found
        fixer = fixer_for(doc, kind)
        return actions.code_actions(doc.uri, doc.version, kind, index, params, fixer, can_resolve=server.can_resolve_edits())

    @server.feature(types.CODE_ACTION_RESOLVE)
    def resolve_code_action(action: types.CodeAction) -> types.CodeAction:
        target = actions.fix_all_target(action)
        found = None if target is None else server.snapshot(target[0])
        if target is None or found is None or found[0].version != target[1]:
            return action  # not ours, or the document changed since: nothing to add
        doc, kind, index = found
        resolved = actions.fix_all(doc.uri, doc.version, index, fixer_for(doc, kind))
        action.edit = resolved.edit if resolved is not None else actions.document_edit(doc.uri, doc.version, [])
        return action

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=completion.TRIGGER_CHARACTERS))
    def complete(params: types.CompletionParams) -> types.CompletionList | None:
        found = server.snapshot(params.text_document.uri)
        if found is None:
            return None
        _doc, kind, index = found
        items = completion.complete(index.text, index, offset(index, params.position), kind)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(params: types.HoverParams) -> types.Hover | None:
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
        found = server.snapshot(params.text_document.uri)
        if found is None:
            return None
        _doc, kind, index = found
        edit = actions.minimal_edit(index, format_document(index.text, kind))
        return [] if edit is None else [edit]

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbols(params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
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
    # The modules, grammars and tables loaded so far live as long as the server: keep them out of
    # the garbage collector's full passes, which would otherwise stall a lint now and then.
    gc.collect()
    gc.freeze()
    server.start_io()
