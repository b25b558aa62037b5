"""What a render does with each take of a shot, and why: the one decision of "what would be
submitted", which the render acts on and a plan of the render can show without acting.

A decision reads only the shot's request hash, how many takes it asks for, the journal's rows
of its takes and the run's options (``--retry-failed``, ``--reroll``). It writes nothing: the
render applies it (:mod:`hailuo_dsl.render.pipeline`), in the journal first.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from hailuo_dsl.render.records import ShotRecord
from hailuo_dsl.render.states import ShotState

S = ShotState


class Why(str, enum.Enum):
    """What happens to a take, and why."""

    NEW = "new"  # no task yet (never submitted, or a submit refused before it made one): submitted
    CHANGED = "changed"  # the request changed: submitted again, the old task kept in the history
    RETRY = "retry"  # failed, and --retry-failed: submitted again
    REROLL = "reroll"  # --reroll: one more take, submitted
    AFTER_PARENT = "after-parent"  # continues a shot whose video is not there yet: decided once it is
    RESUME = "resume"  # a task on its way: followed and downloaded, nothing submitted
    DONE = "done"  # its video is on disk (fetched again if the file went missing)
    UNKNOWN = "unknown"  # a submit that may have made a task: a person decides (--adopt, --forget)
    FAILED = "failed"  # failed; only --retry-failed submits it again
    OUTDATED = "outdated"  # a take beyond @takes made for an older request: kept, not rendered

    @property
    def submits(self) -> bool:
        """True when the take is submitted: a new, paid task (after its parent, for AFTER_PARENT)."""
        return self in _SUBMITS


_SUBMITS = frozenset({Why.NEW, Why.CHANGED, Why.RETRY, Why.REROLL, Why.AFTER_PARENT})
_UNFINISHED = frozenset({S.PENDING, S.SUBMITTING, S.SUBMITTED, S.UNKNOWN, S.COMPLETED})


@dataclass(frozen=True, slots=True)
class TakeDecision:
    """One take of a shot: its number, what happens to it and why, and its journal row (None
    for a take not in the journal yet)."""

    shot: str
    take: int
    why: Why
    record: ShotRecord | None


def decide(
    shot: str,
    request_hash: str | None,
    takes: int,
    records: Sequence[ShotRecord],
    *,
    retry_failed: bool = False,
    reroll: bool = False,
) -> list[TakeDecision]:
    """The decision for each take of ``shot``, in take order.

    ``request_hash`` is the shot's request hash now; None for a continued shot whose parent's
    video is not there yet (its request is known only then). ``takes`` is how many it asks for
    (``@takes``); ``records`` are its rows in the journal. Takes 1 to ``takes`` are always
    rendered; a take beyond them (an earlier ``--reroll``) is followed while its request is the
    current one. ``reroll`` adds one take, unless a take beyond ``takes`` is still unfinished
    (a rerun of the same ``--reroll`` after a crash finishes that take instead of paying twice).
    """
    by_take = {record.take: record for record in records}
    last = max([takes, *by_take])
    decided = (_one(shot, take, by_take.get(take), request_hash, take <= takes, retry_failed) for take in range(1, last + 1))
    found = [d for d in decided if d is not None]
    if reroll:
        rolling = [r for r in records if r.take > takes and r.state in _UNFINISHED and request_hash in (None, r.request_hash)]
        if not rolling:
            found.append(TakeDecision(shot, last + 1, Why.AFTER_PARENT if request_hash is None else Why.REROLL, None))
    return found


def _one(
    shot: str, take: int, record: ShotRecord | None, request_hash: str | None, wanted: bool, retry_failed: bool
) -> TakeDecision | None:
    if record is None:
        if not wanted:
            return None  # a gap in the numbers: nothing to do
        return TakeDecision(shot, take, Why.AFTER_PARENT if request_hash is None else Why.NEW, None)
    if request_hash is None:
        # The request is not known yet: a take on its way is still followed, the rest waits.
        if record.state in (S.SUBMITTED, S.COMPLETED, S.DOWNLOADED):
            return TakeDecision(shot, take, Why.RESUME if record.state is not S.DOWNLOADED else Why.DONE, record)
        if record.state in (S.SUBMITTING, S.UNKNOWN):
            return TakeDecision(shot, take, Why.UNKNOWN, record)
        return TakeDecision(shot, take, Why.AFTER_PARENT if wanted else Why.OUTDATED, record)
    if record.request_hash != request_hash:
        return TakeDecision(shot, take, Why.CHANGED if wanted else Why.OUTDATED, record)
    state = record.state
    if state is S.PENDING:
        return TakeDecision(shot, take, Why.NEW, record)
    if state in (S.SUBMITTING, S.UNKNOWN):
        return TakeDecision(shot, take, Why.UNKNOWN, record)
    if state in (S.SUBMITTED, S.COMPLETED):
        return TakeDecision(shot, take, Why.RESUME, record)
    if state is S.DOWNLOADED:
        return TakeDecision(shot, take, Why.DONE, record)
    return TakeDecision(shot, take, Why.RETRY if retry_failed else Why.FAILED, record)


__all__ = ["TakeDecision", "Why", "decide"]
