"""The ``.shot`` parser: trees with exact spans, the fast scanner equal to the Lark grammar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.shots import ScriptReadError, load_script, parse_script
from hailuo_dsl.shots.scanner import lark_lines, scan_lines
from hailuo_dsl.shots.settings import SETTINGS


def test_example_tree(example: str) -> None:
    script = parse_script(example)
    assert script.diagnostics == []
    assert script.spec is not None and script.spec.value == "launch.toml"
    assert [s.name for s in script.shots] == ["opening", "growing-up"]
    opening = script.shots[0]
    assert [(s.key, s.value) for s in opening.settings] == [("duration", "10"), ("first_frame", "frames/mouse.png")]
    assert opening.prompt == (
        "A mouse runs toward the camera, smiling and blinking [Push in], then stops and looks up at the sky [Static shot]."
    )
    for i, char in enumerate(opening.prompt):
        if char != " " or example[opening.file_offset(i)] == " ":
            assert example[opening.file_offset(i)] == char


def test_scanner_equals_lark_on_example(example: str) -> None:
    assert scan_lines(example) == lark_lines(example)


def test_spans_of_settings_comments_and_spec() -> None:
    text = 'spec "a b.toml"  # c1\nshot one  # c2\n\t@first_frame "x \\"y\\".png"  # c3\n  @duration 10\n  # c4\n  Text.\n'
    script = parse_script(text)
    assert script.diagnostics == []
    assert script.spec is not None and script.spec.value == "a b.toml"
    assert text[script.spec.value_span.start : script.spec.value_span.end] == '"a b.toml"'
    assert [c.text for c in script.comments] == ["# c1", "# c2", "# c3", "# c4"]
    assert [text[c.span.start : c.span.end] for c in script.comments] == ["# c1", "# c2", "# c3", "# c4"]
    shot = script.shots[0]
    assert text[shot.name_span.start : shot.name_span.end] == "one"
    assert text[shot.span.start : shot.span.end].startswith("shot one") and text[: shot.span.end].endswith("Text.")
    frame, duration = shot.settings
    assert (frame.key, frame.value, frame.raw) == ("first_frame", 'x "y".png', '"x \\"y\\".png"')
    assert text[frame.span.start : frame.span.end] == '@first_frame "x \\"y\\".png"'
    assert text[frame.key_span.start : frame.key_span.end] == "first_frame"
    assert (duration.key, duration.value) == ("duration", "10")
    assert shot.setting("duration") is duration


def test_prompt_lines_join_with_one_space_and_blank_lines_are_ignored() -> None:
    text = "shot a\n    First line   \n\n\t  second [Pan left]\t\n  # a comment between\n  \\#third \\@x\n"
    shot = parse_script(text).shots[0]
    assert shot.prompt == "First line second [Pan left] #third \\@x"
    assert [line.text for line in shot.lines] == ["First line", "second [Pan left]", "#third \\@x"]
    assert len(shot.prompt_offsets) == len(shot.prompt) + 1
    for i, char in enumerate(shot.prompt):
        offset = shot.file_offset(i)
        assert text[offset] == char or (char == " " and text[offset] in " \t\r\n")
    assert text[shot.file_offset(len(shot.prompt)) - 2 :].startswith("@x")


def test_crlf_lines() -> None:
    text = "shot a\r\n  @duration 6\r\n  A cat.\r\n"
    script = parse_script(text)
    assert script.diagnostics == [] and script.shots[0].prompt == "A cat."
    assert script.shots[0].settings[0].value == "6"


def test_suppressions_parsed_with_scopes() -> None:
    text = (
        "# hailuo: ignore-file HL504\nshot a\n  # hailuo: ignore HL102,HL303 -- on purpose\n  A cat.\n  # hailuo: ignore-shot\n"
    )
    script = parse_script(text)
    assert script.diagnostics == []
    file_scope, line_scope, shot_scope = script.suppressions
    assert (file_scope.scope, file_scope.codes, file_scope.start, file_scope.end) == ("file", {"HL504"}, 0, len(text))
    assert (line_scope.scope, line_scope.codes) == ("line", {"HL102", "HL303"})
    assert text[line_scope.start : line_scope.end] == "  A cat."
    assert (shot_scope.scope, shot_scope.codes) == ("shot", frozenset())
    assert (shot_scope.start, shot_scope.end) == (script.shots[0].span.start, script.shots[0].span.end)


def test_lark_import_shares_the_prompt_brackets() -> None:
    tree = lark_lines("shot a\n  A [Pan left] b\n")
    assert [line.kind for line in tree] == ["header", "prompt_line"]


def test_load_script_errors(tmp_path: Path) -> None:
    binary = tmp_path / "b.shot"
    binary.write_bytes(b"\x00\x01")
    latin = tmp_path / "l.shot"
    latin.write_bytes(b"shot caf\xe9\n")
    for path, words in (
        (tmp_path / "missing.shot", "no such file"),
        (binary, "binary"),
        (latin, "not UTF-8"),
        (tmp_path, "directory"),
    ):
        with pytest.raises(ScriptReadError, match=words) as info:
            load_script(path)
        assert "\n" not in str(info.value)
    good = tmp_path / "g.shot"
    good.write_bytes(b"\xef\xbb\xbfshot a\n  A cat.\n")
    assert load_script(good).shots[0].name == "a" and load_script(good).path == good


# -- properties ----------------------------------------------------------------------------------------

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STRUCTURE = st.text(st.sampled_from(list('shotpec @#\\"[], \t\n\r\n東🐭x')) | st.characters(), max_size=120)


@pytest.mark.slow
@PROPERTY
@given(data=st.data())
def test_generated_scripts_parse_to_what_they_say(scripts: st.SearchStrategy[Any], data: st.DataObject) -> None:
    generated = data.draw(scripts)
    script = parse_script(generated.text)
    assert not [d for d in script.diagnostics if d.severity is Severity.ERROR]
    assert [c.text for c in script.comments] == generated.comments
    assert [(s.name, [(x.key, x.value) for x in s.settings], s.prompt) for s in script.shots] == [
        (name, settings_, " ".join(prompt)) for name, settings_, prompt in generated.shots
    ]
    assert scan_lines(generated.text) == lark_lines(generated.text)


@PROPERTY
@given(STRUCTURE)
def test_parse_is_total_and_equals_lark(text: str) -> None:
    script = parse_script(text)
    assert scan_lines(text) == lark_lines(text)
    for d in script.diagnostics:
        assert 0 <= d.start <= d.end <= len(text)
    for shot in script.shots:
        assert len(shot.prompt_offsets) == len(shot.prompt) + 1
        assert all(0 <= o <= len(text) for o in shot.prompt_offsets)


DOC = Path(__file__).resolve().parents[2] / "docs" / "shot-format.md"


def test_documented_example_and_settings_table() -> None:
    doc = DOC.read_text(encoding="utf-8")
    example = doc.split("## A complete example\n\n<!-- doc: write examples/teaser.shot -->\n```text\n", 1)[1].split("```", 1)[0]
    script = parse_script(example)
    assert script.diagnostics == []
    assert [s.name for s in script.shots] == ["opening", "growing-up", "title"]
    assert script.shots[0].prompt.startswith("A mouse runs toward the camera, smiling and blinking [Push in], then stops")
    assert script.shots[2].prompt.startswith("#1 on the charts")
    assert [(s.codes, s.scope) for s in script.suppressions] == [({"HL504"}, "file"), ({"HL303"}, "line")]
    for key, info in SETTINGS.items():
        assert f"| `{key}` |" in doc and f"`{info.api_field}`" in doc


EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").rglob("*.shot"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_parse_cleanly_with_both_engines(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert scan_lines(text) == lark_lines(text)
    assert parse_script(text).diagnostics == []
