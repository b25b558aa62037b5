"""The plan of one script: what the render would do with each take now, without doing it.

Built from the same decision the render acts on (:func:`hailuo_dsl.render.decide.decide`) over the
same journal, so a render started right after submits no task the plan does not list. A shot that
continues another (``@continue``) is decided as the render decides it: with its parent's chosen
video when that is settled now (its last frame's digest is part of the request), else as a task
that waits for the parent (``after-parent``), counted; a shot whose parent brings no video this
run is not submitted at all. The plan is an upper bound: a task that fails, or a frame the rules
refuse, at run time only makes the render submit less.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from hailuo_dsl.render.decide import TakeDecision, Why, decide
from hailuo_dsl.render.figures import FreeTake, PlannedTask, ScriptPlan
from hailuo_dsl.render.graph import chosen_take
from hailuo_dsl.render.records import Choice, PaidTask, ShotRecord
from hailuo_dsl.render.run import RenderableShot
from hailuo_dsl.render.states import ShotState
from hailuo_dsl.shots.pricing import PricingTable

S = ShotState
BLOCKED = "waits-for-parent"
"""The reason of a take not submitted because its parent brings no video this run."""
AFTER_PARENT_HASH = "after-parent: a first frame still to come"
"""The request hash a plan decides with for a shot whose parent's new video is still to come."""


class JournalView(Protocol):
    """What a plan reads of a journal (:class:`~hailuo_dsl.render.journal.Journal` has it all)."""

    def takes(self, name: str) -> list[ShotRecord]: ...

    def choice(self, name: str) -> Choice | None: ...

    def upload_url(self, sha256: str, *, max_age: float = ...) -> str | None: ...


@dataclass(frozen=True, slots=True)
class _Settled:
    """A shot's chosen video as a plan sees it: on disk now (``video``), coming this run, or not;
    ``refetch`` is the chosen take whose file is fetched again (the same video as before)."""

    video: Path | None = None
    coming: bool = False
    refetch: int | None = None


def _kept_frame(records: Sequence[ShotRecord], parent: str, refetch: int | None) -> str | None:
    """The digest of a parent's frame a continued shot's take was made from, when the parent's
    chosen take is fetched again: the same video, so the same last frame."""
    if refetch is None:
        return None
    for record in records:
        lineage = record.lineage
        if lineage is not None and lineage.shot == parent and lineage.take == refetch:
            return lineage.digest
    return None


def plan_script(
    script: Path,
    shots: Sequence[RenderableShot],
    journal: JournalView | None,
    *,
    frame_digest: Callable[[Path], str],
    pricing: PricingTable | None = None,
    retry_failed: bool = False,
    reroll: Collection[str] = (),
    upload_key: Callable[[Path], str] | None = None,
    upload_max_age: float = 12 * 3600.0,
    journal_path: Path | None = None,
    budget: float | None = None,
    rate: float | None = None,
    paid: Sequence[PaidTask] = (),
    overrides: Mapping[tuple[str, int], ShotRecord | None] | None = None,
) -> ScriptPlan:
    """The plan of one script's compiled ``shots`` over a journal (None: nothing rendered yet).

    ``frame_digest`` reads the digest of a video's last frame (a continued shot's lineage);
    ``upload_key`` gives an image's key in the journal's upload cache (None: no upload is reused,
    as for a fresh emulator); ``overrides`` replaces journal rows as ``--forget``/``--adopt``
    would before the render decides (None removes none).
    """
    by_name = {s.name: s for s in shots}
    settled: dict[str, _Settled] = {}
    tasks: list[PlannedTask] = []
    free: list[FreeTake] = []
    uploads: dict[str, None] = {}

    def rows(name: str) -> list[ShotRecord]:
        found = {r.take: r for r in (journal.takes(name) if journal is not None else [])}
        for (shot, take), record in (overrides or {}).items():
            if shot == name and record is not None:
                found[take] = record
        return [found[t] for t in sorted(found)]

    def choice(name: str) -> Choice | None:
        return journal.choice(name) if journal is not None else None

    def of(name: str) -> _Settled:
        if name not in settled:
            settled[name] = _Settled()  # a loop (the compiler refuses them) brings nothing
            settled[name] = _plan(name) if name in by_name else _outside(name)
        return settled[name]

    def _outside(name: str) -> _Settled:
        """A parent not rendered in this run: its chosen take on disk, else nothing."""
        record = chosen_take(rows(name), choice(name))
        return _Settled(Path(record.output)) if record is not None and record.output else _Settled()

    def _plan(name: str) -> _Settled:
        shot = by_name[name]
        records = rows(name)
        parent = shot.continues
        digest: str | None = None
        if parent is None:
            digest = shot.request_hash()
        else:
            above = of(parent)
            frame = frame_digest(above.video) if above.video is not None else _kept_frame(records, parent, above.refetch)
            if frame is not None:
                shot = shot.bound((above.video or Path(parent)).with_suffix(".last-frame.png"), frame)
                digest = shot.request_hash()
            elif not above.coming:
                free.extend(FreeTake(script, name, r.take, BLOCKED, r.state.value, r.task_id) for r in records)
                if not records:
                    free.append(FreeTake(script, name, 1, BLOCKED, None, None))
                return _Settled()
        # A parent whose new video is still to come gives a first frame no take was made from:
        # the render decides then with a request hash no journal row has, as decided here.
        decided = digest if digest is not None else AFTER_PARENT_HASH
        decisions = decide(name, decided, shot.takes, records, retry_failed=retry_failed, reroll=name in reroll)
        for d in decisions:
            if d.why.submits:
                why = d.why if digest is not None else Why.AFTER_PARENT
                found = _uploads(shot, parent, uploads, journal, upload_key, upload_max_age)
                tasks.append(_task(script, shot, replace(d, why=why), parent, pricing, found))
            else:
                state, task_id = (d.record.state.value, d.record.task_id) if d.record is not None else (None, None)
                free.append(FreeTake(script, name, d.take, d.why.value, state, task_id))
        return _chosen(decisions, choice(name), digest)

    for shot in shots:
        of(shot.name)
    order = {s.name: i for i, s in enumerate(shots)}
    tasks.sort(key=lambda t: (order[t.shot], t.take))
    free.sort(key=lambda f: (order.get(f.shot, -1), f.take))
    return ScriptPlan(script, journal_path, tuple(tasks), tuple(free), tuple(uploads), pricing, budget, rate, tuple(paid))


def _chosen(decisions: Sequence[TakeDecision], choice: Choice | None, digest: str | None) -> _Settled:
    """The video a shot's continuations get, as the render settles it (``pipeline._Run._shot``):
    the chosen take while it is done (once fetched again if its file is gone), else the first take
    on disk; else one that may come this run; else none."""
    if digest is None:
        return _Settled(coming=True)
    done = {d.take: d.record.output for d in decisions if d.why is Why.DONE and d.record is not None}
    on_disk = [take for take, output in done.items() if output and Path(output).is_file()]
    if choice is not None and choice.take in done:
        output = done[choice.take]
        return _Settled(Path(output)) if choice.take in on_disk and output else _Settled(coming=True, refetch=choice.take)
    if on_disk:
        output = done[on_disk[0]]
        assert output is not None
        return _Settled(Path(output))
    return _Settled(coming=any(d.why.submits or d.why in (Why.RESUME, Why.DONE) for d in decisions))


def _task(
    script: Path,
    shot: RenderableShot,
    d: TakeDecision,
    parent: str | None,
    pricing: PricingTable | None,
    uploads: tuple[str, ...],
) -> PlannedTask:
    request = shot.request
    resolution, duration = str(request.resolution), int(request.duration)
    price = pricing.price(resolution, duration) if pricing is not None else None
    after = parent if d.why is Why.AFTER_PARENT else None
    return PlannedTask(script, shot.name, d.take, d.why, request.mode.value, resolution, duration, price, after, uploads)


def _uploads(
    shot: RenderableShot,
    parent: str | None,
    seen: dict[str, None],
    journal: JournalView | None,
    key: Callable[[Path], str] | None,
    max_age: float,
) -> tuple[str, ...]:
    """The images a take's submit would upload first: a continued shot's first frame (its parent's
    last frame), and each local image the journal holds no URL of for this API (``key``)."""
    found = [f"the last frame of {parent}"] if parent is not None else []
    for role, path in sorted(shot.local_images.items()):
        if role == "first_frame" and parent is not None:
            continue
        if key is not None and journal is not None and journal.upload_url(key(path), max_age=max_age) is not None:
            continue
        found.append(str(path))
    for name in found:
        seen.setdefault(name, None)
    return tuple(found)


def forgotten(record: ShotRecord) -> ShotRecord:
    """A take as ``--forget`` leaves it: pending, its task dropped."""
    return replace(record, state=S.PENDING, task_id=None, error=None)


def adopted(record: ShotRecord, task_id: str) -> ShotRecord:
    """An unknown take as ``--adopt`` leaves it: following the task a person found."""
    return replace(record, state=S.SUBMITTED, task_id=task_id, error=None) if record.state is S.UNKNOWN else record


__all__ = ["AFTER_PARENT_HASH", "BLOCKED", "JournalView", "adopted", "forgotten", "plan_script"]
