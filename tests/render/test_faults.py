"""Property: whatever faults the API shows, repeated renders (a person settling ``unknown`` shots
and retrying failed ones) end with every shot downloaded, and every task the API accepted is one
the journal knows of: no submit is ever paid for without a record of it."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from render_helpers import API_KEY, assert_video_of, fast_client, make_shot

from hailuo_dsl.emulator import Emulator, Faults
from hailuo_dsl.render import Journal, ShotState, render_shots

MAX_RUNS = 20  # every run uses up at least one of the (at most 13) faults, or finishes

faults = st.builds(
    Faults,
    target=st.sampled_from([None, "submit", "query", "download"]),
    drop_before=st.integers(0, 2),
    drop_after=st.integers(0, 2),
    server_errors=st.integers(0, 3),
    malformed_json=st.integers(0, 1),
    error_body_200=st.integers(0, 1),
    cut_downloads=st.integers(0, 2),
    failed_tasks=st.integers(0, 1),
    policy_refusals=st.integers(0, 1),
)


@pytest.mark.slow
@settings(max_examples=12, deadline=None)
@given(faults=faults, count=st.integers(1, 4))
def test_every_accepted_task_is_in_the_journal_and_every_shot_ends_downloaded(faults: Faults, count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, Emulator(api_key=API_KEY, time_scale=1000.0, faults=faults) as emulator:
        asyncio.run(render_until_done(Path(tmp), emulator, count))


async def render_until_done(folder: Path, emulator: Emulator, count: int) -> None:
    shots = [make_shot(f"s{i}", f"Shot {i}: gulls over the pier [Pan left].") for i in range(count)]
    prompts = {s.name: s.request.prompt for s in shots}
    with Journal(folder / "journal.sqlite") as journal:
        journal.acquire()
        async with fast_client(emulator) as client:
            for _ in range(MAX_RUNS):
                journal.recover()
                summary = await render_shots(shots, client=client, journal=journal, out_dir=folder / "out", retry_failed=True)
                if summary.ok:
                    break
                for record in journal.records():  # a person checks the account
                    if record.state is ShotState.UNKNOWN:
                        found = [t.id for t in emulator.tasks.values() if t.request.get("prompt") == prompts[record.name]]
                        known = {*record.previous_tasks, record.task_id}
                        found = [t for t in found if t not in known]
                        if found:
                            journal.adopt(record.name, found[0])
                        else:
                            journal.forget(record.name)
        assert summary.ok, [(s.name, s.state.value, s.error) for s in summary.shots]
        for record in journal.records():
            accepted = {t.id for t in emulator.tasks.values() if t.request.get("prompt") == prompts[record.name]}
            assert accepted == {*record.previous_tasks, record.task_id}
            assert record.task_id is not None
            assert_video_of(folder / "out" / f"{record.name}.mp4", record.task_id)
