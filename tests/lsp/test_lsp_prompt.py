"""The language server on prompt files, driven over stdio by a real client."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_helpers import apply_edits, open_and_wait, replace_all, uri_of, utf16, wait_for, workspace_edits
from lsprotocol import types
from pytest_lsp import LanguageClient

from hailuo_dsl import lint
from hailuo_dsl.documents import DocumentKind, fix_document, format_document
from hailuo_dsl.prompt.directives import DIRECTIVES

pytestmark = pytest.mark.asyncio(loop_scope="module")


def codes(params: types.PublishDiagnosticsParams) -> list[str]:
    return [str(d.code) for d in params.diagnostics]


async def test_diagnostics_after_open_edit_and_close(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "a.prompt"
    text = "A cat runs [pan left] and stops [Push out].\n"
    published = await open_and_wait(client, path, text)
    assert codes(published) == [d.code for d in lint(text.rstrip("\n"))] == ["HL101", "HL102"]
    assert published.version == 1
    first = published.diagnostics[0]
    assert first.source == "hailuo"
    assert first.severity == types.DiagnosticSeverity.Warning
    assert (first.range.start.line, first.range.start.character, first.range.end.character) == (0, 12, 20)

    replace_all(client, path, "A cat runs [Pan left].\n", 2)
    published = await wait_for(client, uri_of(path))
    assert published.version == 2
    assert not published.diagnostics

    replace_all(client, path, "A cat runs [Static].\n", 3)
    published = await wait_for(client, uri_of(path))
    assert codes(published) == ["HL103"]

    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri_of(path))))
    published = await wait_for(client, uri_of(path))
    assert not published.diagnostics


async def test_incremental_edit(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "a.prompt"
    await open_and_wait(client, path, "A cat runs [Pan left].")
    # Turn "Pan left" into "pan left": one character replaced.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri_of(path), version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=0, character=12), end=types.Position(line=0, character=13)),
                    text="p",
                )
            ],
        )
    )
    published = await wait_for(client, uri_of(path))
    assert codes(published) == ["HL101"]


async def test_incremental_edits_far_along_a_long_line_of_cjk_and_emoji(client: LanguageClient, tmp_path: Path) -> None:
    """A prompt file is often one long line: an edit near its end, after astral characters, lands
    where meant (the server counts UTF-16 units its own fast way)."""
    path = tmp_path / "long.prompt"
    text = "猫が走る 🐈🐈 and 😀 " * 100 + "[pan left] 🎬 [Push in]."
    await open_and_wait(client, path, text)
    for version, (at, old, new) in enumerate(((text.index("[pan") + 1, "p", "P"), (text.index("Push") + 5, "i", "o")), start=2):
        start = utf16(text[:at])
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri_of(path), version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(
                            start=types.Position(line=0, character=start), end=types.Position(line=0, character=start + 1)
                        ),
                        text=new,
                    )
                ],
            )
        )
        assert text[at] == old
        text = text[:at] + new + text[at + 1 :]
        published = await wait_for(client, uri_of(path))
    assert codes(published) == ["HL102"]  # [Pan left] is right now, [Push on] a typo
    assert published.diagnostics[0].range.start.character == utf16(text[: text.index("Push on")])


async def test_positions_are_utf16_on_cjk_and_emoji_lines(client: LanguageClient, tmp_path: Path) -> None:
    prefix = "猫が走る 🐈🐈 and 😀 "
    text = f"{prefix}[pan left] then\n日本語 🎬 [Push out]."
    published = await open_and_wait(client, tmp_path / "u.prompt", text)
    first, second = published.diagnostics
    assert first.range.start == types.Position(line=0, character=utf16(prefix) + 1)
    assert first.range.end == types.Position(line=0, character=utf16(prefix) + 1 + len("pan left"))
    assert second.range.start == types.Position(line=1, character=utf16("日本語 🎬 [")) == types.Position(line=1, character=8)
    # The quick fix lands on the right characters too.
    fixed = text
    for diag in published.diagnostics:
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri_of(tmp_path / "u.prompt")),
                range=diag.range,
                context=types.CodeActionContext(diagnostics=[diag], only=[types.CodeActionKind.QuickFix]),
            )
        )
        assert actions
        action = actions[0]
        assert isinstance(action, types.CodeAction)
        fixed = apply_edits(fixed, workspace_edits(action.edit, uri_of(tmp_path / "u.prompt")))
    assert fixed == f"{prefix}[Pan left] then\n日本語 🎬 [Pull out]."


async def test_quick_fix_gives_clean_text(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "q.prompt"
    text = "A man reads [pedestal up]."
    published = await open_and_wait(client, path, text)
    (diag,) = published.diagnostics
    assert diag.data is not None  # the fix travels with the diagnostic
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
            range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag]),
        )
    )
    assert actions is not None
    quick = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.QuickFix]
    assert len(quick) == 1 and quick[0].is_preferred
    edit = quick[0].edit
    assert edit is not None and edit.document_changes is not None
    change = edit.document_changes[0]
    assert isinstance(change, types.TextDocumentEdit) and change.text_document.version == 1
    fixed = apply_edits(text, workspace_edits(edit, uri_of(path)))
    assert fixed == "A man reads [Pedestal up]."
    assert lint(fixed) == []


async def test_stale_quick_fix_is_not_offered(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "s.prompt"
    published = await open_and_wait(client, path, "A man reads [pedestal up].")
    replace_all(client, path, "Now: a man reads [pedestal up].", 2)
    await wait_for(client, uri_of(path))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
            range=published.diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=published.diagnostics, only=[types.CodeActionKind.QuickFix]),
        )
    )
    assert not actions


async def test_fix_all(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "f.prompt"
    text = "A cat [pan left] runs, [Static] then [Push out, Tilt Up] and more.\n"
    await open_and_wait(client, path, text)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert actions is not None and len(actions) == 1
    action = actions[0]
    assert isinstance(action, types.CodeAction) and action.kind == types.CodeActionKind.SourceFixAll
    fixed = apply_edits(text, workspace_edits(action.edit, uri_of(path)))
    assert fixed == fix_document(text, DocumentKind.PROMPT).text
    assert fixed != text


async def test_completion_after_bracket_and_comma(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "c.prompt"
    text = "A cat runs [Pan left,"
    await open_and_wait(client, path, text)
    for character, needs_space in ((len("A cat runs ["), False), (len(text), True)):
        result = await client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
                position=types.Position(line=0, character=character),
            )
        )
        assert isinstance(result, types.CompletionList)
        # After the comma, what may join [Pan left,: not a pan (the same or its opposite), not a static shot.
        fitting = [d for d in DIRECTIVES if not needs_space or (d.axis != "pan" and d.name != "Static shot")]
        assert [i.label for i in result.items] == [d.name for d in fitting] + [d.chinese for d in fitting]
        details = {i.label: i.detail for i in result.items}
        assert details == {d.name: d.category for d in fitting} | {d.chinese: f"{d.name} · {d.category}" for d in fitting}
        assert result.items[0].text_edit is None
        assert result.items[0].insert_text == (" Truck left" if needs_space else "Truck left")
    # Outside a bracket: nothing to offer.
    none = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)), position=types.Position(line=0, character=3)
        )
    )
    assert none is None or (isinstance(none, types.CompletionList) and not none.items)


async def test_hover_on_directive(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "h.prompt"
    text = "A cat [Push in, Zoom out] and [Dolly in]."
    await open_and_wait(client, path, text)

    async def hover_at(character: int) -> types.Hover | None:
        return await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri_of(path)), position=types.Position(line=0, character=character)
            )
        )

    hover = await hover_at(text.index("Push") + 2)
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**Push in**" in hover.contents.value
    assert "forward" in hover.contents.value  # the description from hailuo_dsl.prompt.directives
    assert "`Pull out` (same axis" in hover.contents.value
    assert "dolly zoom" in hover.contents.value
    assert hover.range == types.Range(
        start=types.Position(line=0, character=text.index("Push")), end=types.Position(line=0, character=text.index("Push") + 7)
    )
    hover = await hover_at(text.index("Zoom out") + 1)
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**Zoom out**" in hover.contents.value
    hover = await hover_at(text.index("Dolly"))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "not a Hailuo-02 camera directive" in hover.contents.value and "Push in" in hover.contents.value
    assert await hover_at(2) is None


async def test_hover_on_chinese_directives(client: LanguageClient, tmp_path: Path) -> None:
    """Positions in UTF-16 on a line of CJK and emoji; both names shown; a variant spelling is
    told its canonical spelling in its own language; a guess lists the candidates."""
    path = tmp_path / "zh.prompt"
    text = "🐭 一只猫跑过来 [左摇] 然后 [推進] [环绕]"
    await open_and_wait(client, path, text)

    async def hover_at(item: str) -> types.Hover:
        answer = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
                position=types.Position(line=0, character=utf16(text[: text.index(item) + 1])),
            )
        )
        assert answer is not None and isinstance(answer.contents, types.MarkupContent)
        return answer

    hover = await hover_at("左摇")
    assert hover.contents.value.startswith("**Pan left** · 左摇 — Pan")  # type: ignore[union-attr]
    start = utf16(text[: text.index("左摇")])
    assert hover.range == types.Range(
        start=types.Position(line=0, character=start), end=types.Position(line=0, character=start + 2)
    )
    hover = await hover_at("推進")
    assert hover.contents.value.startswith("Write it exactly `推进`.\n\n**Push in** · 推进")  # type: ignore[union-attr]
    hover = await hover_at("环绕")
    value = hover.contents.value  # type: ignore[union-attr]
    assert "Closest: `[左移,右摇]`, `[右移,左摇]`." in value and "instead" not in value


async def test_formatting(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "fmt.prompt"
    text = "A cat runs [ Pan left ,Pedestal up ]  fast.\n"
    await open_and_wait(client, path, text)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert edits
    formatted = apply_edits(text, edits)
    assert formatted == format_document(text, DocumentKind.PROMPT) != text
    # Formatting a formatted document changes nothing.
    replace_all(client, path, formatted, 2)
    await wait_for(client, uri_of(path))
    again = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert not again


async def test_syntax_errors_still_get_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    text = "A cat [Pan left [Zoom in] runs ] ] and [ then [pan right"
    published = await open_and_wait(client, tmp_path / "broken.txt", text)
    assert codes(published) == [d.code for d in lint(text)]
    assert {"HL001", "HL002"} <= set(codes(published))


async def test_configuration_from_pyproject(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.hailuo]\nignore = ["HL101"]\n', encoding="utf-8")
    folder = tmp_path / "prompts"
    folder.mkdir()
    published = await open_and_wait(client, folder / "a.prompt", "A cat runs [pan left] and [Push out].")
    assert codes(published) == ["HL102"]


async def test_other_extensions_are_left_alone(client: LanguageClient, tmp_path: Path) -> None:
    other = tmp_path / "notes.md"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri_of(other), language_id="markdown", version=1, text="[pan left]")
        )
    )
    # The next diagnostics that arrive are for the prompt opened after it, not for the markdown file.
    published = await open_and_wait(client, tmp_path / "b.prompt", "[pan left]")
    assert codes(published) == ["HL101"]
    assert uri_of(other) not in client.diagnostics


async def test_fix_all_next_to_quick_fixes_is_resolved_lazily(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "lazy.prompt"
    text = "A cat [pan left] runs, [Static] then [Push out]."
    published = await open_and_wait(client, path, text)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
            range=published.diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=[published.diagnostics[0]]),
        )
    )
    assert actions is not None
    (lazy,) = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.SourceFixAll]
    assert lazy.edit is None and lazy.data is not None  # the client's capabilities allow resolving it later
    resolved = await client.code_action_resolve_async(lazy)
    assert apply_edits(text, workspace_edits(resolved.edit, uri_of(path))) == fix_document(text, DocumentKind.PROMPT).text
    # Once the document changes, the old action resolves to nothing.
    replace_all(client, path, text + " More.", 2)
    await wait_for(client, uri_of(path))
    stale = await client.code_action_resolve_async(lazy)
    assert stale.edit is None
