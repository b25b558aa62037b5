"""Takes against the emulator: ``@takes N`` renders N paid variants, the first on disk is chosen,
``--reroll`` adds one (and a rerun after a crash finishes it instead of paying again), a pick
re-renders the shots that continue the shot when its picture changed; and journals of schema 1
are taken over with every paid task kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from render_helpers import film_frames, same_picture, write_script

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.emulator import Emulator
from hailuo_dsl.emulator.models import HttpRequest, HttpResponse
from hailuo_dsl.render import Journal, RenderSummary, ShotState, render_script
from hailuo_dsl.render.film import assemble_film, film_shots
from hailuo_dsl.render.records import PICKED, SCHEMA_VERSION

S = ShotState
PROMPT = "A kite rises over the dunes [Tilt up]."
SCRIPT = f"shot kite\n  @takes 2\n  {PROMPT}\n\nshot fall\n  @continue\n  The kite falls into the sea.\n"


async def render(script: Path, client: AsyncClient, **options: object) -> RenderSummary:
    folder = script.parent
    return await render_script(
        script,
        client=client,
        journal=folder / "journal.sqlite",
        out_dir=folder / "out",
        **options,  # type: ignore[arg-type]
    )


def tasks_of(emulator: Emulator, prompt: str) -> list[str]:
    return [t.id for t in emulator.tasks.values() if t.request.get("prompt") == prompt]


async def test_takes_are_paid_once_each_and_the_first_on_disk_is_chosen(
    tmp_path: Path, emulator: Emulator, client: AsyncClient
) -> None:
    script = write_script(tmp_path / "p", SCRIPT)
    summary = await render(script, client)
    assert summary.ok and [(s.name, s.take) for s in summary.shots] == [("kite", 1), ("kite", 2), ("fall", 1)]
    assert len(tasks_of(emulator, PROMPT)) == 2 and emulator.stats.submits_accepted == 3
    out = tmp_path / "p" / "out"
    assert sorted(p.name for p in out.glob("*.mp4")) == ["fall.mp4", "kite.mp4", "kite.take2.mp4"]
    with Journal(tmp_path / "p" / "journal.sqlite", create=False) as journal:
        choice = journal.choice("kite")
        fall = journal.get("fall")
    assert choice is not None and choice.by == "first-completed"
    assert [s.take for s in summary.shots if s.name == "kite" and s.chosen] == [choice.take]
    assert fall is not None and fall.lineage is not None and fall.lineage.take == choice.take
    before = emulator.stats.submits_accepted
    assert (await render(script, client)).ok and emulator.stats.submits_accepted == before


async def test_a_reroll_adds_one_take_and_its_rerun_after_a_crash_pays_nothing_more(
    tmp_path: Path, emulator: Emulator, client: AsyncClient
) -> None:
    script = write_script(tmp_path / "p", SCRIPT)
    await render(script, client)
    journal_path = tmp_path / "p" / "journal.sqlite"
    with Journal(journal_path) as journal:  # the reroll's take added, then the run killed before its submit
        kite = journal.get("kite")
        assert kite is not None
        journal.add("kite", kite.request_hash, kite.request, take=3)
    summary = await render(script, client, reroll=["kite"])
    assert [s.take for s in summary.shots if s.name == "kite"] == [1, 2, 3] and summary.ok
    assert len(tasks_of(emulator, PROMPT)) == 3  # the take on its way was finished, not a fourth paid
    summary = await render(script, client, reroll=["kite"])
    assert [s.take for s in summary.shots if s.name == "kite"] == [1, 2, 3, 4] and summary.ok
    assert len(tasks_of(emulator, PROMPT)) == 4
    assert (tmp_path / "p" / "out" / "kite.take4.mp4").is_file()


async def test_picking_a_take_with_another_picture_renders_its_continuations_again(
    tmp_path: Path, emulator: Emulator, client: AsyncClient
) -> None:
    # The emulator makes one picture per request; the second kite task's download is given the
    # video of a night sky instead, so the two takes end on different pictures.
    night = await client.submit(VideoRequest(prompt="A night sky full of stars [Static shot]."))
    serve = emulator.app.handle

    def second_take_differs(request: HttpRequest) -> HttpResponse:
        kites = tasks_of(emulator, PROMPT)
        if len(kites) == 2 and request.path == f"/files/videos/{kites[1]}.mp4":
            request = HttpRequest(request.method, f"/files/videos/{night.id}.mp4", request.headers, request.body)
        return serve(request)

    emulator.app.handle = second_take_differs  # type: ignore[method-assign]
    script = write_script(tmp_path / "p", SCRIPT)
    await render(script, client)
    journal_path = tmp_path / "p" / "journal.sqlite"
    with Journal(journal_path) as journal:
        first = journal.choice("kite")
        assert first is not None
        fall = journal.get("fall")
        assert fall is not None and fall.task_id is not None
        journal.choose("kite", 3 - first.take, by=PICKED)
    summary = await render(script, client)
    assert (
        summary.ok and len([t for t in emulator.tasks.values() if t.request.get("prompt") == "The kite falls into the sea."]) == 2
    )
    with Journal(journal_path, create=False) as journal:
        again = journal.get("fall")
        assert again is not None and again.lineage is not None
        assert again.lineage.take == 3 - first.take and again.previous_tasks == (fall.task_id,)
        assert f"request changed (task {fall.task_id} replaced)" in [e.detail for e in journal.events("fall")]
        shots = film_shots(["kite", "fall"], journal)
    assert [s.take for s in shots] == [3 - first.take, 1]
    pictures = film_frames(assemble_film(shots, tmp_path / "film.mp4").assembly.output)
    assert same_picture(pictures[149], pictures[150])


def test_a_journal_of_schema_1_is_taken_over_with_every_task_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE shots (name TEXT PRIMARY KEY, request_hash TEXT NOT NULL, state TEXT NOT NULL, request_json TEXT,
            task_id TEXT, status TEXT, progress INTEGER NOT NULL DEFAULT 0, video_url TEXT, expires_at INTEGER,
            output TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0, previous_tasks TEXT NOT NULL DEFAULT '[]',
            created_at REAL NOT NULL, updated_at REAL NOT NULL);
        CREATE TABLE uploads (sha256 TEXT PRIMARY KEY, url TEXT NOT NULL, uploaded_at REAL NOT NULL);
        CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, shot TEXT NOT NULL, at REAL NOT NULL,
            old_state TEXT, new_state TEXT NOT NULL, task_id TEXT, detail TEXT);
        INSERT INTO meta VALUES ('schema_version', '1'), ('endpoint', 'emulator');
        INSERT INTO shots VALUES ('a', 'h1', 'downloaded', '{"prompt": "A"}', 'vid_A', 'completed', 100, 'http://x/a',
            NULL, '/films/a.mp4', NULL, 1, '["vid_OLD"]', 1.0, 2.0);
        INSERT INTO shots VALUES ('b', 'h2', 'unknown', NULL, NULL, NULL, 0, NULL, NULL, NULL, 'may exist', 1, '[]', 1.0, 3.0);
        INSERT INTO events (shot, at, old_state, new_state, task_id, detail) VALUES ('a', 1.5, 'submitting', 'submitted', 'vid_A', NULL);
        """
    )
    db.commit()
    db.close()
    with Journal(path, create=False) as journal:  # read-only commands (hailuo jobs) take it over too
        assert journal.schema_version == SCHEMA_VERSION == 3 and journal.endpoint == "emulator"
        a, b = journal.get("a"), journal.get("b")
        assert a is not None and (a.take, a.task_id, a.previous_tasks, a.output, a.state) == (
            1,
            "vid_A",
            ("vid_OLD",),
            "/films/a.mp4",
            S.DOWNLOADED,
        )
        assert b is not None and (b.state, b.error) == (S.UNKNOWN, "may exist")
        choice = journal.choice("a")
        assert choice is not None and choice.take == 1 and journal.choice("b") is None
        assert [(e.shot, e.take, e.task_id) for e in journal.events()] == [("a", 1, "vid_A")]
        journal.adopt("b", "vid_B")
    with Journal(path) as journal:
        assert [r.task_id for r in journal.records()] == ["vid_A", "vid_B"]
