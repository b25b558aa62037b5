"""Completion as editors apply it: each item the server offers, accepted in Neovim 0.7 (omnifunc),
Neovim 0.11+ (``vim.lsp.completion``), VS Code and Emacs eglot (``editor_clients`` holds their
rules), gives the whole name; the server filters and sorts by what was typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from editor_clients import EDITORS
from hypothesis import given
from hypothesis import strategies as st
from lsp_helpers import open_and_wait, uri_of, utf16
from lsprotocol import types
from pytest_lsp import LanguageClient

from hailuo_dsl.documents import DocumentKind
from hailuo_dsl.lsp.completion import complete
from hailuo_dsl.prompt.directives import DIRECTIVES
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots.settings import SETTINGS

NAMES = [d.name for d in DIRECTIVES]
CHINESE = [d.chinese for d in DIRECTIVES]
PAN = {"Pan left", "Pan right", "左摇", "右摇"}
AFTER_PAN = [n for n in NAMES if n not in PAN and n != "Static shot"]
AFTER_PAN_CHINESE = [n for n in CHINESE if n not in PAN and n != "固定"]

# (document kind, line before the cursor, the labels offered (in order), {label: the line after accepting it})
CASES: list[tuple[DocumentKind, str, list[str] | None, dict[str, str]]] = [
    (DocumentKind.PROMPT, "A cat [", NAMES + CHINESE, {"Pan left": "A cat [Pan left", "左摇": "A cat [左摇"}),
    (DocumentKind.PROMPT, "A cat [Pa", ["Pan left", "Pan right"], {"Pan left": "A cat [Pan left"}),
    (DocumentKind.PROMPT, "A cat [Pan ", ["Pan left", "Pan right"], {"Pan right": "A cat [Pan right"}),
    (
        DocumentKind.PROMPT,
        "A cat [Pan left,",
        AFTER_PAN + AFTER_PAN_CHINESE,
        {"Truck left": "A cat [Pan left, Truck left", "上升": "A cat [Pan left, 上升"},
    ),
    (DocumentKind.PROMPT, "A cat [Pan left, ", AFTER_PAN + AFTER_PAN_CHINESE, {"Truck left": "A cat [Pan left, Truck left"}),
    # Chinese: a CJK prefix filters, Chinese prose or a Chinese name before puts the Chinese names
    # first, and two Chinese names are joined by a bare comma as the Chinese documentation writes them.
    (DocumentKind.PROMPT, "一只猫[左", ["左移", "左摇"], {"左摇": "一只猫[左摇"}),
    (DocumentKind.PROMPT, "一只猫[", CHINESE + NAMES, {"推进": "一只猫[推进"}),
    (
        DocumentKind.PROMPT,
        "一只猫[左摇,",
        AFTER_PAN_CHINESE + AFTER_PAN,
        {"上升": "一只猫[左摇,上升", "Pedestal up": "一只猫[左摇, Pedestal up"},
    ),
    (DocumentKind.PROMPT, "一只猫[左摇,变焦", ["变焦推近", "变焦拉远"], {"变焦拉远": "一只猫[左摇,变焦拉远"}),
    (DocumentKind.PROMPT, "一只猫[左摇，右", ["右移"], {"右移": "一只猫[左摇，右移"}),
    (DocumentKind.SHOT, "  一只猫跑过来 [Pan left, 推", ["推进"], {"推进": "  一只猫跑过来 [Pan left, 推进"}),
    (DocumentKind.PROMPT, "A cat [Pan left, Truck l", ["Truck left"], {"Truck left": "A cat [Pan left, Truck left"}),
    (
        DocumentKind.PROMPT,
        "A cat [Pan left,Tr",
        ["Truck left", "Truck right", "Tracking shot"],
        {"Tracking shot": "A cat [Pan left,Tracking shot"},
    ),
    (DocumentKind.PROMPT, "A cat 猫 🐭 [Zoom", ["Zoom in", "Zoom out"], {"Zoom out": "A cat 猫 🐭 [Zoom out"}),
    (DocumentKind.SHOT, "  @", list(SETTINGS), {"duration": "  @duration "}),
    (DocumentKind.SHOT, "  @res", ["resolution"], {"resolution": "  @resolution "}),
    (DocumentKind.SHOT, "  @first", ["first_frame"], {"first_frame": "  @first_frame "}),
    (DocumentKind.SHOT, "  @resolution ", ["512P", "768P", "1080P"], {"1080P": "  @resolution 1080P"}),
    (DocumentKind.SHOT, "  @resolution 7", ["768P"], {"768P": "  @resolution 768P"}),
    (DocumentKind.SHOT, "  @watermark t", ["true"], {"true": "  @watermark true"}),
    (DocumentKind.SHOT, "  A cat runs [Push in, Zoom o", ["Zoom out"], {"Zoom out": "  A cat runs [Push in, Zoom out"}),
]


def items_at(kind: DocumentKind, before: str, after: str = "") -> list[types.CompletionItem]:
    text = ("shot a\n" if kind is DocumentKind.SHOT else "") + before + after
    offset = len(text) - len(after)
    return complete(text, LineIndex(text), offset, kind)


@pytest.mark.parametrize(("kind", "before", "offered", "accepted"), CASES)
@pytest.mark.parametrize("editor", list(EDITORS))
def test_each_editor_inserts_the_whole_name(
    editor: str, kind: DocumentKind, before: str, offered: list[str] | None, accepted: dict[str, str]
) -> None:
    items = items_at(kind, before)
    assert [i.label for i in sorted(items, key=lambda i: i.sort_text or i.label)] == offered
    assert all(i.text_edit is None and i.insert_text_format == types.InsertTextFormat.PlainText for i in items)
    results = EDITORS[editor](before, len(before), items)
    for label, line in accepted.items():
        assert results.get(label) == line, (editor, label, results.get(label))


def test_a_value_follows_a_completed_setting() -> None:
    """``@res`` + accept leaves ``@resolution `` with its space, where values are offered."""
    (item,) = items_at(DocumentKind.SHOT, "  @res")
    line = EDITORS["neovim-0.11"]("  @res", len("  @res"), [item])["resolution"]
    assert [i.label for i in items_at(DocumentKind.SHOT, line)] == ["512P", "768P", "1080P"]
    # No second space when one already follows the cursor.
    (item,) = items_at(DocumentKind.SHOT, "  @res", " 768P")
    assert item.insert_text == "resolution"


def test_wrong_case_prefix_is_offered_in_canonical_case() -> None:
    """``[pa``: the names it begins in another case come after exact matches, inserted canonical;
    every editor but Neovim 0.7 (whose own filter is case-sensitive) shows them."""
    items = items_at(DocumentKind.PROMPT, "A [pa")
    assert sorted(i.label for i in items) == ["Pan left", "Pan right"]
    for name, editor in EDITORS.items():
        got = editor("A [pa", len("A [pa"), items)
        if name == "neovim-0.7":
            assert got == {}
        else:
            assert got["Pan left"] == "A [Pan left"


def test_only_names_that_fit_the_bracket_are_offered() -> None:
    """After a comma, the names that would make the bracket an error are left out: the same
    directive again (either name), its opposite on the axis, a move beside a static shot, a fourth."""
    labels = {i.label for i in items_at(DocumentKind.PROMPT, "A [Zoom in, ")}
    assert not labels & {"Zoom in", "Zoom out", "变焦推近", "变焦拉远", "Static shot", "固定"}
    assert {"Push in", "Pull out", "Shake", "跟随"} <= labels  # other axes combine (a dolly zoom too)
    assert items_at(DocumentKind.PROMPT, "A [Static shot, ") == items_at(DocumentKind.PROMPT, "A [固定,") == []
    assert items_at(DocumentKind.PROMPT, "A [Pan left, Tilt up, Zoom in, ") == []
    assert {i.label for i in items_at(DocumentKind.PROMPT, "A [Pan Left, ")} >= {"Pan left"}  # a misspelling is not a name


@given(
    st.sampled_from([n for n in NAMES + CHINESE if n not in ("Tilt up", "Tilt down", "上摇", "下摇", "Static shot", "固定")]),
    st.data(),
)
def test_any_prefix_of_any_directive_completes_to_it(name: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(min_value=0, max_value=len(name)))
    before = f"A fox [Tilt up, {name[:cut]}"
    items = items_at(DocumentKind.PROMPT, before)
    for editor in EDITORS.values():
        assert editor(before, len(before), items)[name] == f"A fox [Tilt up, {name}"


@pytest.mark.asyncio(loop_scope="module")
async def test_completion_through_the_server(client: LanguageClient, tmp_path: Path) -> None:
    """The same items over the protocol, positions in UTF-16 on a line with CJK and emoji."""
    path = tmp_path / "c.prompt"
    text = "猫 🐭 [Pan left, Truck l"
    await open_and_wait(client, path, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
            position=types.Position(line=0, character=utf16(text)),
        )
    )
    assert isinstance(result, types.CompletionList)
    (item,) = result.items
    assert (item.label, item.insert_text, item.text_edit) == ("Truck left", "left", None)
    for editor in EDITORS.values():
        assert editor(text, len(text), result.items) == {"Truck left": "猫 🐭 [Pan left, Truck left"}
