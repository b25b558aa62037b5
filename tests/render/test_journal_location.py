"""One journal per script file and per API: a symlink and its target share one (no shot paid
twice), a client of another API never writes the real API's journal, and a journal of an older
hailuo (named after the path as given, recording no API) is taken over, not lost."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_server import API_KEY, HostileServer

from hailuo_dsl.cli import cli
from hailuo_dsl.client import AsyncClient
from hailuo_dsl.render import (
    DEFAULT_ENDPOINT,
    EMULATOR_ENDPOINT,
    Journal,
    JournalError,
    ShotState,
    default_journal_path,
    default_out_dir,
    endpoint_of,
    find_journal,
    journal_path,
    open_journal,
    render_script,
)
from hailuo_dsl.render.film import default_film_path

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")

SCRIPT = """\
shot opening
  A mouse runs toward the camera [Push in].

shot city
  City night scene, neon lights flickering [Pan left].

shot title
  A title card glows in the dark [Static shot].
"""


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


@pytest.fixture
def scripts(tmp_path: Path) -> tuple[Path, Path]:
    """``launch.shot`` and ``current.shot``, a symlink to it."""
    launch = tmp_path / "launch.shot"
    launch.write_text(SCRIPT, encoding="utf-8")
    current = tmp_path / "current.shot"
    current.symlink_to(launch.name)
    return launch, current


def run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env={"HAILUO_API_KEY": "", "HAILUO_BASE_URL": "", "COLUMNS": "300", **env})
    return result.exit_code, result.stdout, result.stderr


def test_a_symlink_and_its_target_share_one_journal(scripts: tuple[Path, Path], server: HostileServer) -> None:
    launch, current = scripts
    env = {"HAILUO_API_KEY": API_KEY, "HAILUO_BASE_URL": server.url}
    for script in (current, launch, current):
        code, _, err = run(["render", str(script), "--poll-interval", "0.01"], env)
        assert code == 0, err
    assert server.app.stats.submits_accepted == 3  # 3 shots, paid once
    listed = [json.loads(run(["jobs", str(s), "--json"], env)[1]) for s in (current, launch)]
    assert listed[0] == listed[1] and len(listed[0]["shots"]) == 3
    assert Path(listed[0]["journal"]).parent == launch.parent / ".hailuo"
    assert Path(listed[0]["journal"]).name.startswith("launch.127.0.0.1-")


async def test_a_client_of_another_api_never_writes_the_real_apis_journal(
    scripts: tuple[Path, Path], server: HostileServer
) -> None:
    """The README's Python example: render_script with a client of an emulator on loopback."""
    launch, _ = scripts
    async with AsyncClient(api_key=API_KEY, base_url=server.url, poll_interval=0.01, first_poll_delay=0.01) as client:
        summary = await render_script(launch, client=client)
        assert summary.ok
        assert summary.journal == journal_path(launch, endpoint_of(server.url)) != default_journal_path(launch)
        assert not default_journal_path(launch).exists()
        with pytest.raises(JournalError, match=r"records the tasks of http://127\.0\.0\.1:\d+, not of emulator"):
            await render_script(launch, client=client, journal=summary.journal, endpoint=EMULATOR_ENDPOINT)
        with pytest.raises(JournalError, match="records the tasks of"), Journal(summary.journal, endpoint=DEFAULT_ENDPOINT):
            pass


def test_endpoints_are_written_one_way() -> None:
    assert endpoint_of("HTTPS://ToAPIs.com:443/") == endpoint_of("https://toapis.com") == DEFAULT_ENDPOINT
    assert endpoint_of("http://127.0.0.1:8000/v2/") == "http://127.0.0.1:8000/v2"
    assert endpoint_of("http://[::1]:80") == "http://[::1]"
    script = Path("/films/launch.shot")
    assert journal_path(script).name == "launch.journal.sqlite"
    assert journal_path(script, EMULATOR_ENDPOINT).name == "launch.emulator.journal.sqlite"
    other, path = journal_path(script, "https://gw.example/v1"), journal_path(script, "https://gw.example/v2")
    assert other.name.startswith("launch.gw.example-") and other != path


def test_scripts_of_one_folder_never_share_a_journal_videos_or_a_film(tmp_path: Path) -> None:
    """``.shot`` is left out of the name, any other suffix kept: ``scene.shot`` and ``scene.txt``
    side by side are two scripts, each with its own journal, folder of videos and film."""
    shot, text = tmp_path / "scene.shot", tmp_path / "scene.txt"
    assert journal_path(shot).name == "scene.journal.sqlite"
    assert journal_path(text).name == "scene.txt.journal.sqlite"
    assert journal_path(tmp_path / "Scene.SHOT").name == "Scene.journal.sqlite"
    assert default_out_dir(shot) != default_out_dir(text)
    assert default_out_dir(text, emulator=True) == tmp_path / "renders" / "scene.txt.emulator"
    assert default_film_path(shot) == tmp_path / "renders" / "scene.mp4"
    assert default_film_path(text) == tmp_path / "renders" / "scene.txt.mp4"


def make_older_journal(path: Path, *, video_url: str | None) -> None:
    """A journal as an older hailuo left it: named after the path given, recording no API."""
    with Journal(path) as journal:
        journal.add("opening", "h-opening", {"prompt": "a"})
        journal.begin_submit("opening")
        journal.submitted("opening", "vid_paid_1")
        journal.add("city", "h-city", {"prompt": "b"})
        journal.begin_submit("city")
        journal.submitted("city", "vid_paid_2")
        if video_url is not None:
            journal.completed("city", video_url=video_url, expires_at=None)
    assert not Path(str(path) + "-wal").exists()


def test_an_older_journal_named_after_a_symlink_is_taken_over(scripts: tuple[Path, Path]) -> None:
    launch, current = scripts
    older = launch.parent / ".hailuo" / "current.shot.journal.sqlite"
    older.parent.mkdir()
    make_older_journal(older, video_url="https://cdn.example/v/2.mp4")
    assert find_journal(current, DEFAULT_ENDPOINT) == older  # found, as jobs finds it, without a change
    code, out, _ = run(["jobs", str(current), "--json"], {})
    assert code == 0 and [s["task_id"] for s in json.loads(out)["shots"]] == ["vid_paid_1", "vid_paid_2"]  # script order
    assert older.exists()
    with open_journal(current, DEFAULT_ENDPOINT) as journal:  # a render takes it over
        assert journal.path == journal_path(launch) and journal.endpoint == DEFAULT_ENDPOINT
        assert {r.name: (r.state, r.task_id) for r in journal.records()} == {
            "opening": (ShotState.SUBMITTED, "vid_paid_1"),
            "city": (ShotState.COMPLETED, "vid_paid_2"),
        }
    assert not older.exists() and find_journal(launch, DEFAULT_ENDPOINT) == journal_path(launch)
    code, out, _ = run(["jobs", str(launch), "--json"], {})
    assert code == 0 and len(json.loads(out)["shots"]) == 2


def test_an_older_journal_is_never_taken_by_a_server_on_loopback(scripts: tuple[Path, Path]) -> None:
    launch, _ = scripts
    older = default_journal_path(launch)
    older.parent.mkdir()
    make_older_journal(older, video_url=None)
    local = "http://127.0.0.1:8000"
    assert find_journal(launch, local) == journal_path(launch, local) != older
    with open_journal(launch, local) as journal:
        assert journal.records() == []
    with Journal(older, create=False) as journal:
        assert journal.endpoint is None and len(journal.records()) == 2


def test_the_real_api_restarts_the_shots_an_emulator_left_in_an_older_journal(scripts: tuple[Path, Path]) -> None:
    """An older journal written by a client of an emulator (the README's example did that): the
    real API does not report the emulator's stand-in video as its own."""
    launch, _ = scripts
    older = default_journal_path(launch)
    older.parent.mkdir()
    make_older_journal(older, video_url="http://127.0.0.1:41234/files/videos/vid_paid_2.mp4")
    with open_journal(launch, DEFAULT_ENDPOINT) as journal:
        city, opening = journal.records()
        assert city.state is ShotState.PENDING and city.previous_tasks == ("vid_paid_2",)
        assert opening.state is ShotState.SUBMITTED  # no sign it came from a local server: kept
        assert "server on this machine (127.0.0.1:41234)" in journal.events("city")[-1].detail  # type: ignore[operator]


def test_a_journal_named_after_the_whole_file_name_is_taken_over(scripts: tuple[Path, Path]) -> None:
    """The journal and the videos' folder are named after the script's stem (``launch``); a journal
    of the version that named it after the whole file name (``launch.shot``) keeps its paid tasks."""
    launch, _ = scripts
    older = launch.parent / ".hailuo" / "launch.shot.emulator.journal.sqlite"
    older.parent.mkdir()
    make_older_journal(older, video_url=None)
    with Journal(older, endpoint=EMULATOR_ENDPOINT):
        pass  # it records its API, as that version's journals do
    code, out, _ = run(["jobs", str(launch), "--emulator", "--json"], {})
    assert code == 0 and [s["task_id"] for s in json.loads(out)["shots"]] == ["vid_paid_1", "vid_paid_2"]
    with open_journal(launch, EMULATOR_ENDPOINT) as journal:
        assert journal.path == launch.parent / ".hailuo" / "launch.emulator.journal.sqlite"
        assert [r.task_id for r in journal.records()] == ["vid_paid_2", "vid_paid_1"]
    assert not older.exists()
