"""Hostile files in an editor: a lone CR is a line end for the protocol, and diagnostics are placed
on the lines the editor shows; a shot-spec nested a thousand levels deep is a finding, not a
silent server."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_helpers import open_and_wait, uri_of, wait_for, workspace_edits
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_lone_cr_ends_a_line_for_the_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    text = "A calm sea at dawn.\r猫 [pan left]\r\n🐈 then [Push out]."
    published = await open_and_wait(client, tmp_path / "mac.prompt", text)
    starts = {d.code: d.range.start for d in published.diagnostics}
    assert starts["HL101"] == types.Position(line=1, character=3)  # after "猫 [": one UTF-16 unit each
    assert starts["HL102"] == types.Position(line=2, character=9)  # after "🐈 then [": the cat is two


async def test_a_spec_nested_a_thousand_levels_deep_is_published(client: LanguageClient, tmp_path: Path) -> None:
    spec = tmp_path / "deep.toml"
    spec.write_text("[defaults]\nx = " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    script = 'spec "deep.toml"\nshot a\n  A man walks [Pan left].\n'
    path = tmp_path / "deep.shot"
    await open_and_wait(client, path, script)
    (found,) = (await wait_for(client, uri_of(spec))).diagnostics
    assert found.code == "HL615" and "nested more than 100 levels deep" in found.message
    assert found.range.start == types.Position(line=1, character=104)


async def test_a_script_with_lone_cr_line_ends_is_offered_no_fix(client: LanguageClient, tmp_path: Path) -> None:
    """The script grammar reads it as one line (one shot named after the whole script): a fix,
    or fix-all, would rewrite it into one line; formatting leaves it as it is."""
    path = tmp_path / "mac.shot"
    text = "shot a\r  @duration 6\r  A man [pan left]\r\rshot b\r  A dog [zoom in]\r"
    published = await open_and_wait(client, path, text)
    assert published.diagnostics and all(d.data is None for d in published.diagnostics)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=6, character=0)),
            context=types.CodeActionContext(diagnostics=published.diagnostics),
        )
    )
    offered = [a for a in actions or [] if isinstance(a, types.CodeAction) and a.edit is not None]
    assert offered and all(a.title.startswith("Suppress") for a in offered)  # a comment line, nothing rewritten
    assert all(e.range.start == e.range.end for a in offered for e in workspace_edits(a.edit, uri_of(path)))
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert not edits
