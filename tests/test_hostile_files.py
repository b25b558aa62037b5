"""Hostile input files, as a new user or an attacker would hand them to the commands: huge ones,
endless ones (``/dev/zero``, a pipe), lone CR line ends, a byte-order mark, a full standard output,
nesting a thousand levels deep, an empty task id. Each gets a one-line error or a bounded answer,
and no file is changed that was refused.

The big cases run as child processes, with a 1 GB address-space limit as a safety net (on Linux),
and each reports its own peak resident memory (``VmHWM``; run with ``-s`` to see the figures).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hailuo_dsl.cli import cli
from hailuo_dsl.textfile import PROMPT_FILE_LIMIT, TEXT_FILE_LIMIT

CLI = "import sys; from hailuo_dsl.cli import main; sys.argv[0] = 'hailuo'; main()"
LIMITED_CLI = (
    """
import atexit, resource, sys

REPORT = sys.argv.pop(1)

def peak():  # the high-water mark of this process's own memory (wait4 would count the parent's too)
    with open("/proc/self/status") as status, open(REPORT, "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))

resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # a safety net
atexit.register(peak)
"""
    + CLI
)
PEAK_LIMIT_MB = 100
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
needs_proc = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads a child's peak memory in /proc")


def measured(*args: str, cwd: Path, **kwargs: object) -> tuple[int, float, bytes, str]:
    """Run ``hailuo ARGS`` as a child: exit code, peak resident memory (MB), stdout, stderr."""
    report = cwd / ".peak"
    child = subprocess.Popen(
        [sys.executable, "-c", LIMITED_CLI, str(report), *args],
        cwd=cwd,
        stdin=kwargs.get("stdin", subprocess.DEVNULL),  # type: ignore[arg-type]
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **kwargs.get("env", {})},  # type: ignore[dict-item]
    )
    out, err = child.communicate(timeout=120)
    peak = int(report.read_text()) / 1024 if report.exists() else 0.0
    report.unlink(missing_ok=True)
    print(f"hailuo {' '.join(args)[:60]}: exit {child.returncode}, peak {peak:.0f} MB, {len(out):,} bytes out")
    return child.returncode, peak, out, err.decode()


def one_line_error(err: str, *needles: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def run(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HAILUO_MAX_FILE_MB", raising=False)


# --- 8. a report that grew with the square of its input ------------------------------------------


@needs_proc
def test_twenty_thousand_open_brackets_give_a_short_report(tmp_path: Path) -> None:
    (tmp_path / "brackets.prompt").write_text("[" * 20_000, encoding="utf-8")
    code, peak, out, _ = measured("lint", "brackets.prompt", cwd=tmp_path)
    text = out.decode()
    assert code == 1
    assert len(out) < 100_000  # was 602 MB: every finding reprinted the whole line
    assert peak < PEAK_LIMIT_MB
    assert "brackets.prompt: 19801 more findings not shown (--max-findings 0 shows all)" in text
    assert text.rstrip().endswith("Found 20001 problems (20001 errors).")
    excerpts = [line for line in text.splitlines() if line.startswith("  …") or line.startswith("  [")]
    assert excerpts and all(len(line) <= 110 for line in excerpts)


def test_each_format_caps_the_findings_of_a_file(tmp_path: Path) -> None:
    import json

    (tmp_path / "a.prompt").write_text("[" * 500, encoding="utf-8")
    (tmp_path / "b.prompt").write_text("A man [Pan left]\n", encoding="utf-8")
    found = run("lint", "--output-format", "json", "--max-findings", "10", "a.prompt", "b.prompt")
    assert len(json.loads(found.stdout)) == 10
    assert found.stderr == "hailuo: a.prompt: 490 more findings not shown (--max-findings 0 shows all)\n"
    sarif = json.loads(run("lint", "--output-format", "sarif", "--max-findings", "10", "a.prompt").stdout)
    run_ = sarif["runs"][0]
    assert len(run_["results"]) == 10
    note = run_["invocations"][0]["toolExecutionNotifications"][0]
    assert "490 more findings" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a.prompt"
    github = run("lint", "--output-format", "github", "--max-findings", "10", "a.prompt").stdout.splitlines()
    assert len(github) == 11 and github[-1].startswith("::notice file=a.prompt::a.prompt: 490 more findings not shown")
    assert len(json.loads(run("lint", "--output-format", "json", "--max-findings", "0", "a.prompt").stdout)) == 500
    clean = json.loads(run("lint", "--output-format", "sarif", "b.prompt").stdout)
    assert "invocations" not in clean["runs"][0]  # nothing hidden: nothing said


def test_a_long_line_is_cut_around_the_finding(tmp_path: Path) -> None:
    text = "A quiet field at dawn, " * 200 + "[pan left]" + " and the mist lifts" * 200
    (tmp_path / "long.prompt").write_text(text, encoding="utf-8")
    lines = run("lint", "long.prompt").stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "HL101" in line)
    excerpt, carets = lines[at + 1], lines[at + 2]
    assert excerpt.startswith("  …") and excerpt.endswith("…") and len(excerpt) < 110
    assert excerpt[carets.index("^") : carets.rindex("^") + 1] == "pan left"


def test_control_characters_in_an_excerpt_reach_no_terminal(tmp_path: Path) -> None:
    (tmp_path / "ansi.prompt").write_text("A man \x1b]0;owned\x07\x1b[2J walks [pan left]\u202e.", encoding="utf-8")
    out = run("lint", "ansi.prompt").stdout
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "␛]0;owned␇␛[2J" in out
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "HL101" in line)
    assert lines[at + 1][lines[at + 2].index("^") :].startswith("pan left]")  # the carets stay aligned


# --- 9. no size cap ------------------------------------------------------------------------------


@needs_proc
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_refused_in_bounded_memory(tmp_path: Path, device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    for command in (["lint", device], ["fmt", device], ["lint", "--config", device, "-"]):
        code, peak, _, err = measured(*command, cwd=tmp_path)
        assert code == 2 and peak < PEAK_LIMIT_MB
        one_line_error(err, f"{device}: more than")


@needs_proc
def test_a_fifty_megabyte_prompt_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.prompt"
    with path.open("wb") as handle:  # a sparse file: 50 MB that cost no disk
        handle.truncate(50_000_000)
    code, peak, _, err = measured("lint", "big.prompt", cwd=tmp_path)
    assert code == 2 and peak < PEAK_LIMIT_MB
    one_line_error(err, "big.prompt: 50,000,000 bytes, over the 100 kB limit of a prompt file", "HAILUO_MAX_FILE_MB")


@needs_proc
def test_standard_input_and_a_pipe_are_read_within_the_limit(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        code, peak, _, err = measured("lint", "-", cwd=tmp_path, stdin=zero.fileno())
    assert code == 2 and peak < PEAK_LIMIT_MB
    one_line_error(err, "<stdin>: more than 100 kB")
    fifo = tmp_path / "endless.prompt"
    os.mkfifo(fifo)

    def write_forever() -> None:
        try:
            with fifo.open("wb") as out:
                while True:
                    out.write(b"A man walks [Pan left]. " * 4096)
        except (BrokenPipeError, OSError):
            pass

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    code, peak, _, err = measured("lint", "endless.prompt", cwd=tmp_path)
    writer.join(timeout=10)
    assert code == 2 and peak < PEAK_LIMIT_MB
    one_line_error(err, "endless.prompt: more than 100 kB")


def test_the_limits_by_kind_and_how_to_raise_them(tmp_path: Path) -> None:
    prompt = tmp_path / "p.prompt"
    prompt.write_text("A man walks. " * (PROMPT_FILE_LIMIT // 13 + 1), encoding="utf-8")
    script = tmp_path / "s.shot"
    script.write_text("shot a\n  A man walks.\n" * (PROMPT_FILE_LIMIT // 21 + 1), encoding="utf-8")
    assert run("lint", "p.prompt").exit_code == 2
    assert run("lint", "s.shot").exit_code != 2  # a script may be larger than a prompt file
    assert run("lint", "--max-file-mb", "0.2", "p.prompt").exit_code != 2
    raised = CliRunner(env={"HAILUO_MAX_FILE_MB": "0.2"}).invoke(cli, ["fmt", "--check", "p.prompt"])
    assert raised.exit_code != 2
    lowered = CliRunner(env={"HAILUO_MAX_FILE_MB": "0.001"}).invoke(cli, ["compile", "s.shot"])
    assert lowered.exit_code == 2 and "s.shot: " in lowered.stderr and "over the 1 kB limit" in lowered.stderr
    wrong = CliRunner(env={"HAILUO_MAX_FILE_MB": "lots"}).invoke(cli, ["lint", "s.shot"])
    assert wrong.exit_code == 2 and "HAILUO_MAX_FILE_MB: 'lots' is not a positive number" in wrong.stderr
    assert run("lint", "--max-file-mb", "0", "s.shot").exit_code == 2  # click refuses it
    big = tmp_path / "big.shot"
    big.write_text("# a comment\n" * (TEXT_FILE_LIMIT // 12 + 1), encoding="utf-8")
    result = run("lint", "big.shot")
    assert result.exit_code == 2 and "over the 500 kB limit of a script, shot-spec or configuration file" in result.stderr


def test_a_spec_that_is_a_device_or_too_big_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "big.toml").write_text("# padding\n" * (TEXT_FILE_LIMIT // 10 + 1), encoding="utf-8")
    for named, reason in (("/dev/zero", "not a regular file"), ("big.toml", "over the 500 kB limit")):
        (tmp_path / "s.shot").write_text(f'spec "{named}"\nshot a\n  A man walks [Pan left].\n', encoding="utf-8")
        found = run("lint", "s.shot")
        assert found.exit_code == 1 and "s.shot:1:6: HL614" in found.stdout and reason in found.stdout
        compiled = run("compile", "s.shot")
        assert compiled.exit_code == 2 and reason in compiled.stderr


@needs_proc
@pytest.mark.slow
@pytest.mark.parametrize("command", [["lint"], ["lint", "--fix"], ["fmt"], ["compile"]])
def test_the_worst_script_within_the_limit_stays_bounded(tmp_path: Path, command: list[str]) -> None:
    """Every byte a finding (open brackets on one prompt line), just under the script limit."""
    path = tmp_path / "worst.shot"
    path.write_text("shot a\n  " + "[" * (TEXT_FILE_LIMIT - 20) + "\n", encoding="utf-8")
    code, peak, out, err = measured(*command, "worst.shot", cwd=tmp_path)
    assert code in (0, 1) and "Traceback" not in err
    assert peak < 4 * PEAK_LIMIT_MB  # 277 MB for lint at the 500 kB limit
    assert len(out) + len(err) < 200_000


# --- 10. lone CR line ends ------------------------------------------------------------------------

LONE_CR = b"shot a\r  @duration 6\r  A man [pan left]\r\rshot b\r  @duration 6\r  A dog [zoom in]\r"


@pytest.mark.parametrize(
    "command", [["lint"], ["lint", "--fix", "--unsafe-fixes"], ["fmt"], ["fmt", "--check"], ["compile"], ["lint", "--diff"]]
)
def test_a_script_with_lone_cr_line_ends_is_refused_unchanged(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "mac.shot"
    path.write_bytes(LONE_CR)
    result = run(*command, "mac.shot")
    assert result.exit_code == 2
    line = one_line_error(result.stderr, "mac.shot:1:7: a carriage return (CR)", "LF or CRLF")
    assert line.startswith("hailuo: error: ")
    assert path.read_bytes() == LONE_CR


def test_a_lone_cr_anywhere_is_refused_and_crlf_is_read(tmp_path: Path) -> None:
    (tmp_path / "mid.prompt").write_bytes("A man\r\n[pan left] 猫 walks\rto the door.\r\n".encode())
    one_line_error(run("lint", "mid.prompt").stderr, "mid.prompt:2:19:")
    (tmp_path / "crlf.shot").write_bytes(b"shot a\r\n  A man [pan left]\r\n")
    assert run("fmt", "crlf.shot").exit_code == 0
    assert (tmp_path / "crlf.shot").read_bytes() == b"shot a\r\n  A man [Pan left]\r\n"
    assert run("lint", "-", input=b"A man [Pan left]\r").exit_code == 2


# --- 11. the byte-order mark ----------------------------------------------------------------------

BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize("command", [["fmt"], ["lint", "--fix"]])
@pytest.mark.parametrize(("name", "before", "after"), [
    ("a.prompt", b"A boat [pan left] at dawn.\n", b"A boat [Pan left] at dawn.\n"),
    ("a.shot", b"shot a\r\n  A boat [pan left] at dawn.\r\n", b"shot a\r\n  A boat [Pan left] at dawn.\r\n"),
])  # fmt: skip
def test_the_byte_order_mark_is_kept(tmp_path: Path, command: list[str], name: str, before: bytes, after: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(BOM + before)
    assert run(*command, name).exit_code == 0
    assert path.read_bytes() == BOM + after
    path.write_bytes(before)  # and none is added
    run(*command, name)
    assert path.read_bytes() == after


def test_the_byte_order_mark_of_standard_input_goes_back_out(tmp_path: Path) -> None:
    assert run("fmt", "-", input=BOM + b"A boat [ pan left ].\n").stdout_bytes == BOM + b"A boat [Pan left].\n"
    fixed = run("lint", "--fix", "-", input=BOM + b"A boat [pan left].\n")
    assert fixed.stdout_bytes == BOM + b"A boat [Pan left].\n"


def test_a_spec_and_a_pyproject_with_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(BOM + b'[tool.hailuo]\nignore = ["HL101"]\n')
    (tmp_path / "s.toml").write_bytes(BOM + b"[defaults]\nduration = 10\n")
    (tmp_path / "s.shot").write_text('spec "s.toml"\nshot a\n  A man [pan left]\n', encoding="utf-8")
    assert run("lint", "s.shot").exit_code == 0  # HL101 ignored by the pyproject
    compiled = run("compile", "s.shot")
    assert compiled.exit_code == 0 and '"duration": 10' in compiled.stdout


def test_a_failed_write_leaves_the_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.prompt"
    path.write_bytes(BOM + b"A boat [ pan left ].\n")
    path.chmod(0o640)

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(os, "fsync", full)
        result = run("fmt", "a.prompt")
    assert result.exit_code == 2
    one_line_error(result.stderr, "a.prompt: cannot write: No space left on device")
    assert path.read_bytes() == BOM + b"A boat [ pan left ].\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.prompt"]  # no temporary file left
    link = tmp_path / "link.prompt"
    link.symlink_to(path)
    assert run("fmt", "link.prompt").exit_code == 0
    assert link.is_symlink() and path.read_bytes() == BOM + b"A boat [Pan left].\n"
    assert path.stat().st_mode & 0o777 == 0o640


# --- 12. tracebacks -------------------------------------------------------------------------------

DEEP_ARRAY = "[" * 1000 + "]" * 1000
DEEP_TABLE = "{a = " * 1000 + "1" + "}" * 1000


@pytest.mark.parametrize("value", [DEEP_ARRAY, DEEP_TABLE])
def test_a_spec_nested_a_thousand_levels_deep_is_a_located_finding(tmp_path: Path, value: str) -> None:
    (tmp_path / "deep.toml").write_text(f"[defaults]\nduration = 6\nx = {value}\n", encoding="utf-8")
    (tmp_path / "s.shot").write_text('spec "deep.toml"\nshot a\n  A man walks [Pan left].\n', encoding="utf-8")
    found = run("lint", "s.shot")
    assert found.exit_code == 1
    assert "deep.toml:3:" in found.stdout and "HL615" in found.stdout and "nested more than 100 levels deep" in found.stdout
    compiled = run("compile", "s.shot")
    assert compiled.exit_code == 1 and "Traceback" not in compiled.output


def test_a_configuration_nested_a_thousand_levels_deep(tmp_path: Path) -> None:
    (tmp_path / "deep.toml").write_text(f"select = {DEEP_ARRAY}\n", encoding="utf-8")
    (tmp_path / "a.prompt").write_text("A man walks [Pan left].\n", encoding="utf-8")
    one_line_error(
        run("lint", "--config", "deep.toml", "a.prompt").stderr, "deep.toml: not valid TOML", "(at line 1, column 110)"
    )
    (tmp_path / "pyproject.toml").write_text(f"[tool.hailuo]\nselect = {DEEP_TABLE}\n", encoding="utf-8")
    assert run("lint", "a.prompt").exit_code == 0  # a broken pyproject.toml is skipped on the way up, as any


def test_brackets_in_strings_and_comments_are_not_nesting(tmp_path: Path) -> None:
    from hailuo_dsl.textfile import toml_loads

    text = f'a = "{"[" * 500}"\nb = \'{"{" * 500}\'\n# {"[" * 500}\nc = """\n{"[" * 500}\n"""\nd = [[1], [2]]\n'
    assert toml_loads(text)["d"] == [[1], [2]]


@needs_proc
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize(
    "command", [["compile", str(EXAMPLES / "launch.shot")], ["rules"], ["lint", "--output-format", "json", "bad.prompt"]]
)
def test_a_full_standard_output_is_one_line(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "bad.prompt").write_text("[pan left] " * 100, encoding="utf-8")
    with open("/dev/full", "wb") as full:
        child = subprocess.run([sys.executable, "-c", CLI, *command], cwd=tmp_path, stdout=full, stderr=subprocess.PIPE)
    assert child.returncode == 2
    one_line_error(child.stderr.decode(), "hailuo: error: cannot write the output: No space left on device")


@pytest.mark.parametrize("task_id", ["", "  ", "a b", "vid\n1"])
@pytest.mark.parametrize("command", ["status", "wait", "download"])
def test_a_task_id_that_cannot_be_one_is_refused_before_any_request(command: str, task_id: str) -> None:
    result = CliRunner(env={"HAILUO_API_KEY": "k", "HAILUO_BASE_URL": "http://127.0.0.1:9"}).invoke(cli, [command, task_id])
    assert result.exit_code == 2
    one_line_error(result.stderr, "TASK_ID")


# --- 14. move budgets that are no budgets ---------------------------------------------------------


@pytest.mark.parametrize(("table", "reason"), [
    ("{ 6 = -1 }", "6 = -1: give how many moves fit a 6 s clip, at least 1"),
    ("{ 10 = 0 }", "10 = 0: give how many moves fit a 10 s clip, at least 1"),
    ("{ 8 = 3 }", "8: clips last 6 or 10 seconds"),
])  # fmt: skip
def test_a_move_budget_must_be_a_budget(tmp_path: Path, table: str, reason: str) -> None:
    (tmp_path / "s.toml").write_text(f"[defaults]\nduration = 6\n\n[lint]\nmove-budget = {table}\n", encoding="utf-8")
    (tmp_path / "s.shot").write_text('spec "s.toml"\nshot a\n  A man walks [Pan left].\n', encoding="utf-8")
    found = run("lint", "s.shot")
    assert found.exit_code == 1 and f"s.toml:5:1: HL601 [error] lint.move-budget: {reason}" in found.stdout
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "film"\n\n[tool.hailuo]\nmove-budget = {table}\n', encoding="utf-8"
    )
    (tmp_path / "a.prompt").write_text("A man walks [Pan left].\n", encoding="utf-8")
    one_line_error(run("lint", "a.prompt").stderr, f"pyproject.toml:5:1: move-budget: {reason}")


def test_a_move_budget_given_in_python_is_checked_too() -> None:
    from pydantic import ValidationError

    from hailuo_dsl.config import LintConfig

    with pytest.raises(ValidationError, match="at least 1"):
        LintConfig(move_budget={6: -1})
    assert LintConfig(move_budget={6: 1, 10: 9}).move_budget == {6: 1, 10: 9}
