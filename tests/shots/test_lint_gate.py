"""The lint gate of ``hailuo compile``: every case of ``tests/shots/cases`` reports the same findings
to ``hailuo lint`` and to the compile, the command line prints them alike, the configuration
``hailuo lint`` reads is the compile's too; and ``@callback_url`` into ``metadata.callback_url``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_script_rules import CASES, Case, write_project

from hailuo_dsl.cli import cli
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.documents import DocumentKind, lint_document
from hailuo_dsl.rules import BY_CODE
from hailuo_dsl.shots import compile_script

BAD = "shot a\n  The camera [Push out] as the crowd cheers.\n\nshot b\n  The crowd cheers [pan left].\n"
"""The issue's prompt, and a warning beside it."""


def _seen(d: Diagnostic) -> tuple[str, int, int, str, str, str | None]:
    return (d.code, d.start, d.end, d.severity.value, d.message, d.path)


def _touches_enforced(case: Case) -> bool:
    """A case whose configuration or suppressions may reach a rule the compile enforces."""
    said = json.dumps(case.row.get("config", {})) + str(case.row.get("spec", ""))
    return "hailuo:" in case.script or any(
        code[:3] in said or rule.name in said for code, rule in BY_CODE.items() if rule.enforced
    )


COMPARABLE = [c for c in CASES if "overrides" not in c.row and "shots" not in c.row]


@pytest.mark.parametrize("case", COMPARABLE, ids=[c.id for c in COMPARABLE])
def test_lint_and_compile_report_the_same_findings(case: Case, tmp_path: Path) -> None:
    """Alike, except that the compile keeps an enforced rule's finding an error whatever the
    configuration or a suppression says (a documented difference)."""
    row = case.row
    path = write_project(tmp_path, case.script, row.get("spec"), row.get("spec-name", "a.toml"), row.get("frames", {}))
    linted = [_seen(d) for d in lint_document(case.script, DocumentKind.SHOT, case.config, path)]
    compiled = [_seen(d) for d in compile_script(path, config=case.config).diagnostics]
    if not _touches_enforced(case):
        assert linted == compiled
    enforced = {code for code, rule in BY_CODE.items() if rule.enforced}
    assert [f for f in linted if f[0] not in enforced] == [f for f in compiled if f[0] not in enforced]
    kept = {(code, start, end, message, where) for code, start, end, _severity, message, where in compiled}
    assert {(f[0], f[1], f[2], f[4], f[5]) for f in linted if f[0] in enforced} <= kept
    assert all(f[3] == "error" for f in compiled if f[0] in enforced)


def test_the_comparison_covers_the_gate_cases() -> None:
    gate = [c.id for c in COMPARABLE if c.id.startswith("gate")]
    assert len(gate) >= 12 and len([c for c in COMPARABLE if not _touches_enforced(c)]) >= 120


# -- the command line -------------------------------------------------------------------------------------


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def hailuo(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _finding_lines(output: str) -> list[str]:
    """The findings of a text report, without its closing count."""
    return [line for line in output.splitlines() if not line.startswith("Found ")]


def test_compile_stops_on_the_error_lint_reports_and_prints_it_alike(folder: Path) -> None:
    (folder / "bad.shot").write_text(BAD, encoding="utf-8")
    linted = hailuo("lint", "bad.shot")
    compiled = hailuo("compile", "bad.shot", "-o", "out.jsonl")
    assert (linted.exit_code, compiled.exit_code) == (1, 1)
    assert compiled.stdout == "" and not (folder / "out.jsonl").exists()
    assert _finding_lines(compiled.stderr) == _finding_lines(linted.stdout)
    assert compiled.stderr.startswith(
        "bad.shot:2:15: HL102 [error] [Push out] is not a camera directive; did you mean [Pull out]?\n"
        "    The camera [Push out] as the crowd cheers.\n"
        "                ^^^^^^^^\n"
    )
    assert "bad.shot:5:21: HL101 [warning]" in compiled.stderr


def test_a_warning_is_printed_and_the_shot_compiles(folder: Path) -> None:
    (folder / "ok.shot").write_text("shot b\n  The crowd cheers [pan left].\n", encoding="utf-8")
    result = hailuo("compile", "ok.shot")
    assert result.exit_code == 0
    assert re.match(r"ok\.shot:2:21: HL101 \[warning\]", result.stderr)
    assert [json.loads(line)["shot"] for line in result.stdout.splitlines()] == ["b"]


def test_compile_reads_the_configuration_lint_reads(folder: Path) -> None:
    (folder / "bad.shot").write_text(BAD, encoding="utf-8")
    (folder / "pyproject.toml").write_text('[tool.hailuo]\nseverity = { HL102 = "warning" }\n', encoding="utf-8")
    result = hailuo("compile", "bad.shot")
    assert result.exit_code == 0, result.stderr
    assert "HL102 [warning]" in result.stderr and len(result.stdout.splitlines()) == 2
    (folder / "pyproject.toml").write_text("[tool.hailuo]\nselect = 3\n", encoding="utf-8")
    result = hailuo("compile", "bad.shot")
    assert result.exit_code == 2 and result.stderr.startswith("hailuo: error: ") and len(result.stderr.splitlines()) == 1


# -- @callback_url ----------------------------------------------------------------------------------------


def test_callback_url_goes_into_the_metadata(folder: Path) -> None:
    (folder / "a.toml").write_text('[defaults]\ncallback_url = "https://example.com/hooks/all"\n', encoding="utf-8")
    script = 'spec "a.toml"\nshot a\n  @callback_url https://example.com/hooks/a\n  Waves.\nshot b\n  Waves.\n'
    (folder / "a.shot").write_text(script, encoding="utf-8")
    result = compile_script(folder / "a.shot")
    bodies = {s.name: s.request.body() for s in result.shots}
    assert bodies["a"]["metadata"] == {"callback_url": "https://example.com/hooks/a"}
    assert bodies["b"]["metadata"] == {"callback_url": "https://example.com/hooks/all"}
    assert result.shots[0].sources["callback_url"] == "@callback_url at a.shot:3"

    cli_result = hailuo("compile", "a.shot", "--callback-url", "http://127.0.0.1:9000/hook")
    assert cli_result.exit_code == 0, cli_result.stderr
    metadata = [json.loads(line)["request"]["metadata"] for line in cli_result.stdout.splitlines()]
    assert metadata == [{"callback_url": "http://127.0.0.1:9000/hook"}] * 2
    refused = hailuo("compile", "a.shot", "--callback-url", "example.com/hook")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "hailuo: error: command line: --callback-url must be an http(s) URL, "
        'got "example.com/hook" (no scheme: write https://example.com/hook)\n'
    )


def test_no_callback_url_no_metadata(folder: Path) -> None:
    (folder / "a.shot").write_text("shot a\n  Waves.\n", encoding="utf-8")
    assert "metadata" not in compile_script(folder / "a.shot").shots[0].request.body()


def test_the_callback_url_does_not_change_the_request_hash(folder: Path) -> None:
    """Adding a callback to a script already rendered must not submit (and pay for) it again."""
    plain = folder / "plain.shot"
    plain.write_text("shot a\n  @watermark true\n  Waves.\n", encoding="utf-8")
    hooked = folder / "hooked.shot"
    hooked.write_text("shot a\n  @watermark true\n  @callback_url https://example.com/h\n  Waves.\n", encoding="utf-8")
    bare = folder / "bare.shot"
    bare.write_text("shot a\n  @callback_url https://example.com/h\n  Waves.\n", encoding="utf-8")
    assert compile_script(plain).shots[0].request_hash() == compile_script(hooked).shots[0].request_hash()
    (folder / "none.shot").write_text("shot a\n  Waves.\n", encoding="utf-8")
    assert compile_script(bare).shots[0].request_hash() == compile_script(folder / "none.shot").shots[0].request_hash()
    changed = folder / "changed.shot"
    changed.write_text("shot a\n  @watermark false\n  @callback_url https://example.com/h\n  Waves.\n", encoding="utf-8")
    assert compile_script(changed).shots[0].request_hash() != compile_script(hooked).shots[0].request_hash()
