"""The server's pure helpers, in process: positions, minimal edits, bracket items, options."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from lsp_helpers import apply_edits
from lsprotocol import types
from pygls.workspace.position_codec import Utf16

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic, Edit, Fix, Severity
from hailuo_dsl.documents import DocumentKind
from hailuo_dsl.lsp.actions import minimal_edit, wanted
from hailuo_dsl.lsp.completion import complete
from hailuo_dsl.lsp.convert import edits_from_data, offset, position, to_lsp_diagnostic
from hailuo_dsl.lsp.hover import _item_at, directive_markdown, hover_text
from hailuo_dsl.lsp.options import ServerOptions
from hailuo_dsl.lsp.units import Utf16Units
from hailuo_dsl.prompt.directives import DIRECTIVES
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


def test_hover_shows_the_sent_value_while_the_prompt_has_an_error() -> None:
    # A compile stops a shot whose prompt has an error; what the shot sends does not depend on
    # the prompt's wording, so hover judges the settings without the prompt rules.
    text = "shot a\n  @duration 10\n  The camera [Push out] as the crowd cheers.\n"
    answer = hover_text(text, LineIndex(text), text.index("10"), DocumentKind.SHOT, LintConfig(), None)
    assert answer is not None and "Sent value: `10` (from @duration at <script>:2)" in answer[0]


def test_hover_names_both_names_of_every_directive() -> None:
    for d in DIRECTIVES:
        for name in d.names:
            assert directive_markdown(name).startswith(f"**{d.name}** · {d.chinese} — {d.category}\n\n{d.description}")


def test_hover_on_a_near_miss_says_what_to_write() -> None:
    # A variant spelling: its canonical spelling in the language it was written in.
    assert directive_markdown("推進").startswith("Write it exactly `推进`.\n\n**Push in** · 推进")
    assert directive_markdown("pan left").startswith("Write it exactly `Pan left`.\n\n**Pan left** · 左摇")
    # One answer: write it instead.
    assert directive_markdown("Pan lfet").endswith("Write `[Pan left]` instead.")
    # A likely reading among several (an orbit goes either way): the candidates, no instruction.
    orbit = directive_markdown("orbit")
    assert "An orbit circles the subject" in orbit and "instead" not in orbit
    assert orbit.endswith("Closest: `[Truck left, Pan right]`, `[Truck right, Pan left]`.")


def test_completion_inserts_from_the_typed_word() -> None:
    text = "A cat [Pan left, Pe"
    index = LineIndex(text)
    items = complete(text, index, len(text), DocumentKind.PROMPT)
    assert [(i.label, i.insert_text) for i in items] == [("Pedestal up", "Pedestal up"), ("Pedestal down", "Pedestal down")]


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


def test_debounce_is_chosen_from_the_cost_of_a_lint() -> None:
    from hailuo_dsl.lsp.state import CHEAP_LINT_SECONDS, MAX_DEBOUNCE_SECONDS, HailuoServer

    server = HailuoServer()
    assert server.debounce_seconds("file:///new.shot") == 0  # never linted: at once
    server.lint_seconds["file:///cheap.shot"] = CHEAP_LINT_SECONDS / 2
    assert server.debounce_seconds("file:///cheap.shot") == 0
    server.lint_seconds["file:///slow.shot"] = 0.12
    assert server.debounce_seconds("file:///slow.shot") == 0.12
    server.lint_seconds["file:///huge.shot"] = 5.0
    assert server.debounce_seconds("file:///huge.shot") == MAX_DEBOUNCE_SECONDS
    server.options = ServerOptions.from_json({"debounce": 40})
    assert server.debounce_seconds("file:///huge.shot") == 0.04


def test_options_from_did_change_configuration() -> None:
    base = ServerOptions.from_json({"debounce": 10, "promptExtensions": [".prompt"]})
    changed = ServerOptions.from_json({"hailuo": {"promptExtensions": ["txt"], "pollInterval": 0.5}}, base=base)
    assert (changed.debounce_ms, changed.prompt_extensions, changed.poll_seconds) == (10.0, (".txt",), 0.5)
    assert ServerOptions.from_json({"debounce": "auto"}, base=base).debounce_ms is None


@given(st.text(alphabet=st.sampled_from(["a", " ", "猫", "é", "🐈", "😀", "\ud800", "\udfff", "\n"]), max_size=30), st.data())
def test_fast_utf16_counts_as_pygls_counts(text: str, data: st.DataObject) -> None:
    column = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert Utf16Units().num_units(text) == Utf16().num_units(text)
    assert Utf16Units().column_from_utf32(text, column) == Utf16().column_from_utf32(text, column)
