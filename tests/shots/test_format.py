"""``format_script``: the canonical layout, idempotent, never losing a comment, shot, setting or
directive, and never touching a script with syntax errors."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hailuo_dsl.prompt.formatter import format_prompt
from hailuo_dsl.shots import format_script, parse_script
from hailuo_dsl.shots.formatter import wrap
from hailuo_dsl.shots.syntax import Script

MESSY = """

# top comment
spec   "launch.toml"
shot opening    # hero
\t@duration    10   #  trailing
      @first_frame "frames/my mouse.png"
    @resolution "768P"
    A mouse runs [push in] toward the camera,
  \\@ then stops [ pan left ,Pedestal Up ]


  # a note
  and more
# about the next shot
shot b
  \\#tag text [Pan left]   \n\n\n"""

TIDY = """# top comment
spec launch.toml

shot opening  # hero
  @duration 10  #  trailing
  @first_frame "frames/my mouse.png"
  @resolution 768P
  A mouse runs [Push in] toward the camera,
  \\@ then stops [Pan left, Pedestal up]

  # a note
  and more

# about the next shot
shot b
  \\#tag text [Pan left]
"""


def test_canonical_layout() -> None:
    assert format_script(MESSY) == TIDY
    assert format_script(TIDY) == TIDY


def test_example_is_stable_after_one_pass(example: str) -> None:
    once = format_script(example)
    assert format_script(once) == once
    assert '"frames/mouse.png"' not in once and "@first_frame frames/mouse.png" in once


def test_crlf_is_kept() -> None:
    assert format_script("shot a\r\n    A cat.\r\n") == "shot a\r\n  A cat.\r\n"


def test_empty_and_comment_only() -> None:
    assert format_script("") == ""
    assert format_script("\n\n# just a note\n\n") == "# just a note\n"


@pytest.mark.parametrize(
    "broken",
    [
        "shot a\n    A cat.\nunindented prose\n",
        "shot a\n  @durration 10\n    A cat.\n",
        "shot the name\n    A cat.\n",
        'shot a\n  @first_frame "open\n',
        "shot a\n  A.\nshot a\n  B.\n",
    ],
)
def test_scripts_with_errors_are_returned_unchanged(broken: str) -> None:
    assert format_script(broken) == broken


def test_warnings_do_not_stop_formatting() -> None:
    text = "shot a\n    A cat.\n    @duration 6\n"
    assert format_script(text) == "shot a\n  A cat.\n  @duration 6\n"


def test_reflow_wraps_outside_brackets_and_keeps_the_prompt() -> None:
    text = "shot a\n  " + "word " * 20 + "[Pan left, Pedestal up] end.\n  # note\n  next paragraph\n"
    wrapped = format_script(text, reflow=30)
    lines = wrapped.splitlines()
    assert all(len(line) <= 30 or "[" in line for line in lines)
    assert "  [Pan left, Pedestal up] end." in lines or any(line.endswith("[Pan left, Pedestal up] end.") for line in lines)
    assert parse_script(wrapped).shots[0].prompt == parse_script(text).shots[0].prompt
    assert format_script(wrapped, reflow=30) == wrapped


def test_wrap_never_breaks_at_a_double_space() -> None:
    assert wrap("aa  bb cc", 3) == ["aa  bb", "cc"]
    assert " ".join(wrap("x [Pan left] y", 1)) == "x [Pan left] y"


# -- properties ----------------------------------------------------------------------------------------

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _meaning(script: Script) -> object:
    return (
        script.spec.value if script.spec else None,
        [c.text for c in script.comments],
        [(s.name, [(x.key, x.value) for x in s.settings], format_prompt(s.prompt)) for s in script.shots],
    )


@pytest.mark.slow
@PROPERTY
@given(data=st.data(), reflow=st.none() | st.integers(10, 80))
def test_format_is_idempotent_and_keeps_everything(
    scripts: st.SearchStrategy[Any], data: st.DataObject, reflow: int | None
) -> None:
    generated = data.draw(scripts)
    once = format_script(generated.text, reflow=reflow)
    assert format_script(once, reflow=reflow) == once
    before, after = parse_script(generated.text), parse_script(once)
    assert _meaning(after) == _meaning(before)
    assert [c.text for c in after.comments] == generated.comments
    assert [s.name for s in after.shots] == [name for name, _s, _p in generated.shots]


@PROPERTY
@given(st.text(st.sampled_from(list('shot @#\\"[],\t\n\rax東')), max_size=80))
def test_format_never_raises_and_keeps_broken_text(text: str) -> None:
    once = format_script(text)
    if once != text:
        assert format_script(once) == once
        assert _meaning(parse_script(once)) == _meaning(parse_script(text))


def test_fmt_reflows_prompt_lines_only_when_asked(tmp_path: Any) -> None:
    from click.testing import CliRunner

    from hailuo_dsl.cli import cli

    long_line = "A lighthouse keeper climbs the winding stairs [Pedestal up] and then looks out to sea [Static shot]."
    path = tmp_path / "keeper.shot"
    path.write_text(f"# the keeper\nshot keeper\n  @duration 10\n  {long_line}\n", encoding="utf-8")

    assert CliRunner().invoke(cli, ["fmt", "--check", str(path)]).exit_code == 0  # kept as written
    assert CliRunner().invoke(cli, ["fmt", "--reflow", "40", str(path)]).exit_code == 0
    wrapped = path.read_text(encoding="utf-8")
    prompt_lines = wrapped.splitlines()[3:]
    assert len(prompt_lines) > 1 and all(len(line) <= 40 for line in prompt_lines)
    assert parse_script(wrapped).shots[0].prompt == long_line  # same words, same directives
    assert "# the keeper" in wrapped and "@duration 10" in wrapped
    assert CliRunner().invoke(cli, ["fmt", "--check", "--reflow", "40", str(path)]).exit_code == 0  # stable
