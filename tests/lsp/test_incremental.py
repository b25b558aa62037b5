"""Incremental linting gives exactly what ``hailuo lint`` gives (``shots.compiler.lint_findings``:
the prompt rules judged on each resolved shot, the configuration and the suppressions applied),
whatever the script, the configuration and whatever the server linted before it (the pieces it
kept)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from hailuo_dsl.config import LintConfig
from hailuo_dsl.lsp.incremental import ScriptLinter
from hailuo_dsl.shots.lint import lint_script
from hailuo_dsl.shots.parser import parse_script
from hailuo_dsl.shots.pieces import cut, joined, moved
from hailuo_dsl.shots.syntax import Script

LINES = [
    "shot a",
    "shot b",
    "shot a",
    "shot",
    "shot bad name!",
    "shot c  # hailuo: ignore-shot HL101",
    "shot zzz",
    "spec look.toml",
    'spec "look.toml"',
    "spec missing.toml",
    "  @duration 10",
    "  @duration 7",
    "  @resolution 1080P",
    "  @resolution 512P",
    "  @first_frame frame.png",
    "  @last_frame frame.png",
    "  @first_frame nope.png",
    "  @durration 6",
    "  @watermark true  # hailuo: ignore HL706",
    "  @prompt_optimizer false",
    "  @fast_pretreatment true",
    "  A cat [pan left] runs [Push out].",
    "  A dog [Pan left, Zoom in] and [Zoom out, Zoom in].",
    "  then [Static shot] [Pan left]",
    "  \\@home [Tilt up]",
    "  shot d",
    "  [Pan lfet] {name}",
    "  A slow walk, the camera pans left.",
    "  The camera [Push out] as the crowd cheers.",
    "  [Pan left] [Tilt up] [Zoom in] [Truck left] [Pedestal up]",
    "  @callback_url https://example.com/hook",
    "  @callback_url example.com/hook",
    "  # hailuo: ignore HL102",
    "# note",
    "# hailuo: ignore HL101",
    "# hailuo: ignore-shot HL102",
    "# hailuo: ignore-file HL504",
    "# hailuo: ignore-shot",
    "  # hailuo: ignore HL101",
    "  # hailuo: ignore-shot HL101",
    "  # hailuo: ignorr HL101",
    "  # just a note",
    "stray text",
    "@duration 6",
    "shotgun",
    "",
    "  ",
]
SPECS = [
    "[defaults]\nduration = 6\n",
    '[defaults]\nresolution = "768P"\nfirst_frame = "frame.png"\n\n[shots.a]\nduration = 10\n\n[shots.zzz]\nduration = 6\n',
    '[lint]\nignore = ["HL101"]\n\n[shots.b]\nresolution = "1080P"\nduration = 10\n',
    "[defaults]\nduration = 5\n",
    "[defaults\n",
    '[lint]\nseverity = { HL102 = "warning" }\nmove_budget = { 6 = 1, 10 = 3 }\n\n[shots.a]\nduration = 10\n',
]
CONFIGS = [
    LintConfig(),
    LintConfig(severity={"HL102": "warning"}, ignore=["HL504"]),
    LintConfig(move_budget={6: 1, 10: 2}, duration=10),
    LintConfig(select=["HL1", "HL5", "HL6"]),
]

scripts = st.lists(st.sampled_from(LINES), max_size=24).map(lambda lines: "\n".join(lines))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    found = tmp_path_factory.mktemp("incremental")
    Image.new("RGB", (640, 360), (20, 40, 60)).save(found / "frame.png")
    return found


def nothing_open(_path: Path) -> str | None:
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(scripts, st.sampled_from(CONFIGS)), min_size=1, max_size=4),
    st.sampled_from(SPECS),
    st.sampled_from(["\n", "\r\n"]),
)
def test_same_findings_as_hailuo_lint(folder: Path, lints: list[tuple[str, LintConfig]], spec: str, newline: str) -> None:
    (folder / "look.toml").write_text(spec, encoding="utf-8")
    path = folder / "s.shot"
    linter = ScriptLinter()
    for text, config in lints:
        text = text.replace("\n", newline)
        assert linter.lint(text, path, config, nothing_open).findings == lint_script(text, config, path), text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scripts, st.integers(min_value=0, max_value=10_000), st.sampled_from(LINES))
def test_an_edit_gives_the_findings_of_the_edited_text(folder: Path, text: str, where: int, inserted: str) -> None:
    (folder / "look.toml").write_text(SPECS[1], encoding="utf-8")
    path = folder / "e.shot"
    linter = ScriptLinter()
    config = LintConfig()
    linter.lint(text, path, config, nothing_open)
    at = where % (len(text) + 1)
    edited = text[:at] + inserted + "\n" + text[at:]
    assert linter.lint(edited, path, config, nothing_open).findings == lint_script(edited, config, path)


def test_a_spec_held_by_the_editor_wins(folder: Path) -> None:
    (folder / "look.toml").write_text(SPECS[0], encoding="utf-8")
    path = folder / "held.shot"
    text = "spec look.toml\n\nshot a\n  A cat runs [Pan left].\n"
    held = "[shots.gone]\nduration = 6\n"
    linter = ScriptLinter()
    result = linter.lint(text, path, LintConfig(), lambda p: held if p == folder / "look.toml" else None)
    assert [d.code for d in result.findings] == ["HL616"]
    assert result.spec_text == held and result.spec_path == folder / "look.toml"
    (folder / "look.toml").write_text(held, encoding="utf-8")
    assert result.findings == lint_script(text, LintConfig(), path)


def _in_order(script: Script) -> Script:
    script.suppressions.sort(key=lambda s: (s.span.start, s.scope))
    return script


@settings(max_examples=300, deadline=None)
@given(scripts, st.sampled_from(["\n", "\r\n"]))
def test_the_pieces_trees_join_into_the_whole_tree(text: str, newline: str) -> None:
    text = text.replace("\n", newline)
    path = Path("/tmp/joined.shot")
    starts = cut(text)
    if starts is None:
        return
    bounds = zip(starts, [*starts[1:], len(text)], strict=True)
    whole = joined(text, path, [moved(parse_script(text[a:b], path), a) for a, b in bounds])
    assert _in_order(whole) == _in_order(parse_script(text, path))


def test_a_lone_cr_is_not_cut() -> None:
    assert cut("shot a\r  A cat.\nshot b\n  B.\n") is None


def test_cut_keeps_comments_above_a_header_with_it() -> None:
    text = "spec x.toml\n\nshot a\n  A cat.\n\n# hailuo: ignore-shot HL101\nshot b\n  B.\n"
    # Each shot's piece starts at the blank lines and column-0 comments above its header.
    assert cut(text) == [0, text.index("\n\nshot a") + 1, text.index("\n\n# hailuo") + 1]
    # An ignore-shot after a header waits for the next one: not cut.
    assert cut("shot a\n# hailuo: ignore-shot\n  A.\nshot b\n") is None
    assert cut("no shots here") is None
