"""What a render run reports: the events a live display draws, and each shot's result."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hailuo_dsl.render.states import ShotState

S = ShotState


class Step(str, enum.Enum):
    """What the run is doing with a shot (the events the CLI draws)."""

    QUEUED = "queued"
    CONTINUING = "continuing"  # waiting for the parent's video, or taking its last frame
    UPLOADING = "uploading"
    SUBMITTING = "submitting"
    WAITING = "waiting"
    DOWNLOADING = "downloading"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class RenderEvent:
    """A change in one take's progress, for a live display."""

    shot: str
    action: Step
    state: ShotState
    progress: int = 0
    task_id: str | None = None
    message: str | None = None
    take: int = 1


@dataclass(frozen=True, slots=True)
class ShotResult:
    """Where a take of a shot stands at the end of a run; ``chosen`` when it is the take used
    downstream (continuations, the film), ``continues`` the shot it starts on."""

    name: str
    state: ShotState
    task_id: str | None
    output: Path | None
    error: str | None
    note: str
    take: int = 1
    chosen: bool = False
    continues: str | None = None

    @property
    def done(self) -> bool:
        """True when the video is on disk."""
        return self.state is S.DOWNLOADED and self.output is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "shot": self.name,
            "take": self.take,
            "chosen": self.chosen,
            "continues": self.continues,
            "state": self.state.value,
            "task_id": self.task_id,
            "output": str(self.output) if self.output is not None else None,
            "error": self.error,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class RenderSummary:
    """The outcome of a render run, one result per take of each shot, in script order."""

    journal: Path
    out_dir: Path
    shots: tuple[ShotResult, ...]
    warnings: tuple[str, ...] = ()
    """The script's compile findings below error (``file:line:col: CODE [severity] message``)."""
    film: Path | None = None
    """The assembled film, when the render assembled one (``--assemble``)."""
    paid: int = 0
    """Tasks the API accepted in this run (each one paid)."""
    cost: float | None = None
    """What they cost, when the prices are known (``[pricing]``)."""
    currency: str | None = None

    @property
    def ok(self) -> bool:
        """True when every take's video is on disk."""
        return all(s.done for s in self.shots)

    def count(self, state: ShotState) -> int:
        return sum(1 for s in self.shots if s.state is state)

    def to_json(self) -> dict[str, Any]:
        return {
            "journal": str(self.journal),
            "out_dir": str(self.out_dir),
            "ok": self.ok,
            "shots": [s.to_json() for s in self.shots],
            "warnings": list(self.warnings),
            "film": str(self.film) if self.film is not None else None,
            "paid": {"tasks": self.paid, "cost": self.cost, "currency": self.currency},
        }


EventCallback = Callable[[RenderEvent], None]


RETRY_HINT = "rerun with --retry-failed to submit a new (paid) task"
NOTES = {
    S.PENDING: "not submitted; rerun to try again",
    S.SUBMITTING: "the submit may have created a task; check the account, then --adopt SHOT=TASK_ID or --forget SHOT",
    S.UNKNOWN: "the submit may have created a task; check the account, then --adopt SHOT=TASK_ID or --forget SHOT",
    S.SUBMITTED: "still running; rerun to resume",
    S.COMPLETED: "completed, not downloaded yet; rerun to download",
    S.FAILED: "failed; --retry-failed submits it again",
    S.DOWNLOADED: "downloaded",
}
