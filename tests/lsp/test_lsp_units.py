"""The server's pure helpers, in process: positions, minimal edits, bracket items, options."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from lsp_helpers import apply_edits
from lsprotocol import types

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic, Edit, Fix, Severity
from hailuo_dsl.documents import DocumentKind
from hailuo_dsl.lsp.actions import minimal_edit, wanted
from hailuo_dsl.lsp.completion import complete
from hailuo_dsl.lsp.convert import edits_from_data, offset, position, to_lsp_diagnostic
from hailuo_dsl.lsp.hover import _item_at, hover_text
from hailuo_dsl.lsp.server import ServerOptions
from hailuo_dsl.prompt.positions import LineIndex

TEXT = st.text(alphabet=st.sampled_from(list("ab [],\n猫🐈é\r")), max_size=40)


@given(TEXT, st.data())
def test_position_and_offset_round_trip(text: str, data: st.DataObject) -> None:
    index = LineIndex(text)
    at = data.draw(st.integers(0, len(text)))
    pos = position(index, at)
    back = offset(index, pos)
    # A position names the same code point, except inside a CRLF, which has no column of its own.
    assert back == at or (text[back:at] == "\r" and text[at : at + 1] == "\n")
    # Lines end at LF, CRLF or a lone CR, as the protocol counts them (inside a CRLF is before it).
    inside_crlf = text[at - 1 : at + 1] == "\r\n"
    lines = re.split(r"\r\n|\r|\n", text[: at - 1] if inside_crlf else text[:at])
    lines[-1] += "\r" if inside_crlf else ""
    assert pos.line == len(lines) - 1
    assert pos.character == len(lines[-1].encode("utf-16-le")) // 2


@given(TEXT, TEXT)
def test_minimal_edit_turns_one_text_into_the_other(old: str, new: str) -> None:
    index = LineIndex(old)
    edit = minimal_edit(index, new)
    if old == new:
        assert edit is None
    else:
        assert edit is not None
        assert apply_edits(old, [edit]) == new


def test_minimal_edit_is_minimal() -> None:
    old = "line one\nA cat [pan left] runs\nline three\n"
    edit = minimal_edit(LineIndex(old), old.replace("pan", "Pan"))
    assert edit is not None
    assert edit.new_text == "P"
    assert edit.range == types.Range(start=types.Position(line=1, character=7), end=types.Position(line=1, character=8))


def test_fix_travels_in_data_and_back() -> None:
    text = "🎬 [pan left]"
    diag = Diagnostic("HL101", "directive-spelling", Severity.WARNING, "m", 3, 11, Fix("Replace", (Edit(3, 11, "Pan left"),)))
    lsp = to_lsp_diagnostic(diag, LineIndex(text), 7)
    found = edits_from_data(lsp.data)
    assert found is not None
    title, safe, version, edits = found
    assert (title, safe, version) == ("Replace", True, 7)
    assert apply_edits(text, edits) == "🎬 [Pan left]"
    assert edits_from_data({"fix": {"title": "x", "edits": [{"range": {}}]}}) is None


def test_item_at() -> None:
    line = "A [ Pan left ,Zoom in] b [Dolly"
    assert _item_at(line, line.index("Pan")) == ("Pan left", 4, 12)
    assert _item_at(line, line.index("Zoom") + 3) == ("Zoom in", 14, 21)
    assert _item_at(line, line.index("]")) == ("Zoom in", 14, 21)
    assert _item_at(line, line.index("Dolly") + 5) == ("Dolly", 26, 31)
    assert _item_at(line, 0) is None
    assert _item_at(line, line.index(" b ") + 1) is None


def test_hover_names_a_mistyped_setting_key_whole() -> None:
    text = "shot a\n  @first-frame x.png\n  A cat.\n"
    answer = hover_text(text, LineIndex(text), text.index("frame"), DocumentKind.SHOT, LintConfig(), None)
    assert answer is not None and answer[0].startswith("`@first-frame` is not a setting.")


def test_completion_range_covers_the_typed_part() -> None:
    text = "A cat [Pan left, Pe"
    index = LineIndex(text)
    items = complete(text, index, len(text), DocumentKind.PROMPT)
    edit = items[0].text_edit
    assert isinstance(edit, types.TextEdit)
    assert edit.range.start.character == len("A cat [Pan left, ")
    assert edit.new_text == items[0].label


def test_wanted_kinds() -> None:
    assert wanted("source.fixAll", None)
    assert wanted("source.fixAll", ["source"])
    assert not wanted("source.fixAll", ["quickfix"])
    assert not wanted("source", ["source.fixAll"])


def test_options() -> None:
    assert ServerOptions.from_json(None) == ServerOptions()
    options = ServerOptions.from_json({"debounce": 0, "promptExtensions": ["txt", ".prompt"]})
    assert options.debounce_ms == 0 and options.prompt_extensions == (".txt", ".prompt")
    bad = ServerOptions.from_json({"debounce": "soon", "promptExtensions": [3]})
    assert bad == ServerOptions()
