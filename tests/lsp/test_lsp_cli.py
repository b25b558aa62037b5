"""``hailuo lsp --stdio`` (as editors start it), and configuration files changing under the server."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from click.testing import CliRunner
from lsp_helpers import make_client, open_and_wait, replace_all, start, uri_of, wait_for
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from hailuo_dsl.cli import cli

pytestmark = pytest.mark.asyncio(loop_scope="module")

CLI_SERVER = ClientServerConfig(
    server_command=[sys.executable, "-c", "from hailuo_dsl.cli import main; main()", "lsp", "--stdio"],
    client_factory=make_client,
)


@pytest_lsp.fixture(config=CLI_SERVER, scope="module")
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    await start(lsp_client, promptExtensions=["prompt"])
    yield
    await lsp_client.shutdown_session()


async def test_help() -> None:
    result = CliRunner().invoke(cli, ["lsp", "--help"])
    assert result.exit_code == 0
    assert "language server" in result.output


async def test_cli_server_lints_and_reads_options(client: LanguageClient, tmp_path: Path) -> None:
    published = await open_and_wait(client, tmp_path / "a.prompt", "A cat [Push out].")
    assert [d.code for d in published.diagnostics] == ["HL102"]
    # promptExtensions was [".prompt"] only: a .txt file opened as plain text is not linted.
    txt = tmp_path / "notes.txt"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri_of(txt), language_id="plaintext", version=1, text="[Push out]")
        )
    )
    published = await open_and_wait(client, tmp_path / "b.prompt", "[pan left]")
    assert [d.code for d in published.diagnostics] == ["HL101"]
    assert uri_of(txt) not in client.diagnostics


async def test_configuration_changes_are_picked_up(client: LanguageClient, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    path = tmp_path / "c.prompt"
    published = await open_and_wait(client, path, "A cat [pan left] and [Push out].")
    assert [d.code for d in published.diagnostics] == ["HL101", "HL102"]

    pyproject.write_text('[tool.hailuo]\nignore = ["HL102"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri_of(pyproject), type=types.FileChangeType.Created)])
    )
    published = await wait_for(client, uri_of(path))
    assert [d.code for d in published.diagnostics] == ["HL101"]

    # A broken configuration: the defaults apply and the error is shown once.
    pyproject.write_text('[tool.hailuo]\nignroe = ["HL102"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=uri_of(pyproject), type=types.FileChangeType.Changed)])
    )
    published = await wait_for(client, uri_of(path))
    assert [d.code for d in published.diagnostics] == ["HL101", "HL102"]
    assert any("ignroe" in m.message and "did you mean 'ignore'" in m.message for m in client.messages)
    replace_all(client, path, "A cat [Pan left].", 2)
    assert not (await wait_for(client, uri_of(path))).diagnostics
