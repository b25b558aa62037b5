"""Caps and rate over the emulator on loopback: a render over ``--max-tasks``, ``--budget`` or its
spec's ``[render] budget`` (counting what its journal paid) is refused before any upload or submit;
the allowance behind the plan lets no submit past a cap; submits are spaced by one token bucket,
and a 429 holds them all for its ``Retry-After`` -- both measured by the server's own clock."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from render_helpers import API_KEY, make_image, make_shot, write_script

from hailuo_dsl.cli import cli
from hailuo_dsl.client import AsyncClient, RetryPolicy
from hailuo_dsl.emulator import Emulator
from hailuo_dsl.render import Journal, ShotState, render_script
from hailuo_dsl.render.pace import Allowance, SubmitPace
from hailuo_dsl.render.pipeline import render_shots
from hailuo_dsl.render.plan import CapExceeded

PRICES = '[pricing]\ncurrency = "USD"\n768P = { 6 = 0.25, 10 = 0.5 }\n'
SCRIPT = 'spec "film.toml"\n\n' + "\n".join(
    f'shot s{i}\n  @first_frame "frame.png"\n  Shot number {i}, the camera moves [Pan left].\n' for i in range(4)
)


def setup(folder: Path, spec: str = PRICES, script: str = SCRIPT) -> Path:
    path = write_script(folder, script)
    make_image(folder / "frame.png")
    (folder / "film.toml").write_text(spec, encoding="utf-8")
    return path


def untouched(emulator: Emulator) -> bool:
    return emulator.stats.requests["submit"] == 0 and emulator.stats.uploads == 0


async def render(script: Path, client: AsyncClient, **options: object) -> object:
    folder = script.parent
    return await render_script(script, client=client, journal=folder / "journal.sqlite", out_dir=folder / "out", **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"max_tasks": 3}, "4 tasks, over --max-tasks 3"),
        ({"budget": 0.99}, "cost 1 USD, over --budget 0.99"),
    ],
)
async def test_a_render_over_a_cap_is_refused_before_any_upload_or_submit(
    tmp_path: Path, emulator: Emulator, client: AsyncClient, options: dict[str, object], says: str
) -> None:
    script = setup(tmp_path / "c")
    with pytest.raises(CapExceeded) as refused:
        await render(script, client, **options)
    assert says in str(refused.value) and refused.value.plan.task_count == 4
    assert untouched(emulator)
    await render(script, client, max_tasks=4, budget=1.0)  # at the cap: allowed
    assert emulator.stats.submits_accepted == 4


async def test_the_spec_budget_counts_what_the_journal_paid(tmp_path: Path, emulator: Emulator, client: AsyncClient) -> None:
    script = setup(tmp_path / "b", PRICES + "[render]\nbudget = 1.5\n")
    summary = await render(script, client)
    assert emulator.stats.submits_accepted == 4 and summary.cost == 1.0  # type: ignore[attr-defined]
    setup(tmp_path / "b", PRICES + "[render]\nbudget = 1.5\n", SCRIPT.replace("Shot number 3", "Shot three"))
    submits, uploads = emulator.stats.requests["submit"], emulator.stats.uploads
    await render(script, client)  # one changed shot: 1.25 in all, within 1.5
    assert emulator.stats.submits_accepted == 5
    setup(tmp_path / "b", PRICES + "[render]\nbudget = 1.5\n", SCRIPT.replace("Shot number", "Take"))
    submits, uploads = emulator.stats.requests["submit"], emulator.stats.uploads
    with pytest.raises(CapExceeded, match=r"1\.25 spent and 1 more would be 2\.25"):
        await render(script, client)  # four changed shots: 1.25 paid + 1.0 > 1.5
    assert (emulator.stats.requests["submit"], emulator.stats.uploads) == (submits, uploads)
    with Journal(tmp_path / "b" / "journal.sqlite", create=False) as journal:
        assert len(journal.paid()) == 5


async def test_a_budget_without_prices_refuses(tmp_path: Path, emulator: Emulator, client: AsyncClient) -> None:
    script = setup(tmp_path / "n", "[render]\nbudget = 100\n")
    with pytest.raises(CapExceeded, match="cost is unknown"):
        await render(script, client)
    assert untouched(emulator)


async def test_the_allowance_lets_no_submit_past_its_cap(tmp_path: Path, emulator: Emulator, client: AsyncClient) -> None:
    """The guard behind the plan: whatever the render meets, the cap holds at the server."""
    shots = [make_shot(f"a{i}", f"Shot {i} [Pan left].") for i in range(5)]
    with Journal(tmp_path / "j.sqlite") as journal:
        journal.acquire()
        summary = await render_shots(shots, client=client, journal=journal, out_dir=tmp_path / "out", allowance=Allowance(2))
    assert emulator.stats.requests["submit"] == 2
    left = [s for s in summary.shots if s.state is ShotState.PENDING]
    assert len(left) == 3 and all("not submitted: the task cap is reached" in (s.error or "") for s in left)


def test_hailuo_render_refuses_over_max_tasks_and_prints_the_totals(tmp_path: Path, emulator: Emulator) -> None:
    script = setup(tmp_path / "cli")
    env = {"HAILUO_BASE_URL": emulator.url, "HAILUO_API_KEY": API_KEY}
    result = CliRunner().invoke(cli, ["render", str(script), "--max-tasks", "2", "--poll-interval", "0.01"], env=env)
    assert result.exit_code == 1
    assert "refused before any upload or submit: the render would submit 4 tasks, over --max-tasks 2" in result.stderr
    assert "the plan: 4 tasks to submit (24 s at 768P), cost 1.00 USD" in result.stderr
    assert untouched(emulator)


async def test_submits_keep_the_rate_at_the_server(tmp_path: Path, emulator: Emulator, client: AsyncClient) -> None:
    script = setup(tmp_path / "r", PRICES + '[render]\nrate = "120/min"\n')  # one submit each 0.5 s
    await render(script, client, concurrency=4)
    arrived = [s.at for s in emulator.stats.submits]
    assert len(arrived) == 4
    # The server's own clock: four submits over at least three intervals, never two within half an
    # interval (half an interval, 0.25 s, is the room left for a loaded machine's delays on the way).
    assert arrived[-1] - arrived[0] >= 3 * 0.5 - 0.25
    assert min(b - a for a, b in itertools.pairwise(arrived)) >= 0.25


class RecordedPace(SubmitPace):
    """The run's pace, noting on its own clock when it let each submit go and each 429's hold."""

    def __init__(self, per_minute: float) -> None:
        super().__init__(per_minute)
        self.released: list[float] = []
        self.holds: list[tuple[float, float]] = []

    async def acquire(self) -> None:
        await super().acquire()
        self.released.append(time.monotonic())

    def limited(self, delay: float) -> None:
        super().limited(delay)
        self.holds.append((time.monotonic(), delay))


@pytest.mark.parametrize("emulator", [{"time_scale": 1000.0}], indirect=True)
async def test_a_429_holds_every_submit_for_its_retry_after(tmp_path: Path, emulator: Emulator) -> None:
    """Submits a tenth of a second apart against a server that takes two in any 0.6 s: the third
    is refused, and the ones queued behind it wait with it (each alone would hit the limit too).
    What the server saw is set against what the pace let go, so a loaded machine's delays on the
    way cannot pass for a broken hold or hide one."""
    emulator.faults.submit_limit, emulator.faults.submit_window = 2, 0.6
    patient = RetryPolicy(max_attempts=10, base_delay=0.01, max_delay=0.05, retry_after_cap=2.0, deadline=20.0)
    shots = [make_shot(f"r{i}", f"Shot {i} [Tilt up].") for i in range(6)]
    pace = RecordedPace(600.0)
    async with AsyncClient(
        api_key=API_KEY, base_url=emulator.url, retry=patient, poll_interval=0.01, first_poll_delay=0.01
    ) as api:
        with Journal(tmp_path / "j.sqlite") as journal:
            journal.acquire()
            summary = await render_shots(shots, client=api, journal=journal, out_dir=tmp_path / "out", pace=pace, concurrency=6)
    assert summary.ok and emulator.stats.submits_accepted == 6  # each shot paid once
    log = emulator.stats.submits
    refused = [s for s in log if s.status == 429]
    assert refused and all(s.retry_after is not None for s in refused)
    assert [delay for _, delay in pace.holds] == [s.retry_after for s in refused]  # each 429 told the pace its wait
    assert len(pace.released) == len(log)  # every submit the server saw, retries too, went through the pace
    for held_at, delay in pace.holds:  # and the pace let none go, of any shot, while a wait ran
        assert not [t for t in pace.released if held_at < t < held_at + delay], (held_at, delay, pace.released)
