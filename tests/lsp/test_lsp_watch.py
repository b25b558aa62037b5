"""Configurations and shot-specs changing under the server: the open documents that read them are
linted again at once, with file events from editors that watch files and without any
notification from those that do not (Neovim on Linux, Helix); options change through
``workspace/didChangeConfiguration``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import pytest_lsp
from lsp_helpers import REGISTERED, SERVER, open_and_wait, replace_all, uri_of, wait_for
from lsprotocol import types
from PIL import Image
from pytest_lsp import LanguageClient, client_capabilities

pytestmark = pytest.mark.asyncio(loop_scope="module")

SCRIPT = 'spec "look.toml"\n\nshot opening\n  A cat runs [Pan left].\n'
SPEC_WITH_STRAY_TABLE = "[defaults]\nduration = 6\n\n[shots.closing]\nduration = 10\n"
SPEC_FIXED = "[defaults]\nduration = 6\n\n[shots.opening]\nduration = 10\n"


@pytest_lsp.fixture(config=SERVER, scope="module")
async def unwatched(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    """A client that cannot watch files (Neovim 0.11's capabilities: no dynamic registration)."""
    params = types.InitializeParams(
        capabilities=client_capabilities("neovim"),
        initialization_options={"debounce": 0, "pollInterval": 0.05},
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER, scope="module")
async def watching(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    """A client that watches files for the server (VS Code's capabilities)."""
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), initialization_options={"debounce": 0}
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


def write(path: Path, text: str) -> None:
    """Write a file so its stamp surely changes (a new size, or a later modification time)."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


async def test_a_spec_saved_on_disk_relints_the_script(unwatched: LanguageClient, tmp_path: Path) -> None:
    spec = tmp_path / "look.toml"
    spec.write_text(SPEC_WITH_STRAY_TABLE, encoding="utf-8")
    script = tmp_path / "look.shot"
    await open_and_wait(unwatched, script, SCRIPT)
    stale = await wait_for(unwatched, uri_of(spec))
    assert [d.code for d in stale.diagnostics] == ["HL616"]
    write(spec, SPEC_FIXED)  # no notification of any kind
    assert not (await wait_for(unwatched, uri_of(script))).diagnostics
    assert not (await wait_for(unwatched, uri_of(spec))).diagnostics


async def test_a_new_pyproject_is_picked_up(unwatched: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "p.prompt"
    published = await open_and_wait(unwatched, path, "A cat [pan left] and [Push out].")
    assert [d.code for d in published.diagnostics] == ["HL101", "HL102"]
    write(tmp_path / "pyproject.toml", '[tool.hailuo]\nignore = ["HL101"]\n')
    assert [d.code for d in (await wait_for(unwatched, uri_of(path))).diagnostics] == ["HL102"]


async def test_a_pyproject_that_gains_a_hailuo_table_is_picked_up(unwatched: LanguageClient, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "film"\n', encoding="utf-8")
    nested = tmp_path / "scenes"
    nested.mkdir()
    path = nested / "q.prompt"
    published = await open_and_wait(unwatched, path, "A cat [pan left] and [Push out].")
    assert [d.code for d in published.diagnostics] == ["HL101", "HL102"]
    write(pyproject, '[project]\nname = "film"\n\n[tool.hailuo]\nignore = ["HL102"]\n')
    assert [d.code for d in (await wait_for(unwatched, uri_of(path))).diagnostics] == ["HL101"]


async def test_the_server_asks_a_watching_editor_for_toml_events(watching: LanguageClient, tmp_path: Path) -> None:
    await open_and_wait(watching, tmp_path / "w.prompt", "A cat [Pan left].")  # initialized has been handled
    registrations = REGISTERED.get(id(watching), [])
    assert [r.method for r in registrations] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    options = registrations[0].register_options
    assert isinstance(options, dict) or options is not None
    spec = tmp_path / "look.toml"
    spec.write_text(SPEC_WITH_STRAY_TABLE, encoding="utf-8")
    script = tmp_path / "look.shot"
    await open_and_wait(watching, script, SCRIPT)
    assert [d.code for d in (await wait_for(watching, uri_of(spec))).diagnostics] == ["HL616"]
    spec.write_text(SPEC_FIXED, encoding="utf-8")
    watching.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri_of(spec), type=types.FileChangeType.Changed)])
    )
    assert not (await wait_for(watching, uri_of(script))).diagnostics


async def test_did_change_configuration_sets_the_options(unwatched: LanguageClient, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    unwatched.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri_of(notes), language_id="text", version=1, text="A cat [Push out].")
        )
    )
    # Neovim's `settings`, eglot's workspace configuration: the options under "hailuo".
    unwatched.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"hailuo": {"promptExtensions": [".prompt", ".txt"]}})
    )
    assert [d.code for d in (await wait_for(unwatched, uri_of(notes))).diagnostics] == ["HL102"]
    # Helix sends its `config` bare; .txt is no longer linted and its diagnostics are cleared.
    unwatched.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"promptExtensions": [".prompt"]}))
    assert not (await wait_for(unwatched, uri_of(notes))).diagnostics


async def test_a_spec_open_in_the_editor_wins_over_the_disk(unwatched: LanguageClient, tmp_path: Path) -> None:
    spec = tmp_path / "look.toml"
    spec.write_text(SPEC_FIXED, encoding="utf-8")
    script = tmp_path / "look.shot"
    assert not (await open_and_wait(unwatched, script, SCRIPT)).diagnostics
    # The spec opened and edited, not saved: the script is linted against the editor's text.
    unwatched.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri_of(spec), language_id="toml", version=1, text=SPEC_FIXED)
        )
    )
    replace_all(unwatched, spec, SPEC_WITH_STRAY_TABLE, 2)
    stray = await wait_for_codes(unwatched, uri_of(spec), ["HL616"])
    assert stray.diagnostics[0].range.start.line == 3  # counted in the editor's text: [shots.closing]
    # Closed without saving: the file on disk counts again.
    unwatched.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri_of(spec)))
    )
    await wait_for_codes(unwatched, uri_of(spec), [])


async def test_a_frame_created_on_disk_relints_the_script(unwatched: LanguageClient, tmp_path: Path) -> None:
    script = tmp_path / "frames.shot"
    published = await open_and_wait(unwatched, script, "shot a\n  @first_frame frame.png\n  A cat runs [Pan left].\n")
    assert [d.code for d in published.diagnostics] == ["HL607"]
    Image.new("RGB", (640, 360), (1, 2, 3)).save(tmp_path / "frame.png")  # no notification
    # The check may catch the file half written (an empty frame, HL607 again); the next one sees it whole.
    await wait_for_codes(unwatched, uri_of(script), [])


async def wait_for_codes(client: LanguageClient, uri: str, codes: list[str]) -> types.PublishDiagnosticsParams:
    """The next diagnostics for ``uri`` with exactly these codes (others may come first)."""
    while True:
        published = await wait_for(client, uri)
        if [d.code for d in published.diagnostics] == codes:
            return published
