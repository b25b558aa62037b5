"""The language server's state: open documents, options, configurations, pending lint runs,
what was published, and the files each document's findings depend on.

Diagnostics are debounced per document: each change cancels the pending run of that document,
the lint runs on one worker thread (so the server keeps answering while a large file is linted),
and a result is published only if the document is still at the version that was linted. The wait
is chosen from the measured cost of the document's last lint unless the client sets ``debounce``.
A change to a configuration or shot-spec re-lints the open documents that read it (``watch``).
Positions are UTF-16 code units, the encoding every client supports; the server always chooses it.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Generator, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.io_ import StdinAsyncReader, StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from hailuo_dsl.lsp import wire
from hailuo_dsl.lsp.options import ServerOptions
from hailuo_dsl.lsp.units import count_fast
from hailuo_dsl.lsp.watch import Dependencies, file_key
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.version import version

if TYPE_CHECKING:  # loaded after the initialize reply (warm_up), so the server starts quickly
    from hailuo_dsl.config import LintConfig
    from hailuo_dsl.documents import DocumentKind
    from hailuo_dsl.lsp.configs import ConfigCache
    from hailuo_dsl.lsp.incremental import ScriptLinter

logger = logging.getLogger(__name__)

SHOT_LANGUAGE = "shot"
PROMPT_LANGUAGE = "hailuo-prompt"
CHEAP_LINT_SECONDS = 0.05
"""A lint this fast runs at once after a change; a slower one waits as long as it last took."""
MAX_DEBOUNCE_SECONDS = 0.3
WATCHED_GLOBS = ("**/*.toml", "**/*.{png,jpg,jpeg,webp}")
"""The files the server asks an editor to watch: configurations, shot-specs and frames."""
DEPENDENCY_SUFFIXES = (".toml",)
"""Open documents of these kinds may be configurations or shot-specs other documents read."""


class HailuoProtocol(LanguageServerProtocol):
    """The standard protocol, except that positions are always UTF-16, their units counted fast."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        general = params.capabilities.general
        if general is not None:
            general.position_encodings = None
        result = yield from super().lsp_initialize(params)
        count_fast(self.workspace.position_codec)
        return result


@dataclass(slots=True)
class Published:
    """What the server has published for one open document: the other files it reported into."""

    others: set[str] = field(default_factory=set)


class HailuoServer(LanguageServer):
    """The server's state: options, configurations, pending lint runs, published files and the
    files each document's findings depend on."""

    def __init__(self) -> None:
        # No version here: reading it from the package metadata (importlib.metadata) would delay
        # the initialize reply by tens of milliseconds; warm_up logs it instead.
        super().__init__("hailuo", None, protocol_cls=HailuoProtocol)  # type: ignore[arg-type]
        self.options = ServerOptions()
        self._configs: ConfigCache | None = None
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.published: dict[str, Published] = {}
        self.linter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hailuo-lint")
        self.shown_errors: set[str] = set()
        self.indexes: dict[str, LineIndex] = {}
        self.depends = Dependencies()
        self.lint_seconds: dict[str, float] = {}
        self.poller: asyncio.Task[None] | None = None
        self.script_linters: dict[str, ScriptLinter] = {}

    @property
    def configs(self) -> ConfigCache:
        """The configurations of open documents (loaded on first use: it needs the config model)."""
        if self._configs is None:
            from hailuo_dsl.lsp.configs import ConfigCache

            self._configs = ConfigCache()
        return self._configs

    def warm_up(self) -> None:
        """Load the linter, the compiler and the features' modules on the lint thread, after the
        initialize reply: the first lint and the first requests then find them loaded. What is
        loaded lives as long as the server, so it is kept out of the collector's full passes."""

        loop = asyncio.get_running_loop()

        def load() -> None:
            import gc

            from hailuo_dsl.lsp import actions, completion, hover, linting, symbols  # noqa: F401

            linting.warm_up()
            gc.collect()
            gc.freeze()
            message = types.LogMessageParams(type=types.MessageType.Info, message=f"hailuo lsp {version()} ready")
            loop.call_soon_threadsafe(self.window_log_message, message)

        self.linter.submit(load)

    # Documents -------------------------------------------------------------------------------

    def document(self, uri: str) -> TextDocument | None:
        """An open document, or None (the server never reads unopened files for requests)."""
        doc: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        return doc

    def kind_of(self, doc: TextDocument) -> DocumentKind | None:
        """The kind of an open document, or None when the server does not handle it."""
        from hailuo_dsl.documents import DocumentKind

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

    def debounce_seconds(self, uri: str) -> float:
        """The wait before linting ``uri``: the client's ``debounce``, else none for a document
        whose last lint was cheap and as long as that lint took (capped) for a costly one."""
        if self.options.debounce_ms is not None:
            return self.options.debounce_ms / 1000
        cost = self.lint_seconds.get(uri, 0.0)
        return 0.0 if cost <= CHEAP_LINT_SECONDS else min(cost, MAX_DEBOUNCE_SECONDS)

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
            wait = self.debounce_seconds(uri)
            if wait > 0:
                await asyncio.sleep(wait)
            doc = self.document(uri)
            kind = None if doc is None else self.kind_of(doc)
            if doc is None or kind is None or doc.version != version:
                return
            path = self.path_of(doc)
            config = self.config_for(path)
            files = self.configs.files(path.parent if path is not None else None)
            from hailuo_dsl.lsp.incremental import ScriptLinter
            from hailuo_dsl.lsp.linting import Linted, lint_for_publishing

            linter = self.script_linters.setdefault(uri, ScriptLinter())
            loop = asyncio.get_running_loop()
            linted: Linted = await loop.run_in_executor(
                self.linter, lint_for_publishing, doc.source, kind, config, path, version, files, linter, self.held_texts()
            )
            current = self.document(uri)
            if current is None or current.version != version:
                return  # stale: a newer run (or a close) owns this document now
            previous = self.lint_seconds.get(uri)
            self.lint_seconds[uri] = linted.seconds if previous is None else 0.5 * (previous + linted.seconds)
            self.depends.record(uri, linted.read)
            self.publish(uri, version, linted.by_file)
        except asyncio.CancelledError:
            raise
        except Exception as err:  # a bug must not take the server down; say what happened
            logger.exception("lint failed for %s", uri)
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=f"hailuo: lint failed: {err!r}"))
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    def held_texts(self) -> dict[str, str]:
        """The texts of the configuration-like files (TOML) open in the editor, by file: a spec
        open there is linted against as it stands, saved or not."""
        held = {}
        for uri, doc in list(self.workspace.text_documents.items()):
            if uri.endswith(DEPENDENCY_SUFFIXES) and (path := self.path_of(doc)) is not None:
                held[file_key(path)] = doc.source
        return held

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
        self.depends.forget(uri)
        self.lint_seconds.pop(uri, None)
        self.script_linters.pop(uri, None)
        state = self.published.pop(uri, Published())
        for other in (uri, *sorted(state.others)):
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=other, diagnostics=[]))

    def relint_all(self) -> None:
        """Lint every open document again (the options changed); clear those no longer handled."""
        for uri, doc in list(self.workspace.text_documents.items()):
            if self.kind_of(doc) is not None:
                self.schedule(uri)
            elif uri in self.published:
                self.clear(uri)

    # Files the findings depend on --------------------------------------------------------------

    def files_changed(self, paths: Iterable[Path], users: Iterable[str] = ()) -> None:
        """Configurations or specs changed: read configurations afresh and lint the documents
        that read the files (``users`` already known to have)."""
        paths = list(paths)
        self.configs.forget()
        for uri in self.depends.users_of(paths) | set(users):
            self.schedule(uri)

    def start_watching(self) -> None:
        """Ask the editor to report changed TOML files; poll their stamps when it cannot."""
        try:
            dynamic = self.client_capabilities.workspace.did_change_watched_files.dynamic_registration  # type: ignore[union-attr]
        except AttributeError:
            dynamic = False
        if dynamic:
            asyncio.get_running_loop().create_task(self._register_watchers())
        else:
            self.start_polling()

    async def _register_watchers(self) -> None:
        watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_GLOBS]
        registration = types.Registration(
            id="hailuo-watched-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await self.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as err:  # the client refused: fall back to polling
            logger.warning("the editor does not watch files (%s); checking them every %gs", err, self.options.poll_seconds)
            self.start_polling()

    def start_polling(self) -> None:
        if self.poller is None:
            self.poller = asyncio.get_running_loop().create_task(self._poll())

    async def _poll(self) -> None:
        """While documents are open, check the stamps of the files they read."""
        while True:
            await asyncio.sleep(self.options.poll_seconds)
            if self.depends:
                users, files = self.depends.changed()
                if users:
                    self.files_changed(files, users)

    # Transport ---------------------------------------------------------------------------------

    def report_skipped(self, message: str) -> None:
        """Say that a message from the client was skipped (stderr and the client's log)."""
        logger.warning("%s", message)
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=f"hailuo: {message}"))

    def start_io(self, stdin: Any = None, stdout: Any = None) -> None:
        """Serve over standard input and output with the robust reader of ``wire``."""
        self._stop_event = threading.Event()
        reader = StdinAsyncReader(stdin or sys.stdin.buffer, self.thread_pool)
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(wire.serve(self.protocol, reader, self._stop_event, self.report_skipped))
        except BrokenPipeError:
            logger.error("the connection to the editor is lost; stopping")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]
