"""The lint gate before anything is paid for: ``hailuo render``, ``hailuo submit`` and
``render_script`` refuse a prompt with an error, counted at the emulator (no upload, no submit),
print the findings as ``hailuo lint`` does, and let warnings through."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from harness import EMULATOR_DEFAULTS
from render_helpers import API_KEY, make_image

from hailuo_dsl.cli import cli
from hailuo_dsl.client import AsyncClient
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.emulator import Emulator
from hailuo_dsl.render import render_script
from hailuo_dsl.rules import BY_CODE
from hailuo_dsl.shots import CompileError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

BAD = 'shot a\n  @first_frame "frame.png"\n  The camera [Push out] as the crowd cheers.\n\nshot b\n  Waves [Pan left].\n'
"""The issue's prompt, in a shot whose frame would be uploaded first; the other shot is clean."""
WARNED = "shot b\n  The crowd cheers [pan left].\n"
PROMPT_CASES = Path(__file__).resolve().parents[1] / "prompt" / "cases"


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env={"HAILUO_API_KEY": "", "HAILUO_BASE_URL": "", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def api_env(emulator: Emulator) -> dict[str, str]:
    return {"HAILUO_BASE_URL": emulator.url, "HAILUO_API_KEY": API_KEY}


def sent(emulator: Emulator) -> tuple[int, int]:
    """Uploads and submits the emulator saw (refused ones included)."""
    return emulator.stats.uploads, emulator.stats.submits_accepted + emulator.stats.submits_refused


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder, the working folder too (so no configuration above it counts)."""
    make_image(tmp_path / "frame.png")
    (tmp_path / "bad.shot").write_text(BAD, encoding="utf-8")
    (tmp_path / "warned.shot").write_text(WARNED, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'film'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- the Python API ---------------------------------------------------------------------------------------


async def test_render_script_refuses_a_script_with_an_error(folder: Path, client: AsyncClient, emulator: Emulator) -> None:
    with pytest.raises(CompileError) as raised:
        await render_script(folder / "bad.shot", client=client, out_dir=folder / "out")
    assert [d.code for d in raised.value.diagnostics] == ["HL102"]
    assert f"{folder / 'bad.shot'}:3:15: HL102 " in str(raised.value)
    assert sent(emulator) == (0, 0)
    assert not (folder / ".hailuo").exists() and not (folder / "out").exists()


async def test_render_script_takes_the_configuration(folder: Path, client: AsyncClient, emulator: Emulator) -> None:
    from hailuo_dsl.config import LintConfig

    summary = await render_script(
        folder / "bad.shot", client=client, out_dir=folder / "out", config=LintConfig(severity={"HL102": "warning"})
    )
    assert summary.ok and sent(emulator) == (1, 2)
    assert [w.split(": ")[1] for w in summary.warnings] == [
        "HL102 [warning] [Push out] is not a camera directive; did you mean [Pull out]?"
    ]


# -- hailuo render ----------------------------------------------------------------------------------------


def test_render_refuses_and_sends_nothing(folder: Path, emulator: Emulator) -> None:
    code, out, err = run(["render", "bad.shot", "--poll-interval", "0.02"], api_env(emulator))
    assert (code, out) == (1, "")
    assert err == (
        "bad.shot:3:15: HL102 [error] [Push out] is not a camera directive; did you mean [Pull out]?\n"
        "    The camera [Push out] as the crowd cheers.\n"
        "                ^^^^^^^^\n"
        "  fix: Replace with [Pull out]\n"
        "Found 1 problem (1 error); 1 fixable with --fix.\n"
        "hailuo: nothing was uploaded or submitted: fix the errors above (`hailuo lint --fix` fixes many)\n"
    )
    _, linted, _ = run(["lint", "bad.shot"])
    assert err.startswith(linted)  # the report hailuo lint gives, word for word
    assert sent(emulator) == (0, 0)
    assert not (folder / ".hailuo").exists() and not (folder / "renders").exists()


def test_one_script_with_an_error_stops_the_whole_run(folder: Path, emulator: Emulator) -> None:
    code, out, err = run(["render", "warned.shot", "bad.shot", "--poll-interval", "0.02"], api_env(emulator))
    assert (code, out) == (1, "")
    assert err.index("warned.shot:2:21: HL101 [warning]") < err.index("bad.shot:3:15: HL102 [error]")
    assert err.endswith("hailuo: bad.shot: errors; nothing was uploaded or submitted for any script\n")
    assert sent(emulator) == (0, 0)

    (folder / "bad.shot").write_text(BAD.replace("[Push out]", "[Pull out]"), encoding="utf-8")
    code, _, err = run(["render", "warned.shot", "bad.shot", "--poll-interval", "0.02"], api_env(emulator))
    assert code == 0, err
    assert sent(emulator) == (1, 3)


def test_warnings_are_printed_once_before_the_render_and_do_not_stop_it(folder: Path, emulator: Emulator) -> None:
    code, out, err = run(["render", "warned.shot", "--poll-interval", "0.02"], api_env(emulator))
    assert code == 0, err
    assert err.startswith("warned.shot:2:21: HL101 [warning] [pan left] is not the canonical spelling")
    assert err.count("HL101") == 1 and "downloaded" in out
    assert sent(emulator) == (0, 1)


def test_render_reads_the_configuration_lint_reads(folder: Path, emulator: Emulator) -> None:
    (folder / "pyproject.toml").write_text("[tool.hailuo]\nignore = ['HL102']\n", encoding="utf-8")
    code, _, err = run(["render", "bad.shot", "--poll-interval", "0.02"], api_env(emulator))
    assert code == 0 and err == ""
    assert sent(emulator) == (1, 2)


# -- hailuo submit ----------------------------------------------------------------------------------------


def test_submit_of_a_shot_with_an_error_sends_nothing(folder: Path, emulator: Emulator) -> None:
    code, out, err = run(["submit", "bad.shot", "--shot", "a"], api_env(emulator))
    assert (code, out) == (1, "")
    assert err.startswith("bad.shot:3:15: HL102 [error]") and err.endswith(
        "hailuo: nothing was uploaded or submitted: fix the errors above (`hailuo lint --fix` fixes many)\n"
    )
    assert sent(emulator) == (0, 0)
    code, out, err = run(["submit", "bad.shot", "--shot", "b"], api_env(emulator))  # the clean shot of the script
    assert code == 0 and err == "" and out.strip() in emulator.tasks
    code, out, err = run(["submit", "warned.shot", "--shot", "b"], api_env(emulator))
    assert code == 0 and "HL101 [warning]" in err
    assert sent(emulator) == (0, 2)


def test_submit_refuses_an_error_before_asking_for_a_key(folder: Path) -> None:
    code, _, err = run(["submit", "--prompt", "The camera [Push out] as the crowd cheers."])
    assert code == 1 and "HL102 [error]" in err and "HAILUO_API_KEY" not in err


def test_submit_of_a_prompt_reads_the_working_folders_configuration(folder: Path, emulator: Emulator) -> None:
    (folder / "pyproject.toml").write_text("[tool.hailuo]\nseverity = { HL102 = 'warning' }\n", encoding="utf-8")
    code, out, err = run(["submit", "--prompt", "The camera [Push out] as the crowd cheers."], api_env(emulator))
    assert code == 0 and "HL102 [warning]" in err
    assert emulator.tasks[out.strip()].request["prompt"] == "The camera [Push out] as the crowd cheers."


def test_submit_lints_the_prompt_for_the_duration_it_asks_for(folder: Path, emulator: Emulator) -> None:
    prompt = "A city [Push in], [Pan left], [Tilt up], [Zoom in]."  # four moves: 6 s holds about three
    code, _, err = run(["submit", "--prompt", prompt], api_env(emulator))
    assert code == 0 and "HL303 [warning] 4 camera moves in sequence for a 6 s clip" in err
    code, _, err = run(["submit", "--prompt", prompt, "--duration", "10"], api_env(emulator))
    assert code == 0 and err == ""


def _prompt_cases() -> Iterator[Any]:
    """The prompt rules' cases that ``hailuo submit --prompt`` can send as they are: no
    configuration of their own, a prompt that needs its text (no first frame)."""
    for path in sorted(PROMPT_CASES.glob("*.toml")):
        for n, row in enumerate(tomllib.loads(path.read_text(encoding="utf-8"))["case"], 1):
            if "config" not in row and row.get("require-text", True):
                yield pytest.param(row, id=f"{path.stem}{n}-{row['rule']}")


@pytest.fixture(scope="module")
def shared_emulator() -> Iterator[Emulator]:
    with Emulator(**EMULATOR_DEFAULTS) as server:
        yield server


@pytest.mark.parametrize("row", list(_prompt_cases()))
def test_submit_of_each_prompt_case_follows_lint(
    row: dict[str, Any], shared_emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused, with ``hailuo lint --prompt``'s report, exactly when the case expects an error."""
    monkeypatch.chdir(tmp_path)
    prompt = row["prompt"] * row.get("prompt-times", 1)
    duration = ["--duration", str(row["duration"])] if "duration" in row else []
    refused = any(BY_CODE[e.split()[0]].severity is Severity.ERROR for e in row["expect"])
    _, report, _ = run(["lint", "--prompt", prompt, *duration])
    before = sent(shared_emulator)
    code, out, err = run(["submit", "--prompt", prompt, *duration], api_env(shared_emulator))
    if refused:
        assert (code, out) == (1, "") and sent(shared_emulator) == before
        assert (
            err == report + "hailuo: nothing was uploaded or submitted: fix the errors above (`hailuo lint --fix` fixes many)\n"
        )
    else:
        assert code == 0, err
        assert shared_emulator.tasks[out.strip()].request["prompt"] == prompt
        assert err == ("" if report == "All checks passed!\n" else report)


# -- @callback_url ----------------------------------------------------------------------------------------


def test_the_callback_url_reaches_the_api_and_polling_still_finishes(folder: Path, emulator: Emulator) -> None:
    (folder / "hook.shot").write_text(
        "shot a\n  @callback_url https://hooks.example.com/hailuo?shot=a\n  Waves [Pan left].\n", encoding="utf-8"
    )
    code, _, err = run(["render", "hook.shot", "--poll-interval", "0.02"], api_env(emulator))
    assert code == 0, err
    (task,) = emulator.tasks.values()
    assert task.request["metadata"] == {"callback_url": "https://hooks.example.com/hailuo?shot=a"}
    assert (folder / "renders" / "hook" / "a.mp4").is_file()
