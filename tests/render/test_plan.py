"""``hailuo plan`` against the render that follows it: over the emulator on loopback, the tasks a plan
lists are exactly the submits the emulator then accepts (counted there, by the shot each names),
through fresh shots, takes, a picked take, continuations, changed shots, rerolls and failed shots."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from click.testing import CliRunner
from render_helpers import API_KEY, write_script

from hailuo_dsl.cli import cli
from hailuo_dsl.client import AsyncClient
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.emulator import Emulator
from hailuo_dsl.emulator.models import HttpRequest, HttpResponse
from hailuo_dsl.render import Journal, RenderSummary, Why, render_script
from hailuo_dsl.render.figures import RenderPlan
from hailuo_dsl.render.plan import plan_render
from hailuo_dsl.render.records import PICKED

SEA = "The sea at dawn, gulls overhead [Pan left]."
SCRIPT = f"""spec "film.toml"

shot sea
  @takes 2
  {SEA}

shot boat
  @continue
  A boat crosses the bay [Push in].

shot town
  A town wakes up [Truck right].
"""
SPEC = '[pricing]\ncurrency = "USD"\n768P = { 6 = 0.28, 10 = 0.56 }\n'


def setup(folder: Path, text: str = SCRIPT) -> Path:
    script = write_script(folder, text)
    (folder / "film.toml").write_text(SPEC, encoding="utf-8")
    return script


def plan(script: Path, emulator: Emulator, **options: object) -> RenderPlan:
    return plan_render(script, base_url=emulator.url, journal=script.parent / "journal.sqlite", **options)  # type: ignore[arg-type]


async def render(script: Path, client: AsyncClient, **options: object) -> RenderSummary:
    folder = script.parent
    return await render_script(script, client=client, journal=folder / "journal.sqlite", out_dir=folder / "out", **options)  # type: ignore[arg-type]


async def submitted_by(
    emulator: Emulator, script: Path, client: AsyncClient, **options: object
) -> tuple[Counter[str], RenderSummary]:
    """Render, and count the submits the emulator accepted during it, by shot."""
    before = len(emulator.stats.submits)
    summary = await render(script, client, **options)
    accepted = Counter(s.shot or "?" for s in emulator.stats.submits[before:] if s.status == 200)
    return accepted, summary


def planned(found: RenderPlan) -> Counter[str]:
    return Counter(t.shot for t in found.tasks)


async def test_the_plan_is_what_the_render_then_submits(tmp_path: Path, emulator: Emulator, client: AsyncClient) -> None:
    script = setup(tmp_path / "p")

    first = plan(script, emulator)  # nothing rendered yet: every take is new; the continuation waits
    assert [(t.shot, t.take, t.why, t.after) for t in first.tasks] == [
        ("sea", 1, Why.NEW, None),
        ("sea", 2, Why.NEW, None),
        ("boat", 1, Why.AFTER_PARENT, "sea"),
        ("town", 1, Why.NEW, None),
    ]
    assert first.totals() == {"tasks": 4, "clip_seconds": {"768P": 24}, "cost": 1.12, "currency": "USD"}
    accepted, summary = await submitted_by(emulator, script, client)
    assert summary.ok and accepted == planned(first)
    assert summary.paid == 4 and summary.cost == 1.12 and summary.currency == "USD"

    again = plan(script, emulator)  # all done: nothing to pay, every take listed as free
    assert again.task_count == 0 and again.cost == 0.0
    assert sorted((f.shot, f.take, f.reason) for f in again.scripts[0].free) == [
        ("boat", 1, "done"),
        ("sea", 1, "done"),
        ("sea", 2, "done"),
        ("town", 1, "done"),
    ]
    accepted, summary = await submitted_by(emulator, script, client)
    assert accepted == Counter() and summary.paid == 0

    # Another take of the parent picked: the plan decodes its last frame as the render will. The
    # emulator's takes of one request are the same picture, so the continuation's request holds.
    with Journal(tmp_path / "p" / "journal.sqlite", create=False) as journal:
        chosen = journal.choice("sea")
        assert chosen is not None
        journal.choose("sea", 3 - chosen.take, by=PICKED)
    picked = plan(script, emulator)
    assert picked.task_count == 0 and ("boat", 1, "done") in [(f.shot, f.take, f.reason) for f in picked.scripts[0].free]
    accepted, summary = await submitted_by(emulator, script, client)
    assert summary.ok and accepted == planned(picked)

    # A changed shot and a reroll: the boat keeps its parent's chosen take, so it is not paid again.
    setup(tmp_path / "p", SCRIPT.replace("A town wakes up", "A town falls asleep"))
    changed = plan(script, emulator, reroll=["sea"])
    assert [(t.shot, t.take, t.why) for t in changed.tasks] == [("sea", 3, Why.REROLL), ("town", 1, Why.CHANGED)]
    accepted, summary = await submitted_by(emulator, script, client, reroll=["sea"])
    assert summary.ok and accepted == planned(changed)

    # The parent changes: its two takes again (the rerolled third is kept, not rendered), and the
    # continuation after it, once its new video is there.
    setup(tmp_path / "p", SCRIPT.replace(SEA, "The sea at noon [Pan right].").replace("A town wakes up", "A town falls asleep"))
    parent = plan(script, emulator)
    assert [(t.shot, t.take, t.why) for t in parent.tasks] == [
        ("sea", 1, Why.CHANGED),
        ("sea", 2, Why.CHANGED),
        ("boat", 1, Why.AFTER_PARENT),
    ]
    assert ("sea", 3, "outdated") in [(f.shot, f.take, f.reason) for f in parent.scripts[0].free]
    accepted, summary = await submitted_by(emulator, script, client)
    assert summary.ok and accepted == planned(parent)


async def test_failed_shots_are_planned_only_with_retry_failed(tmp_path: Path, emulator: Emulator, client: AsyncClient) -> None:
    script = setup(
        tmp_path / "f", "shot town\n  A town wakes up [Truck right].\n\nshot pier\n  @continue\n  The pier at night.\n"
    )
    emulator.faults.failed_tasks = 1  # the town's task ends failed; the pier then has no parent video
    accepted, summary = await submitted_by(emulator, script, client)
    assert accepted == Counter({"town": 1}) and not summary.ok

    waiting = plan(script, emulator)  # failed, no --retry-failed: nothing; the pier waits for a video that will not come
    assert waiting.task_count == 0
    assert [(f.shot, f.reason) for f in waiting.scripts[0].free] == [("town", "failed"), ("pier", "waits-for-parent")]
    accepted, _ = await submitted_by(emulator, script, client)
    assert accepted == Counter()

    retry = plan(script, emulator, retry_failed=True)
    assert [(t.shot, t.why) for t in retry.tasks] == [("town", Why.RETRY), ("pier", Why.AFTER_PARENT)]
    accepted, summary = await submitted_by(emulator, script, client, retry_failed=True)
    assert summary.ok and accepted == planned(retry)


def test_hailuo_plan_prints_the_issue_json_and_says_when_prices_are_missing(tmp_path: Path, emulator: Emulator) -> None:
    script = write_script(tmp_path / "j", "shot town\n  @duration 10\n  A town wakes up [Truck right].\n")
    env = {"HAILUO_BASE_URL": emulator.url, "HAILUO_API_KEY": API_KEY}
    result = CliRunner().invoke(cli, ["plan", str(script), "--json"], env=env)
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["totals"] == {"tasks": 1, "clip_seconds": {"768P": 10}, "cost": None, "currency": None}
    assert [(t["shot"], t["take"], t["reason"], t["mode"], t["duration"]) for t in found["tasks"]] == [
        ("town", 1, "new", "text-to-video", 10)
    ]
    assert any("no prices" in note for note in found["notes"])
    shown = CliRunner().invoke(cli, ["plan", str(script)], env=env)
    assert shown.exit_code == 0 and "1 task to submit (10 s at 768P), cost unknown" in shown.stdout
    assert emulator.stats.requests["submit"] == 0 and emulator.stats.uploads == 0


async def test_a_picked_take_with_another_picture_is_planned_as_its_continuation_changed(
    tmp_path: Path, emulator: Emulator, client: AsyncClient
) -> None:
    # The emulator makes one picture per request; the second sea task's download is given the
    # video of a night sky instead, so the two takes end on different pictures.
    night = await client.submit(VideoRequest(prompt="A night sky full of stars [Static shot]."))
    serve = emulator.app.handle

    def second_take_differs(request: HttpRequest) -> HttpResponse:
        seas = [t.id for t in emulator.tasks.values() if t.request.get("prompt") == SEA]
        if len(seas) == 2 and request.path == f"/files/videos/{seas[1]}.mp4":
            request = HttpRequest(request.method, f"/files/videos/{night.id}.mp4", request.headers, request.body)
        return serve(request)

    emulator.app.handle = second_take_differs  # type: ignore[method-assign]
    script = setup(tmp_path / "k")
    await render(script, client)
    with Journal(tmp_path / "k" / "journal.sqlite", create=False) as journal:
        chosen = journal.choice("sea")
        assert chosen is not None
        journal.choose("sea", 3 - chosen.take, by=PICKED)
    picked = plan(script, emulator)
    assert [(t.shot, t.take, t.why) for t in picked.tasks] == [("boat", 1, Why.CHANGED)]
    accepted, summary = await submitted_by(emulator, script, client)
    assert summary.ok and accepted == planned(picked)
