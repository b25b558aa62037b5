"""Output a person can trust: real unified diffs, a line break at the end of every output, a clean
run that says so, ``hailuo rule`` as a terminal shows it, ``hailuo directives``, and the same
resolution choices in every command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hailuo_dsl.cli import cli
from hailuo_dsl.cli.lint_commands import directives_markdown
from hailuo_dsl.prompt.directives import DIRECTIVES
from hailuo_dsl.rules import RULES

README = Path(__file__).resolve().parents[2] / "README.md"
DOCS = README.parent / "docs" / "prompt-language.md"


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_diff_of_a_prompt_without_a_final_line_break_keeps_its_lines_apart() -> None:
    result = run("lint", "--diff", "--prompt", "The camera [Push out].")
    assert result.exit_code == 1
    diff = result.stdout.split("<prompt>:1:")[0]
    assert diff == (
        "--- a/<prompt>\n"
        "+++ b/<prompt>\n"
        "@@ -1 +1 @@\n"
        "-The camera [Push out].\n"
        "\\ No newline at end of file\n"
        "+The camera [Pull out].\n"
        "\\ No newline at end of file\n"
    )
    assert result.stdout.endswith("Would fix 1 problem.\n")


def test_diff_splits_lines_at_line_breaks_only(tmp_path: Path) -> None:
    path = tmp_path / "a.prompt"
    path.write_text("A boat\x0c at sea [pan left]\n", encoding="utf-8")
    result = run("lint", "--diff", str(path))
    assert "-A boat\x0c at sea [pan left]\n+A boat\x0c at sea [Pan left]\n" in result.stdout


def test_fmt_diff_is_a_real_diff_too() -> None:
    result = run("fmt", "--diff", "-", input="A boat [ pan left ]")
    assert result.exit_code == 1
    assert "-A boat [ pan left ]\n\\ No newline at end of file\n+A boat [Pan left]\n" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github"])
@pytest.mark.parametrize("prompt", ["A car [pan Left].", "A car [Pan left]."], ids=["findings", "clean"])
def test_every_output_ends_with_a_line_break(fmt: str, prompt: str) -> None:
    out = run("lint", "--output-format", fmt, "--prompt", prompt).stdout
    assert out == "" or out.endswith("\n"), out
    if fmt in ("json", "sarif"):
        json.loads(out)


def test_fixed_prompt_on_stdout_ends_with_a_line_break() -> None:
    result = run("lint", "--fix", "--prompt", "A car [pan Left].")
    assert result.exit_code == 0
    assert result.stdout == "A car [Pan left].\n"
    assert result.stderr == "Fixed 1 problem.\nAll checks passed!\n"
    assert run("fmt", "-", input="A car [ pan left ]").stdout == "A car [Pan left]\n"


def test_a_clean_run_and_a_fix_say_so(tmp_path: Path) -> None:
    path = tmp_path / "x.prompt"
    path.write_text("A man picks up a book [pedestal up], then reads [Static].\n", encoding="utf-8")
    assert run("lint", "--prompt", "A boat [Pan left].").stdout == "All checks passed!\n"
    result = run("lint", "--fix", str(path))
    assert result.exit_code == 0
    assert result.stdout == "Fixed 2 problems.\nAll checks passed!\n"
    path.write_text("[Push out] then [Whip pan]\n", encoding="utf-8")
    result = run("lint", "--fix", str(path))
    assert result.exit_code == 1
    assert result.stdout.endswith("Found 1 problem (1 error).\nFixed 1 problem.\n")


def test_rule_reads_as_plain_text_in_a_terminal() -> None:
    for rule in RULES:
        out = run("rule", rule.code).stdout
        assert "``" not in out, rule.code
        assert all(len(line) <= 88 or line.startswith(("Bad", "Good", "Before", "After")) for line in out.splitlines())
    out = run("rule", "HL102").stdout
    assert "Bad:  The camera [Push out] as the crowd cheers.\n" in out
    assert "Bad:  人群欢呼[推镜]。\nGood: 人群欢呼[推进]。\n" in out


def test_directives_lists_both_names_and_the_move() -> None:
    result = run("directives")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["English", "Chinese", "What", "the", "camera", "does"]
    for directive, line in zip(DIRECTIVES, lines[1:16], strict=True):
        assert line.startswith(directive.name) and f" {directive.chinese} " in line and line.endswith(directive.description)
    # the columns line up on screen: every Chinese name starts in the same column
    columns = {line.index(d.chinese) for d, line in zip(DIRECTIVES, lines[1:16], strict=True)}
    assert len(columns) == 1
    data = json.loads(run("directives", "--format", "json").stdout)
    assert data[2] == {
        "english": "Pan left",
        "chinese": "左摇",
        "category": "Pan",
        "axis": "pan",
        "description": "The camera turns left on its base, staying in place.",
    }
    assert len(data) == 15


@pytest.mark.parametrize("doc", [README, DOCS], ids=["README", "prompt-language"])
def test_directive_tables_are_current(doc: Path) -> None:
    table = re.search(r"<!-- directives:start -->\n(.*?)<!-- directives:end -->", doc.read_text(encoding="utf-8"), re.DOTALL)
    assert table is not None, f"{doc.name} lost its directive table markers"
    assert table.group(1) == directives_markdown(), (
        f"{doc.name}: stale directive table; run `hailuo directives --format markdown`"
    )
    assert run("directives", "--format", "markdown").stdout == directives_markdown()


def test_resolution_choices_are_written_the_same_way_in_every_command() -> None:
    for command in ("compile", "submit"):
        assert "--resolution 512P|768P|1080P" in run(command, "--help").stdout, command
    message = 'command line: --resolution must be 512P, 768P or 1080P, got "720p"'
    assert message in run("submit", "--prompt", "x", "--resolution", "720p").stderr
    script = Path(__file__).resolve().parents[2] / "examples" / "launch.shot"
    assert message in run("compile", str(script), "--resolution", "720p").stderr
