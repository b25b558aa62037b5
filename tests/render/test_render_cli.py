"""``hailuo render``, ``hailuo jobs`` and the single-task commands, end to end over loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from render_helpers import API_KEY, assert_video_of, make_image

from hailuo_dsl.cli import cli
from hailuo_dsl.emulator import Emulator, Faults
from hailuo_dsl.emulator.models import HttpRequest, HttpResponse
from hailuo_dsl.render.downloads import video_name

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCRIPT = """\
shot opening
  @duration 10
  @first_frame "frame.png"
  A mouse runs toward the camera [Push in], then stops [Static shot].

shot city
  City night scene, neon lights flickering [Pan left].
"""


@pytest.fixture
def script(tmp_path: Path) -> Path:
    make_image(tmp_path / "frame.png")
    path = tmp_path / "launch.shot"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env={"HAILUO_API_KEY": "", "HAILUO_BASE_URL": "", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def api_env(emulator: Emulator) -> dict[str, str]:
    return {"HAILUO_BASE_URL": emulator.url, "HAILUO_API_KEY": API_KEY}


def test_render_with_the_built_in_emulator_needs_no_key(script: Path) -> None:
    code, out, err = run(["render", str(script), "--emulator", "--json"])
    assert code == 0, err
    summary = json.loads(out)
    assert summary["ok"] and [s["state"] for s in summary["shots"]] == ["downloaded", "downloaded"]
    folder = script.parent / "renders" / "launch.emulator"
    assert summary["out_dir"] == str(folder)
    for shot in summary["shots"]:
        assert_video_of(Path(shot["output"]), shot["task_id"])
    assert Path(summary["journal"]) == script.parent / ".hailuo" / "launch.emulator.journal.sqlite"
    code, out, _ = run(["jobs", str(script), "--emulator", "--json"])
    assert code == 0 and {s["shot"]: s["state"] for s in json.loads(out)["shots"]} == {
        "opening": "downloaded",
        "city": "downloaded",
    }


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.shot")), ids=lambda p: p.name)
def test_the_example_scripts_render_against_the_emulator(example: Path, tmp_path: Path) -> None:
    code, out, err = run(
        ["render", str(example), "--emulator", "--json", "--out", str(tmp_path / "out"), "--journal", str(tmp_path / "j.sqlite")]
    )
    assert code == 0, out + err
    shots = json.loads(out)["shots"]
    assert shots and all(s["state"] == "downloaded" for s in shots)
    videos = [video_name(s["shot"], s["take"]) for s in shots]
    frames = ["frames"] if any(s["continues"] for s in shots) else []  # the last frames continued shots start on
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(videos + frames)


def test_several_scripts_render_in_one_command_each_with_its_own_journal(script: Path, tmp_path: Path) -> None:
    other = tmp_path / "second.shot"
    other.write_text("shot dawn\n  Waves hitting the beach at sunset [Truck left].\n", encoding="utf-8")
    broken = tmp_path / "broken.shot"
    broken.write_text("shot empty\n  @duration 10\n", encoding="utf-8")

    code, out, err = run(["render", str(script), str(broken), str(other), "--emulator", "--json"])
    assert (code, out) == (1, "")  # the broken script is reported, and nothing is sent for any
    assert "broken.shot:" in err and "HL502" in err and not (tmp_path / ".hailuo").exists()

    code, out, err = run(["render", str(script), str(other), "--emulator", "--json"])
    assert code == 0, err
    summaries = json.loads(out)
    assert [Path(s["journal"]).name for s in summaries] == [
        "launch.emulator.journal.sqlite",
        "second.emulator.journal.sqlite",
    ]
    assert all(s["ok"] for s in summaries)

    code, _, err = run(["render", str(script), str(other), "--emulator", "--shot", "city"])
    assert code == 2 and "--shot" in err and "one script" in err


def test_compile_warnings_are_shown_and_do_not_stop_the_render(tmp_path: Path) -> None:
    script = tmp_path / "small.shot"
    script.write_text(
        "shot small\n  @resolution 512P\n  City night scene, neon lights flickering [Pan left].\n", encoding="utf-8"
    )
    code, out, _ = run(["render", str(script), "--emulator", "--json"])
    summary = json.loads(out)
    assert code == 0 and summary["ok"]
    assert [w.split(": ")[:2] for w in summary["warnings"]] == [[f"{script}:2:3", "HL606 [warning] 512P text-to-video"]]


def test_render_against_the_api_needs_a_key(script: Path) -> None:
    code, out, err = run(["render", str(script)])
    assert code == 2 and out == ""
    assert err == "hailuo: error: no API key: set HAILUO_API_KEY (or pass --emulator to render against the built-in emulator)\n"


def test_render_reports_bad_input_in_one_line(tmp_path: Path, script: Path) -> None:
    code, _, err = run(["render", str(tmp_path / "missing.shot"), "--emulator"])
    assert (code, err) == (2, f"hailuo: error: {tmp_path / 'missing.shot'}: no such file\n")
    code, _, err = run(["render", str(script), "--emulator", "--shot", "openin"])
    assert code == 2 and "did you mean 'opening'" in err and len(err.splitlines()) == 1
    code, _, err = run(["render", str(script), "--emulator", "--adopt", "opening"])
    assert code == 2 and "SHOT=TASK_ID" in err


def test_a_script_with_errors_submits_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.shot"
    bad.write_text(
        'shot a\n  @duration 7\n  A lamb [Push in].\n\nshot b\n  @first_frame "nowhere.png"\n  A goat.\n', encoding="utf-8"
    )
    code, _, err = run(["render", str(bad), "--emulator"])
    assert code == 1
    assert "bad.shot:2:" in err
    assert not (tmp_path / ".hailuo").exists() and not (tmp_path / "renders").exists()


def test_jobs_points_at_the_emulator_journal_when_only_that_exists(script: Path) -> None:
    assert run(["render", str(script), "--emulator"])[0] == 0
    code, _, err = run(["jobs", str(script)])
    assert code == 2 and "no journal here" in err and "--emulator" in err
    assert run(["jobs", str(script), "--emulator"])[0] == 0


def test_jobs_needs_a_journal(script: Path) -> None:
    code, _, err = run(["jobs", str(script)])
    assert code == 2 and "no journal" in err
    code, _, err = run(["jobs"])
    assert code == 2 and "SCRIPT or --journal" in err


def test_an_unknown_submit_is_reported_then_adopted(script: Path, emulator: Emulator) -> None:
    emulator.faults = Faults(target="submit", drop_after=1)
    args = ["render", str(script), "--shot", "city", "--poll-interval", "0.02"]
    code, out, _ = run(args, api_env(emulator))
    assert code == 1 and "unknown" in out and "--adopt" in out
    code, out, _ = run(["jobs", str(script), "--json"], api_env(emulator))  # the journal of this API
    assert [s["state"] for s in json.loads(out)["shots"]] == ["unknown"]
    code, out, _ = run(args, api_env(emulator))
    assert code == 1 and emulator.stats.submits_accepted == 1
    (task_id,) = emulator.tasks
    code, out, err = run([*args, "--adopt", f"city={task_id}", "--json"], api_env(emulator))
    assert code == 0, err
    assert json.loads(out)["shots"][0]["task_id"] == task_id and emulator.stats.submits_accepted == 1


@pytest.mark.usefixtures("terminal_sigint")
def test_ctrl_c_during_a_submit_keeps_its_task_and_a_rerun_finishes(script: Path, emulator: Emulator) -> None:
    """SIGINT while the submit is on its way: the answer is still recorded, the exit is 130, and
    the rerun submits nothing more."""
    emulator.faults = Faults(target="submit", slow=1, slow_seconds=0.5)
    serve = emulator.app.handle
    child: list[subprocess.Popen[str]] = []
    sent = threading.Event()

    def interrupt_on_submit(request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path.endswith("/generations") and not sent.is_set():
            sent.set()
            child[0].send_signal(signal.SIGINT)
        return serve(request)

    emulator.app.handle = interrupt_on_submit  # type: ignore[method-assign]
    code = "import sys; from hailuo_dsl.cli import main; sys.argv[0] = 'hailuo'; main()"
    args = [sys.executable, "-c", code, "render", str(script), "--shot", "city", "--poll-interval", "0.02"]
    env = {**os.environ, **api_env(emulator)}
    child.append(subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    out, err = child[0].communicate(timeout=60)
    assert child[0].returncode == 130, out + err
    assert "journal" in err and "run the same command again" in err
    code, out, _ = run(["jobs", str(script), "--json"], api_env(emulator))
    (record,) = json.loads(out)["shots"]
    assert record["state"] == "submitted" and record["task_id"] in emulator.tasks
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert emulator.stats.submits_accepted == 1


def test_single_task_commands(tmp_path: Path, script: Path, emulator: Emulator) -> None:
    env = api_env(emulator)
    code, out, err = run(["submit", "--prompt", "Waves hitting the beach at sunset [Pan left].", "--duration", "10"], env)
    assert code == 0, err
    task_id = out.strip()
    assert emulator.tasks[task_id].request["duration"] == 10
    code, out, _ = run(["wait", task_id, "--json", "--poll-interval", "0.02"], env)
    assert code == 0 and json.loads(out)["status"] == "completed"
    code, out, _ = run(["status", task_id, "--json"], env)
    assert json.loads(out)["progress"] == 100
    code, out, _ = run(["download", task_id, "-o", str(tmp_path / "waves.mp4")], env)
    assert code == 0 and out.strip() == str(tmp_path / "waves.mp4")
    assert_video_of(tmp_path / "waves.mp4", task_id)

    code, out, err = run(["submit", str(script), "--shot", "opening", "--json"], env)
    assert code == 0, err
    request = emulator.tasks[json.loads(out)["id"]].request
    assert request["duration"] == 10 and request["image_urls"][0].startswith(emulator.url + "/files/images/")
    assert emulator.stats.uploads == 1


def test_single_task_commands_report_errors_in_one_line(script: Path, emulator: Emulator) -> None:
    env = api_env(emulator)
    for args in (
        ["submit"],
        ["submit", str(script)],
        ["submit", str(script), "--shot", "city", "--prompt", "x"],
        ["submit", "--shot", "city", "--prompt", "x"],
    ):
        code, _, err = run(args, env)
        assert code == 2 and err.startswith("hailuo: error: ") and len(err.splitlines()) == 1
    assert emulator.stats.submits_accepted == 0
    code, _, err = run(["submit", "--prompt", "x" * 2001], env)
    assert code == 1 and "HL501 [error]" in err and "2000" in err  # the lint gate refuses it
    code, _, err = run(["status", "vid_nope"], env)
    assert code == 1 and "no such task" in err.lower() and len(err.splitlines()) == 1
    code, _, err = run(["status", "vid_nope"])
    assert code == 2 and "HAILUO_API_KEY" in err
    emulator.faults = Faults(policy_refusals=1)
    code, _, err = run(["submit", "--prompt", "A lamb [Push in]."], env)
    assert code == 1 and "content policy" in err.lower()


def test_a_forgotten_shot_is_submitted_again_and_jobs_lists_it(script: Path, emulator: Emulator) -> None:
    emulator.faults = Faults(target="submit", drop_before=1)  # read, then dropped: no task created
    args = ["render", str(script), "--shot", "city", "--poll-interval", "0.02"]
    code, out, _ = run(args, api_env(emulator))
    assert code == 1 and emulator.stats.submits_accepted == 0
    code, out, err = run([*args, "--forget", "city"], api_env(emulator))
    assert code == 0, err
    assert emulator.stats.submits_accepted == 1
    code, out, _ = run(["jobs", str(script)], {"COLUMNS": "200", **api_env(emulator)})
    assert code == 0
    (row,) = [line for line in out.splitlines() if " city " in line]
    assert "downloaded" in row and "renders/launch/city.mp4" in row and " 2 " in row  # two attempts
    code, _, err = run([*args, "--forget", "nosuchshot"], api_env(emulator))
    assert code == 2 and "nosuchshot" in err and len(err.splitlines()) == 1


def test_two_shots_of_one_name_are_refused_even_with_the_finding_silenced(tmp_path: Path) -> None:
    script = tmp_path / "twice.shot"
    script.write_text(
        "# hailuo: ignore-file HL704\nshot a\n  A lamb [Push in].\n\nshot a\n  A goat [Pan left].\n", encoding="utf-8"
    )
    code, out, err = run(["render", str(script), "--emulator"])
    # The compile keeps a duplicate name an error whatever the suppressions say; the pipeline's
    # own guard (tests/render/test_pipeline.py) covers shots given to it directly.
    assert (code, out) == (1, "") and "HL704" in err and "Duplicate shot name 'a'" in err


def test_a_base_url_that_is_not_one_is_a_usage_error() -> None:
    code, _, err = run(["status", "vid_1", "--base-url", "api.test"], {"HAILUO_API_KEY": API_KEY})
    assert code == 2 and "api.test" in err and "Traceback" not in err


def test_json_of_one_script_that_does_not_compile_is_nothing_on_stdout(tmp_path: Path) -> None:
    broken = tmp_path / "broken.shot"
    broken.write_text("shot empty\n  @duration 10\n", encoding="utf-8")
    code, out, err = run(["render", str(broken), "--emulator", "--json"])
    assert code == 1 and out == "" and "HL502" in err
