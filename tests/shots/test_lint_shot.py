"""Linting ``.shot`` scripts: prompt findings mapped to the file line and column (fixes too),
suppression scopes, and the ``hailuo lint`` / ``hailuo fmt`` commands. (The cases of each script
rule, HL6xx and HL7xx, are data: ``tests/shots/cases``.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hailuo_dsl.cli import cli
from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.documents import DocumentKind, fix_document, lint_document
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots import parse_script

# -- prompt findings mapped into the file -----------------------------------------------------------

SPANNING = "shot a\n  A boat drifts [pan left] past 東京 🐭,\n  then the camera [Push out] slowly.\n"


def _at(text: str, offset: int) -> tuple[int, int, int]:
    pos = LineIndex(text).position(offset)
    return pos.line + 1, pos.column + 1, pos.utf16 + 1


def test_prompt_findings_point_into_the_file() -> None:
    found = {d.code: d for d in lint_document(SPANNING, DocumentKind.SHOT)}
    assert SPANNING[found["HL101"].start : found["HL101"].end] == "pan left"
    assert _at(SPANNING, found["HL101"].start) == (2, 18, 18)
    assert SPANNING[found["HL102"].start : found["HL102"].end] == "Push out"
    assert _at(SPANNING, found["HL102"].start) == (3, 20, 20)


def test_columns_after_cjk_and_emoji() -> None:
    text = "shot a\n  東京 🐭 a cat [Static]\n"
    (d,) = [d for d in lint_document(text, DocumentKind.SHOT) if d.code == "HL103"]
    assert text[d.start : d.end] == "Static"
    assert _at(text, d.start) == (2, 15, 16)  # the emoji is one code point, two UTF-16 units


def test_fixes_apply_across_lines() -> None:
    fixed = fix_document(SPANNING, DocumentKind.SHOT).text
    assert fixed == SPANNING.replace("pan left", "Pan left").replace("Push out", "Pull out")


def test_a_fix_spanning_a_line_break_is_dropped() -> None:
    text = "shot a\n  A boat [Pan left]\n  [Pan right] drifts.\n"
    for d in lint_document(text, DocumentKind.SHOT):
        if d.fix is not None:
            for edit in d.fix.edits:
                assert "\n" not in text[edit.start : edit.end]


def test_escaped_prompt_line_start_keeps_its_backslash() -> None:
    text = "shot a\n  \\@home a cat sits [pan left]\n"
    script = parse_script(text)
    assert script.shots[0].prompt == "@home a cat sits [pan left]"
    assert fix_document(text, DocumentKind.SHOT).text == text.replace("pan left", "Pan left")


def test_empty_prompt_points_at_the_shot_header() -> None:
    """As ``hailuo compile`` reports it: the shot is judged with its resolved settings."""
    text = "shot silent\n  @duration 6\n"
    found = [d for d in lint_document(text, DocumentKind.SHOT) if d.code == "HL502"]
    assert [(text[d.start : d.end]) for d in found] == ["shot silent"]


# -- suppressions -------------------------------------------------------------------------------------

BODY = "  A cat [Static].\n"


@pytest.mark.parametrize(
    ("text", "silenced"),
    [
        ("shot a\n  # hailuo: ignore HL103\n" + BODY, True),
        ("shot a\n  # hailuo: ignore HL101\n" + BODY, False),
        ("shot a\n  # hailuo: ignore\n\n" + BODY, True),
        ("shot a\n  # hailuo: ignore HL103\n  A dog.\n" + BODY, False),
        ("shot a\n  # hailuo: ignore-shot HL1\n  A dog.\n" + BODY, True),
        ("# hailuo: ignore-shot truncated-directive\nshot a\n  A dog.\n" + BODY, True),
        ("shot a\n  A dog.\n# hailuo: ignore-shot HL103\nshot b\n" + BODY, True),
        ("shot b\n" + BODY + "# hailuo: ignore-shot HL103\nshot a\n  A dog.\n", False),
        ("shot a\n  A dog.\n" + BODY + "# hailuo: ignore-file HL1xx\n", True),
        ("shot a\n  @duration 6  # hailuo: ignore HL103\n" + BODY, False),
    ],
)
def test_suppression_scopes(text: str, silenced: bool) -> None:
    codes = [d.code for d in lint_document(text, DocumentKind.SHOT)]
    assert ("HL103" not in codes) is silenced


# -- the command line ---------------------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


CLEAN = "shot opening\n  @duration 10\n  A mouse runs toward the camera [Push in].\n"


def test_lint_clean_script_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "x.shot"
    path.write_text(CLEAN, encoding="utf-8")
    assert _run("lint", str(path))[0] == 0


def test_lint_reports_file_line_col_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "x.shot"
    path.write_text(SPANNING, encoding="utf-8")
    code, out, _ = _run("lint", str(path))
    assert code == 1
    assert f"{path}:2:18: HL101" in out and f"{path}:3:20: HL102" in out


def test_lint_fix_rewrites_a_directive_typo_inside_a_shot(tmp_path: Path) -> None:
    path = tmp_path / "x.shot"
    path.write_text(SPANNING, encoding="utf-8")
    code, _, _ = _run("lint", "--fix", str(path))
    assert code == 0
    assert path.read_text(encoding="utf-8") == SPANNING.replace("pan left", "Pan left").replace("Push out", "Pull out")


def test_duplicate_name_is_one_clear_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "dup.shot"
    path.write_text("shot a\n  A cat.\n\nshot a\n  A dog.\n", encoding="utf-8")
    code, out, err = _run("lint", str(path))
    assert code == 1 and "Traceback" not in out + err
    assert out.count("HL704") == 1 and f"{path}:4:6: HL704 [error] Duplicate shot name 'a' (the first is on line 1)" in out


def test_empty_file_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "empty.shot"
    path.write_text("", encoding="utf-8")
    code, out, _ = _run("lint", str(path))
    assert code == 1 and f"{path}:1:1: HL701" in out


def test_binary_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bin.shot"
    path.write_bytes(b"shot a\n\x00\xff\n")
    code, out, err = _run("lint", str(path))
    assert code == 2 and "binary file" in err and "Traceback" not in out + err


def test_fmt_rewrites_and_check_reports(tmp_path: Path) -> None:
    path = tmp_path / "x.shot"
    path.write_text("shot a\n    @duration   10\n    A cat [pan left].\nshot b\n  A dog.\n", encoding="utf-8")
    assert _run("fmt", "--check", str(path))[0] == 1
    assert _run("fmt", str(path))[0] == 0
    assert path.read_text(encoding="utf-8") == "shot a\n  @duration 10\n  A cat [Pan left].\n\nshot b\n  A dog.\n"
    assert _run("fmt", "--check", str(path))[0] == 0


def test_fmt_leaves_a_broken_script_alone(tmp_path: Path) -> None:
    path = tmp_path / "x.shot"
    broken = "shot a\n    @duration   10\nprose\n"
    path.write_text(broken, encoding="utf-8")
    assert _run("fmt", "--check", str(path))[0] == 0
    assert path.read_text(encoding="utf-8") == broken


# -- properties ---------------------------------------------------------------------------------------

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(
    st.lists(st.sampled_from([*'shot @#\\"[],\t\n\rax東🐭', "[pan left]", "@durration 6", "shot a\n", "  "]), max_size=40).map(
        "".join
    )
)
def test_lint_is_total_and_in_bounds(text: str) -> None:
    for d in lint_document(text, DocumentKind.SHOT):
        assert 0 <= d.start <= d.end <= len(text)
        if d.fix is not None:
            assert all(0 <= e.start <= e.end <= len(text) for e in d.fix.edits)


@pytest.mark.slow
@PROPERTY
@given(data=st.data())
def test_fixes_are_idempotent_and_add_no_syntax_errors(scripts: st.SearchStrategy[Any], data: st.DataObject) -> None:
    text = data.draw(scripts).text
    fixed = fix_document(text, DocumentKind.SHOT, unsafe=True).text
    assert fix_document(fixed, DocumentKind.SHOT, unsafe=True).text == fixed
    before = parse_script(text)
    after = parse_script(fixed)
    assert [d.code for d in after.diagnostics if d.severity is Severity.ERROR] == []
    assert [s.name for s in after.shots] == [s.name for s in before.shots]
    assert sorted(c.text for c in after.comments) == sorted(c.text for c in before.comments)  # moved settings take theirs


def test_a_fix_never_turns_a_prompt_line_into_a_setting_comment_or_escape() -> None:
    for rest in ("#", " @x walks", "\\@x"):
        text = f"shot a\n  [ ]{rest}\n  A cat walks\n"
        (empty,) = [d for d in lint_document(text, DocumentKind.SHOT) if d.code == "HL004"]
        assert empty.fix is None
        assert fix_document(text, DocumentKind.SHOT, unsafe=True).text == text
    assert fix_document("shot a\n  [ ] A cat walks\n", DocumentKind.SHOT).text == "shot a\n   A cat walks\n"


FOUR_MOVES = "  A cat [Push in], then [Pan left], then [Tilt up], then [Zoom out].\n"


def test_the_prompt_linter_gets_the_duration_as_the_compiler_reads_it() -> None:
    found = {
        v: [d.code for d in lint_document(f"shot a\n  @duration {v}\n" + FOUR_MOVES, DocumentKind.SHOT)] for v in ('" 10"', "6")
    }
    assert "HL303" not in found['" 10"']  # 10 s, as the compiler sends it: four moves are within budget
    assert "HL303" in found["6"]


def test_spec_lint_table_and_durations_reach_the_prompt_linter(tmp_path: Path) -> None:
    script = tmp_path / "x.shot"
    text = "spec x.toml\n\nshot a\n" + FOUR_MOVES + "  [Static]\n\nshot b\n" + FOUR_MOVES
    script.write_text(text, encoding="utf-8")
    (tmp_path / "x.toml").write_text('[lint]\nignore = ["HL103"]\n\n[shots.a]\nduration = 10\n', encoding="utf-8")
    found = lint_document(text, DocumentKind.SHOT, LintConfig(), script)
    codes = [(d.code, text[: d.start].count("\n") + 1) for d in found]
    assert ("HL303", 8) in codes  # shot b: 6 s, four moves are over the budget of 3
    assert all(code != "HL103" for code, _ in codes)  # ignored by the spec's [lint]
    assert all(line != 4 for code, line in codes if code == "HL303")  # shot a: 10 s fits 5


def test_compile_checks_are_reported_and_can_be_suppressed() -> None:
    text = "shot a\n  @resolution 1080P\n  @duration 10\n  A cat.\n"
    found = [d for d in lint_document(text, DocumentKind.SHOT) if d.code.startswith("HL6")]
    assert found and all(d.path is None for d in found)
    silenced = text.replace("shot a\n", "shot a\n  # hailuo: ignore-shot HL6\n")
    assert [d for d in lint_document(silenced, DocumentKind.SHOT) if d.code.startswith("HL6")] == []


def test_spec_findings_of_a_spec_with_a_byte_order_mark_are_placed_right(tmp_path: Path) -> None:
    (tmp_path / "s.toml").write_bytes("\ufeff[defaults]\ndurration = 10\n".encode())
    path = tmp_path / "x.shot"
    path.write_text("spec s.toml\n\nshot a\n  A cat walks [Pan left].\n", encoding="utf-8")
    code, out, _ = _run("lint", str(path))
    assert code == 1 and f"{tmp_path / 's.toml'}:2:1: HL602" in out
