"""Hostile files in an editor: a lone CR is a line end for the protocol, and diagnostics are placed
on the lines the editor shows; a shot-spec nested a thousand levels deep is a finding, not a
silent server."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_helpers import open_and_wait, uri_of, wait_for
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
