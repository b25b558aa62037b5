"""``hailuo compile``: JSON lines on stdout, findings on stderr, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from images_util import make_image, serve

from hailuo_dsl.cli import cli
from hailuo_dsl.version import user_agent

SCRIPT = """\
spec "launch.toml"

shot opening
  @duration 10
  @first_frame "frames/mouse.png"
  A mouse runs toward the camera, smiling and blinking [Push in],
  then stops and looks up at the sky [Static shot].

shot skyline
  City night scene, neon lights flickering [Pan left].
"""
SPEC = """\
[defaults]
resolution = "768P"
prompt_optimizer = false
"""


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "launch.shot").write_text(SCRIPT, encoding="utf-8")
    (tmp_path / "launch.toml").write_text(SPEC, encoding="utf-8")
    make_image(tmp_path / "frames" / "mouse.png", (480, 640))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def hailuo(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def lines(result: Result) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_one_json_object_per_shot(folder: Path) -> None:
    result = hailuo("compile", "launch.shot")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    opening, skyline = lines(result)
    assert opening == {
        "shot": "opening",
        "request": {
            "model": "MiniMax-Hailuo-02",
            "prompt": "A mouse runs toward the camera, smiling and blinking [Push in], then stops and looks up at the sky [Static shot].",
            "duration": 10,
            "resolution": "768P",
            "image_urls": [(folder / "frames/mouse.png").resolve().as_uri()],
            "metadata": {"prompt_optimizer": False},
        },
        "local_images": {"first_frame": str((folder / "frames/mouse.png").resolve())},
        "request_hash": opening["request_hash"],
    }
    assert len(str(opening["request_hash"])) == 64
    assert skyline["shot"] == "skyline" and "image_urls" not in skyline["request"]  # type: ignore[operator]


def test_json_format_and_output_file(folder: Path) -> None:
    as_json = hailuo("compile", "launch.shot", "--format", "json")
    assert [o["shot"] for o in json.loads(as_json.stdout)] == ["opening", "skyline"]
    to_file = hailuo("compile", "launch.shot", "-o", "out.jsonl")
    assert to_file.exit_code == 0 and to_file.stdout == ""
    assert (folder / "out.jsonl").read_text(encoding="utf-8") == hailuo("compile", "launch.shot").stdout


def test_only_the_shots_named(folder: Path) -> None:
    assert [o["shot"] for o in lines(hailuo("compile", "launch.shot", "--shot", "skyline"))] == ["skyline"]
    unknown = hailuo("compile", "launch.shot", "--shot", "skylin")
    assert unknown.exit_code == 2
    assert unknown.stderr == "hailuo: error: launch.shot: no shot named 'skylin'; did you mean 'skyline'?\n"


def test_overrides_beat_everything(folder: Path) -> None:
    make_image(folder / "cli.jpg", (640, 360), "JPEG")
    result = hailuo(
        "compile",
        "launch.shot",
        "--resolution",
        "1080p",
        "--duration",
        "6",
        "--first-frame",
        "cli.jpg",
        "--watermark",
        "--prompt-optimizer",
    )
    assert result.exit_code == 0, result.stderr
    for shot in lines(result):
        request = shot["request"]
        assert isinstance(request, dict)
        assert (request["resolution"], request["duration"]) == ("1080P", 6)
        assert request["image_urls"] == [(folder / "cli.jpg").resolve().as_uri()]
        assert request["metadata"] == {"prompt_optimizer": True, "aigc_watermark": True}


def test_compile_errors_exit_1_with_lint_style_findings_and_no_output(folder: Path) -> None:
    (folder / "launch.shot").write_text(SCRIPT.replace("@duration 10", "@duration ten"), encoding="utf-8")
    result = hailuo("compile", "launch.shot")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        'launch.shot:4:13: HL601 [error] @duration must be 6 or 10, got "ten"',
        "    @duration ten",
        "              ^^^",
        "Found 1 problem (1 error).",
    ]


def test_findings_in_the_spec_name_the_spec(folder: Path) -> None:
    (folder / "launch.toml").write_text(SPEC + '[shots.opening]\nresolution = "1080P"\n', encoding="utf-8")
    result = hailuo("compile", "launch.shot")
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[0]
        == "launch.shot:4:3: HL604 [error] 1080P takes only 6-second clips; use @duration 6 or @resolution 768P"
    )
    (folder / "launch.toml").write_text(SPEC + "[shots.opening]\nduraton = 6\n", encoding="utf-8")
    result = hailuo("compile", "launch.shot")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        "launch.toml:5:1: HL602 [error] shots.opening.duraton: unknown key; did you mean 'duration'?",
        "  duraton = 6",
        "  ^^^^^^^^^^^",
    ]


def test_findings_in_a_spec_with_a_byte_order_mark_stand_where_the_key_is(folder: Path) -> None:
    (folder / "launch.toml").write_bytes(b"\xef\xbb\xbf" + (SPEC + "[shots.opening]\nduraton = 6\n").encode("utf-8"))
    result = hailuo("compile", "launch.shot")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        "launch.toml:5:1: HL602 [error] shots.opening.duraton: unknown key; did you mean 'duration'?",
        "  duraton = 6",
        "  ^^^^^^^^^^^",
    ]


def test_warnings_alone_still_compile(folder: Path) -> None:
    result = hailuo("compile", "launch.shot", "--resolution", "512P")
    assert result.exit_code == 0
    assert "HL606 [warning]" in result.stderr
    assert [o["shot"] for o in lines(result)] == ["opening", "skyline"]


def test_io_errors_exit_2_in_one_line(folder: Path) -> None:
    missing = hailuo("compile", "nope.shot")
    assert (missing.exit_code, missing.stderr) == (2, "hailuo: error: nope.shot: no such file\n")
    no_spec = hailuo("compile", "launch.shot", "--spec", "other.toml")
    assert (no_spec.exit_code, no_spec.stderr) == (2, "hailuo: error: other.toml: no such file\n")
    (folder / "launch.shot").write_text(SCRIPT.replace("launch.toml", "lanuch.toml"), encoding="utf-8")
    spec_line = hailuo("compile", "launch.shot")
    assert spec_line.exit_code == 2
    assert spec_line.stderr == "hailuo: error: launch.shot:1:6: cannot read the shot-spec: lanuch.toml: no such file\n"
    bad_value = hailuo("compile", "launch.shot", "--resolution", "720p")
    assert (bad_value.exit_code, bad_value.stderr) == (
        2,
        'hailuo: error: command line: --resolution must be 512P, 768P or 1080P, got "720p"\n',
    )
    bad_choice = hailuo("compile", "launch.shot", "--duration", "8")
    assert bad_choice.exit_code == 2 and "Traceback" not in bad_choice.output


def test_check_urls(folder: Path) -> None:
    routes = {"/f.png": (200, {"Content-Type": "image/png", "Content-Length": "900"})}
    agents: list[str] = []
    with serve(routes, agents) as base:
        good = hailuo("compile", "launch.shot", "--first-frame", f"{base}/f.png", "--check-urls")
        gone = hailuo("compile", "launch.shot", "--first-frame", f"{base}/gone.png", "--check-urls")
    assert good.exit_code == 0, good.stderr
    assert gone.exit_code == 1 and "answers HTTP 404" in gone.stderr
    assert agents and set(agents) == {user_agent()}  # a probe says who asks, as the client does


# -- the examples ------------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BROKEN = sorted((EXAMPLES / "broken").glob("*.shot.broken"))


@pytest.mark.parametrize("script", sorted(EXAMPLES.glob("*.shot")), ids=lambda p: p.name)
def test_examples_compile_and_lint_clean(script: Path) -> None:
    compiled = hailuo("compile", str(script))
    assert (compiled.exit_code, compiled.stderr) == (0, "")
    assert len(lines(compiled)) >= 3
    linted = hailuo("lint", str(script))
    assert (linted.exit_code, linted.output) == (0, "All checks passed!\n")


def test_the_examples_cover_every_mode_and_a_ten_second_shot() -> None:
    requests = [o["request"] for script in sorted(EXAMPLES.glob("*.shot")) for o in lines(hailuo("compile", str(script)))]
    modes = {("image_urls" in r) + ("last_frame_image" in r.get("metadata", {})) for r in requests}  # type: ignore[operator,union-attr]
    assert modes == {0, 1, 2}
    assert any(r["duration"] == 10 for r in requests)  # type: ignore[index]


@pytest.mark.parametrize("script", BROKEN, ids=lambda p: p.name)
def test_each_broken_example_shows_its_rule(script: Path) -> None:
    shown = re.search(r"shows (HL\d{3})", script.read_text(encoding="utf-8"))
    assert shown is not None, "the first comment says which rule the example shows"
    result = hailuo("compile", str(script))
    if shown.group(1) == "HL614":  # a missing spec is an I/O error
        assert result.exit_code == 2 and "cannot read the shot-spec" in result.stderr
        return
    found = re.findall(r": (HL\d{3}) \[(\w+)\]", result.stderr)
    assert len(found) == 1 and found[0][0] == shown.group(1), result.stderr
    assert result.exit_code == (1 if found[0][1] == "error" else 0)


def test_every_compile_rule_has_a_broken_example_but_the_10_mb_one() -> None:
    from hailuo_dsl.rules import COMPILE_RULES as RULES

    shown = {m for p in BROKEN for m in re.findall(r"shows (HL\d{3})", p.read_text(encoding="utf-8"))}
    assert {r.code for r in RULES} - shown == {"HL609"}


def test_a_silenced_duplicate_shot_name_still_stops_the_compile(tmp_path: Path) -> None:
    script = tmp_path / "dup.shot"
    script.write_text("# hailuo: ignore-file HL704\nshot a\n  A cat.\n\nshot a\n  A dog.\n", encoding="utf-8")
    result = hailuo("compile", str(script))
    assert result.exit_code == 1 and "HL704" in result.stderr and result.stdout == ""
