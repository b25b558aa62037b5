"""The language server on ``.shot`` scripts (and their shot-specs), over stdio with a real client."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_helpers import apply_edits, open_and_wait, replace_all, uri_of, utf16, wait_for, workspace_edits
from lsprotocol import types
from pytest_lsp import LanguageClient

from hailuo_dsl.documents import DocumentKind, fix_document, format_document, lint_document
from hailuo_dsl.prompt.directives import DIRECTIVES
from hailuo_dsl.shots import SETTINGS

pytestmark = pytest.mark.asyncio(loop_scope="module")

SPEC = """\
[defaults]
resolution = "768P"
prompt_optimizer = false

[shots.opening]
duration = 10

[shots.nosuch]
duration = 6
"""

SCRIPT = """\
# launch.shot
spec "launch.toml"

shot opening
  @duration 10
  A mouse 🐭 runs toward the camera [push in],
  then stops and looks up [Static].

shot growing-up
  @resolution 1080P
  A young girl grows [Pan left, Pedestal up] 少女.
"""


def project(tmp_path: Path, script: str = SCRIPT) -> Path:
    (tmp_path / "launch.toml").write_text(SPEC, encoding="utf-8")
    path = tmp_path / "launch.shot"
    path.write_text(script, encoding="utf-8")
    return path


def pos(text: str, needle: str, delta: int = 0) -> types.Position:
    """The protocol position of ``needle`` (first occurrence) in ``text``."""
    at = text.index(needle) + delta
    line = text.count("\n", 0, at)
    return types.Position(line=line, character=utf16(text[text.rfind("\n", 0, at) + 1 : at]))


def doc(path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri_of(path))


async def test_diagnostics_in_script_and_spec(client: LanguageClient, tmp_path: Path) -> None:
    path = project(tmp_path)
    spec_uri = uri_of(tmp_path / "launch.toml")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri_of(path), language_id="shot", version=1, text=SCRIPT)
        )
    )
    published = {uri: await wait_for(client, uri) for uri in (uri_of(path), spec_uri)}
    own = published[uri_of(path)]
    expected = [d for d in lint_document(SCRIPT, DocumentKind.SHOT, None, path) if d.path is None]
    assert [d.code for d in own.diagnostics] == [d.code for d in expected] == ["HL101", "HL103"]
    # The line holds an emoji before the bracket: the column counts UTF-16 units.
    assert own.diagnostics[0].range.start == pos(SCRIPT, "push in")
    assert own.diagnostics[0].range.start.character == len("  A mouse 🐭 runs toward the camera [") + 1
    assert own.diagnostics[1].range.start == pos(SCRIPT, "Static]")
    (in_spec,) = published[spec_uri].diagnostics
    assert in_spec.code == "HL616"
    assert in_spec.range.start.line == SPEC.splitlines().index("[shots.nosuch]")

    # Adding the shot the spec names clears the spec's finding.
    fixed = SCRIPT + "\nshot nosuch\n  A cat [Pan left].\n"
    replace_all(client, path, fixed, 2)
    assert (await wait_for(client, uri_of(path))).version == 2
    cleared = await wait_for(client, spec_uri)
    assert not cleared.diagnostics

    # Bringing it back, then closing the script clears both files.
    replace_all(client, path, SCRIPT, 3)
    assert (await wait_for(client, uri_of(path))).version == 3
    back = await wait_for(client, spec_uri)
    assert [d.code for d in back.diagnostics] == ["HL616"]
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc(path)))
    closed = [await wait_for(client, uri) for uri in (uri_of(path), spec_uri)]
    assert all(not p.diagnostics for p in closed)


async def actions_for(client: LanguageClient, path: Path, diag: types.Diagnostic) -> list[types.CodeAction]:
    found = await client.text_document_code_action_async(
        types.CodeActionParams(text_document=doc(path), range=diag.range, context=types.CodeActionContext(diagnostics=[diag]))
    )
    return [a for a in found or [] if isinstance(a, types.CodeAction)]


async def test_quick_fix_and_suppression(client: LanguageClient, tmp_path: Path) -> None:
    path = project(tmp_path)
    published = await open_and_wait(client, path, SCRIPT)
    first = published.diagnostics[0]
    actions = await actions_for(client, path, first)
    titles = [a.title for a in actions]
    assert titles == ["Replace with [Push in] (HL101)", "Suppress HL101 on this line", "Fix all hailuo findings"]
    fixed = apply_edits(SCRIPT, workspace_edits(actions[0].edit, uri_of(path)))
    assert fixed == SCRIPT.replace("[push in]", "[Push in]")
    suppressed = apply_edits(SCRIPT, workspace_edits(actions[1].edit, uri_of(path)))
    assert "  # hailuo: ignore HL101\n  A mouse 🐭" in suppressed
    assert [d.code for d in lint_document(suppressed, DocumentKind.SHOT, None, path) if d.path is None] == ["HL103"]

    # A second suppression for a line that already has one joins it.
    text = suppressed.replace("camera [push in],\n", "camera [push in], [Static]\n")
    replace_all(client, path, text, 2)
    published = await wait_for(client, uri_of(path))
    on_line = [d for d in published.diagnostics if d.range.start.line == pos(text, "A mouse").line]
    assert [d.code for d in on_line] == ["HL103"]
    actions = await actions_for(client, path, on_line[0])
    suppress = next(a for a in actions if a.title.startswith("Suppress"))
    again = apply_edits(text, workspace_edits(suppress.edit, uri_of(path)))
    assert "  # hailuo: ignore HL101,HL103\n  A mouse" in again
    assert [d.code for d in lint_document(again, DocumentKind.SHOT, None, path) if d.path is None] == ["HL103"]


async def test_fix_all_and_formatting(client: LanguageClient, tmp_path: Path) -> None:
    messy = SCRIPT.replace("  @duration 10", "    @duration   10").replace("[Pan left, Pedestal up]", "[ Pan left ,Pedestal up ]")
    path = project(tmp_path, messy)
    await open_and_wait(client, path, messy)
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(path),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert found is not None and len(found) == 1
    action = found[0]
    assert isinstance(action, types.CodeAction)
    assert (
        apply_edits(messy, workspace_edits(action.edit, uri_of(path))) == fix_document(messy, DocumentKind.SHOT, None, path).text
    )
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=doc(path), options=types.FormattingOptions(tab_size=2, insert_spaces=True))
    )
    assert edits
    assert apply_edits(messy, edits) == format_document(messy, DocumentKind.SHOT) != messy


async def complete_at(client: LanguageClient, path: Path, position: types.Position) -> list[types.CompletionItem]:
    result = await client.text_document_completion_async(types.CompletionParams(text_document=doc(path), position=position))
    if result is None:
        return []
    return list(result.items if isinstance(result, types.CompletionList) else result)


async def test_completion_of_settings_and_directives(client: LanguageClient, tmp_path: Path) -> None:
    text = "shot a\n  @\n  @resolution \n  @watermark t\n  A cat 猫 runs [\n"
    path = project(tmp_path, text)
    await open_and_wait(client, path, text)
    names = await complete_at(client, path, types.Position(line=1, character=3))
    assert [i.label for i in names] == list(SETTINGS)
    assert all(i.documentation for i in names)
    values = await complete_at(client, path, types.Position(line=2, character=len("  @resolution ")))
    assert [i.label for i in values] == ["512P", "768P", "1080P"]
    switch = await complete_at(client, path, types.Position(line=3, character=len("  @watermark t")))
    assert [i.label for i in switch] == ["true"]  # filtered by what was typed
    assert [i.insert_text for i in switch] == ["true"]
    directives = await complete_at(client, path, types.Position(line=4, character=utf16("  A cat 猫 runs [")))
    assert [i.label for i in directives] == [d.name for d in DIRECTIVES] + [d.chinese for d in DIRECTIVES]
    assert await complete_at(client, path, types.Position(line=0, character=2)) == []


async def hover_text(client: LanguageClient, path: Path, position: types.Position) -> str:
    answer = await client.text_document_hover_async(types.HoverParams(text_document=doc(path), position=position))
    assert answer is not None and isinstance(answer.contents, types.MarkupContent)
    return answer.contents.value


async def test_hover_on_settings_directives_and_headers(client: LanguageClient, tmp_path: Path) -> None:
    path = project(tmp_path)
    await open_and_wait(client, path, SCRIPT)
    duration = await hover_text(client, path, pos(SCRIPT, "@duration", 2))
    assert "Allowed: `6`, `10`" in duration
    assert "Sent value: `10` (from @duration at launch.shot:5)" in duration
    resolution = await hover_text(client, path, pos(SCRIPT, "@resolution", 3))
    assert "`512P`, `768P`, `1080P`" in resolution
    assert 'Sent value: `"1080P"` (from @resolution at launch.shot:10)' in resolution
    header = await hover_text(client, path, pos(SCRIPT, "opening", 1))
    assert '| `resolution` | `"768P"` | launch.toml [defaults] |' in header
    assert "| `prompt_optimizer` | `false` | launch.toml [defaults] |" in header
    directive = await hover_text(client, path, pos(SCRIPT, "Pedestal up", 2))
    assert "**Pedestal up**" in directive and "rises" in directive


async def test_document_symbols(client: LanguageClient, tmp_path: Path) -> None:
    path = project(tmp_path)
    await open_and_wait(client, path, SCRIPT)
    found = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(path)))
    assert found is not None
    symbols = [s for s in found if isinstance(s, types.DocumentSymbol)]
    assert [s.name for s in symbols] == ["opening", "growing-up"]
    assert symbols[0].selection_range.start == pos(SCRIPT, "opening")
    assert symbols[0].range.start == pos(SCRIPT, "shot opening")
    assert [c.name for c in symbols[0].children or []] == ["@duration"]
    assert [c.name for c in symbols[1].children or []] == ["@resolution"]


async def test_broken_script_still_gets_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    text = "stray prose here\nshot\n  @durration 10\nshot a\n  text [Pan left\nshot a\n  @duration abc\n  more [ok]\n"
    path = project(tmp_path, text)
    published = await open_and_wait(client, path, text)
    expected = [d.code for d in lint_document(text, DocumentKind.SHOT, None, path) if d.path is None]
    assert [d.code for d in published.diagnostics] == expected
    assert {"HL702", "HL703", "HL704", "HL706", "HL001"} <= set(expected)
    answer = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(path), position=pos(text, "@duration", 2))
    )
    assert answer is not None  # the setting is explained even when the shot does not compile
