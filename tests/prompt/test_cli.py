"""``hailuo lint``, ``fmt``, ``rules`` and ``rule`` through click's runner, and the installed
``hailuo`` command in a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hailuo_dsl import RULES
from hailuo_dsl.cli import cli

HAILUO = Path(sys.executable).parent / "hailuo"


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def assert_one_line_error(result: Result, *needles: str) -> None:
    """Exit code 2, one line on standard error, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own folder, away from any pyproject.toml of the checkout."""
    monkeypatch.chdir(tmp_path)


# --- exit codes -----------------------------------------------------------------------------


def test_clean_file_exits_0_and_says_so(tmp_path: Path) -> None:
    path = write(tmp_path / "lamb.prompt", "[Push in] A lamb stands on the grass.\n")
    result = run("lint", str(path))
    assert result.exit_code == 0
    assert result.output == "All checks passed!\n"


def test_findings_exit_1_with_position_and_caret(tmp_path: Path) -> None:
    path = write(tmp_path / "crowd.prompt", "The camera [Push out] as the crowd cheers [pan left].\n")
    result = run("lint", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path}:1:13: HL102 [error] [Push out] is not a camera directive; did you mean [Pull out]?"
    assert lines[1] == "  The camera [Push out] as the crowd cheers [pan left]."
    assert lines[2] == "  " + " " * 12 + "^" * 8
    assert lines[3] == "  fix: Replace with [Pull out]"
    assert lines[4].startswith(f"{path}:1:44: HL101 [warning]")
    assert lines[-1] == "Found 2 problems (1 error, 1 warning); 2 fixable with --fix."


def test_info_findings_do_not_fail(tmp_path: Path) -> None:
    path = write(tmp_path / "harbour.prompt", "A harbour at noon, the camera pans left across the boats.\n")
    result = run("lint", str(path))
    assert result.exit_code == 0
    assert "HL504 [info]" in result.output


def test_exit_zero(tmp_path: Path) -> None:
    path = write(tmp_path / "x.prompt", "[Push out] a crowd\n")
    assert run("lint", "--exit-zero", str(path)).exit_code == 0


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(run("lint", "nothere.prompt"), "nothere.prompt", "no such file")


def test_folder_without_prompts(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / "notes.md", "# not a prompt\n")
    assert_one_line_error(run("lint", "empty"), "empty")


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "frame.prompt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert_one_line_error(run("lint", "frame.prompt"), "frame.prompt", "binary")


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "latin.prompt").write_bytes("Caf\xe9 [Push in]".encode("latin-1"))
    assert_one_line_error(run("lint", "latin.prompt"), "latin.prompt", "UTF-8")


def test_bad_flag() -> None:
    result = run("lint", "--bogus")
    assert result.exit_code == 2
    assert "No such option" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_rule_code() -> None:
    assert_one_line_error(run("rule", "HL9999"), "unknown rule 'HL9999'")


def test_unknown_rule_in_select() -> None:
    result = run("lint", "--select", "directive-typos", "--prompt", "x")
    assert_one_line_error(result, "--select", "directive-typos", "did you mean 'directive-typo'")


def test_bad_duration() -> None:
    result = run("lint", "--duration", "7", "--prompt", "x")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# --- inputs ---------------------------------------------------------------------------------


def test_folder_is_expanded_to_prompt_files(tmp_path: Path) -> None:
    write(tmp_path / "shots" / "a.prompt", "[Static] a lighthouse\n")
    write(tmp_path / "shots" / "deep" / "b.txt", "[Follow] a dog\n")
    write(tmp_path / "shots" / "notes.md", "[Static] is not linted here\n")
    result = run("lint", "--output-format", "json", "shots")
    assert result.exit_code == 1
    found = [(Path(d["path"]).name, d["code"]) for d in json.loads(result.stdout)]
    assert found == [("a.prompt", "HL103"), ("b.txt", "HL104")]


def test_stdin() -> None:
    result = run("lint", "-", input="[Push out] x\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:1:2: HL102 [error]")


def test_stdin_is_the_default() -> None:
    assert run("lint", input="[Push in] a lamb\n").exit_code == 0


def test_prompt_option() -> None:
    result = run("lint", "--prompt", "A man reads [Static]")
    assert result.exit_code == 1
    assert result.stdout.startswith("<prompt>:1:14: HL103 [error] [Static] is incomplete")


def test_final_line_break_is_not_part_of_the_prompt(tmp_path: Path) -> None:
    path = write(tmp_path / "x.prompt", "[Push in] a lamb\r\n")
    assert run("lint", str(path)).exit_code == 0


# --- fixing ---------------------------------------------------------------------------------


def test_fix_writes_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "book.prompt", "A man picks up a book [pedestal up], then reads [Static].\n")
    result = run("lint", "--fix", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == "A man picks up a book [Pedestal up], then reads [Static shot].\n"
    assert run("lint", str(path)).exit_code == 0


def test_fix_reports_what_is_left(tmp_path: Path) -> None:
    path = write(tmp_path / "x.prompt", "[Push out] then [Whip pan]\n")
    result = run("lint", "--fix", str(path))
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == "[Pull out] then [Whip pan]\n"
    assert "HL105" in result.output and "HL102" not in result.output


def test_fix_on_stdin_writes_stdout() -> None:
    result = run("lint", "--fix", "-", input="[Push out] x\n")
    assert result.exit_code == 0
    assert result.stdout == "[Pull out] x\n"


def test_diff_shows_and_changes_nothing(tmp_path: Path) -> None:
    original = "A car drives past [pan Left].\n"
    path = write(tmp_path / "car.prompt", original)
    result = run("lint", "--diff", str(path))
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == original
    assert f"--- a/{path}" in result.stdout and f"+++ b/{path}" in result.stdout
    assert "-A car drives past [pan Left].\n+A car drives past [Pan left].\n" in result.stdout


# --- selection ------------------------------------------------------------------------------

TWO_PROBLEMS = "The camera [Push out] as the crowd cheers [pan left]."


def _codes(result: Result) -> list[str]:
    return [d["code"] for d in json.loads(result.stdout)]


def test_select_and_ignore() -> None:
    base = ("lint", "--output-format", "json", "--prompt", TWO_PROBLEMS)
    assert _codes(run(*base)) == ["HL102", "HL101"]
    assert _codes(run(*base, "--select", "HL101")) == ["HL101"]
    assert _codes(run(*base, "--select", "HL1", "--ignore", "directive-typo")) == ["HL101"]
    assert _codes(run(*base, "--ignore", "HL101,HL102")) == []
    assert run(*base, "--ignore", "HL101,HL102").exit_code == 0


def test_duration_option() -> None:
    prompt = "[Push in] a door [Pan left] a hall [Tilt up] a stair [Zoom in] a window"
    assert _codes(run("lint", "--output-format", "json", "--prompt", prompt)) == ["HL303"]
    assert _codes(run("lint", "--output-format", "json", "--duration", "10", "--prompt", prompt)) == []


# --- output formats -------------------------------------------------------------------------

EMOJI = "🦋🦋 A butterfly [pan left]"  # "pan left" starts at code-point column 17, UTF-16 column 19


def test_json_output() -> None:
    result = run("lint", "--output-format", "json", "--prompt", EMOJI)
    assert result.exit_code == 1
    [d] = json.loads(result.stdout)
    assert (d["code"], d["name"], d["severity"]) == ("HL101", "directive-spelling", "warning")
    assert (d["line"], d["column"], d["end_column"]) == (1, 17, 25)
    assert (d["utf16_column"], d["utf16_end_column"]) == (19, 27)
    assert (d["start"], d["end"]) == (16, 24)
    assert d["fix"] == {
        "description": "Replace with [Pan left]",
        "safe": True,
        "edits": [{"start": 16, "end": 24, "text": "Pan left"}],
    }


def test_json_output_when_clean_is_an_empty_list() -> None:
    result = run("lint", "--output-format", "json", "--prompt", "[Push in] a lamb")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_sarif_output_counts_utf16_columns() -> None:
    result = run("lint", "--output-format", "sarif", "--prompt", EMOJI)
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    [sarif_run] = sarif["runs"]
    assert sarif_run["columnKind"] == "utf16CodeUnits"
    rule_ids = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    assert {r.code for r in RULES} <= set(rule_ids)
    [found] = sarif_run["results"]
    assert found["ruleId"] == "HL101" and found["level"] == "warning"
    assert rule_ids[found["ruleIndex"]] == "HL101"
    region = found["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 19, "endLine": 1, "endColumn": 27}


def test_github_annotations(tmp_path: Path) -> None:
    path = write(tmp_path / "crowd.prompt", TWO_PROBLEMS + "\n")
    result = run("lint", "--output-format", "github", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"::error file={path},line=1,col=13,endLine=1,endColumn=21,title=HL102 directive-typo::")
    assert lines[1].startswith(f"::warning file={path},line=1,col=44,")
    assert lines[0].endswith("::[Push out] is not a camera directive; did you mean [Pull out]?")


# --- configuration --------------------------------------------------------------------------


def test_config_found_walking_up(tmp_path: Path) -> None:
    write(
        tmp_path / "project" / "pyproject.toml",
        '[tool.hailuo]\nignore = ["HL101"]\nseverity = { HL302 = "error" }\n',
    )
    path = write(tmp_path / "project" / "prompts" / "deep" / "x.prompt", "[pan left] a train [Push in][Pan right]\n")
    result = run("lint", str(path))
    assert result.exit_code == 1
    assert "HL101" not in result.output
    assert "HL302 [error]" in result.output
    # The same file elsewhere, with no configuration above it, gets the defaults.
    other = write(tmp_path / "elsewhere" / "x.prompt", path.read_text(encoding="utf-8"))
    result = run("lint", str(other))
    assert "HL101 [warning]" in result.output and "HL302 [warning]" in result.output


def test_config_select(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.hailuo]\nselect = ["HL5"]\n')
    path = write(tmp_path / "x.prompt", "[Push out] the camera pans left\n")
    result = run("lint", "--output-format", "json", str(path))
    assert _codes(result) == ["HL504"]
    assert result.exit_code == 0


def test_config_move_budget_and_duration(tmp_path: Path) -> None:
    prompt = "[Push in] a door [Pan left] a hall [Tilt up] a stair\n"
    path = write(tmp_path / "x.prompt", prompt)
    assert run("lint", str(path)).exit_code == 0
    write(tmp_path / "pyproject.toml", "[tool.hailuo]\nmove-budget = { 6 = 2, 10 = 4 }\n")
    assert _codes(run("lint", "--output-format", "json", str(path))) == ["HL303"]
    assert _codes(run("lint", "--output-format", "json", "--duration", "10", str(path))) == []
    write(tmp_path / "pyproject.toml", "[tool.hailuo]\nmove-budget = { 6 = 2, 10 = 4 }\nduration = 10\n")
    assert _codes(run("lint", "--output-format", "json", str(path))) == []


def test_config_applies_to_stdin_from_the_working_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.hailuo]\nignore = ["HL102"]\n')
    assert run("lint", "-", input="[Push out] x\n").exit_code == 0


def test_bad_config_key(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.hailuo]\nselct = ["HL1"]\n')
    path = write(tmp_path / "x.prompt", "[Push in] a lamb\n")
    assert_one_line_error(run("lint", str(path)), "pyproject.toml", "selct", "did you mean 'select'?")


def test_bad_config_value(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.hailuo]\nseverity = { HL302 = "fatal" }\n')
    path = write(tmp_path / "x.prompt", "[Push in] a lamb\n")
    assert_one_line_error(run("lint", str(path)), "pyproject.toml", "severity")


def test_config_not_toml(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.hailuo\nselect = \n")
    path = write(tmp_path / "x.prompt", "[Push in] a lamb\n")
    result = run("lint", str(path))
    # A broken pyproject.toml is skipped while walking up (it may belong to another tool) ...
    assert result.exit_code == 0
    # ... but one named with --config is an error.
    assert_one_line_error(run("lint", "--config", "pyproject.toml", str(path)), "pyproject.toml", "TOML")


# --- fmt ------------------------------------------------------------------------------------


def test_fmt_check_and_write(tmp_path: Path) -> None:
    path = write(tmp_path / "boat.prompt", "A boat [ pan left ,Zoom In ] at dawn [Dolly in].\n")
    result = run("fmt", "--check", str(path))
    assert result.exit_code == 1
    assert f"would reformat {path}" in result.stderr
    assert path.read_text(encoding="utf-8") == "A boat [ pan left ,Zoom In ] at dawn [Dolly in].\n"
    diff = run("fmt", "--diff", str(path))
    assert diff.exit_code == 1
    assert "+A boat [Pan left, Zoom in] at dawn [Dolly in].\n" in diff.stdout
    assert run("fmt", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8") == "A boat [Pan left, Zoom in] at dawn [Dolly in].\n"
    assert run("fmt", "--check", str(path)).exit_code == 0


def test_fmt_stdin() -> None:
    result = run("fmt", "-", input="[push In,Pan left] x\n")
    assert result.exit_code == 0
    assert result.stdout == "[Push in, Pan left] x\n"


def test_fmt_missing_file() -> None:
    assert_one_line_error(run("fmt", "nothere.prompt"), "no such file")


# --- rules ----------------------------------------------------------------------------------


def test_rules_lists_every_rule() -> None:
    result = run("rules")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == [r.code for r in RULES]
    data = json.loads(run("rules", "--format", "json").stdout)
    assert [d["code"] for d in data] == [r.code for r in RULES]
    assert data[0] == {
        "code": "HL001",
        "name": "unclosed-bracket",
        "severity": "error",
        "fixable": True,
        "summary": "A '[' is never closed",
    }


def test_rule_explains() -> None:
    result = run("rule", "HL102")
    assert result.exit_code == 0
    assert result.stdout.startswith("HL102 directive-typo (error, fixable)\n")
    assert "[Push out]" in result.stdout and "Bad:" in result.stdout and "Good:" in result.stdout
    assert run("rule", "directive-typo").stdout == result.stdout
    assert run("rule", "hl102").stdout == result.stdout


# --- the installed command ------------------------------------------------------------------


def _hailuo(*args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HAILUO), *args], cwd=cwd, input=input, capture_output=True, text=True, encoding="utf-8", timeout=60, check=False
    )


def test_installed_command_lints_and_fixes(tmp_path: Path) -> None:
    assert HAILUO.is_file(), f"the console script is missing next to {sys.executable}"
    path = write(tmp_path / "crowd.prompt", TWO_PROBLEMS + "\n")
    done = _hailuo("lint", "--output-format", "json", str(path), cwd=tmp_path)
    assert done.returncode == 1
    assert [d["code"] for d in json.loads(done.stdout)] == ["HL102", "HL101"]
    done = _hailuo("lint", "--fix", "crowd.prompt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == "The camera [Pull out] as the crowd cheers [Pan left].\n"


def test_installed_command_errors_in_one_line(tmp_path: Path) -> None:
    done = _hailuo("lint", "nothere.prompt", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "hailuo: error: nothere.prompt: no such file\n"


def test_python_dash_m_runs_the_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hailuo_dsl", "lint", "-"],
        cwd=tmp_path,
        input="[Static] a lighthouse at night\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.startswith("<stdin>:1:2: HL103 [error] [Static] is incomplete")
