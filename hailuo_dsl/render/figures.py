"""The figures of a render plan: each task it would submit, each take it would leave alone, the
uploads, and the totals (tasks, clip-seconds by resolution, cost); and the caps checked on them.
:mod:`hailuo_dsl.render.planner` makes them; ``hailuo plan --json`` prints :meth:`RenderPlan.as_json`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hailuo_dsl.render.decide import Why
from hailuo_dsl.render.records import PaidTask
from hailuo_dsl.shots.pricing import PricingTable


@dataclass(frozen=True, slots=True)
class PlannedTask:
    """A take the render would submit: a new, paid task."""

    script: Path
    shot: str
    take: int
    why: Why
    mode: str
    resolution: str
    duration: int
    price: float | None
    after: str | None = None
    uploads: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "script": str(self.script),
            "shot": self.shot,
            "take": self.take,
            "reason": self.why.value,
            "after": self.after,
            "mode": self.mode,
            "resolution": self.resolution,
            "duration": self.duration,
            "cost": self.price,
            "uploads": list(self.uploads),
        }


@dataclass(frozen=True, slots=True)
class FreeTake:
    """A take the render would not submit: done, on its way, waiting for a person, or failed."""

    script: Path
    shot: str
    take: int
    reason: str
    state: str | None
    task_id: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "script": str(self.script),
            "shot": self.shot,
            "take": self.take,
            "reason": self.reason,
            "state": self.state,
            "task_id": self.task_id,
        }


@dataclass(frozen=True)
class ScriptPlan:
    """The plan of one script: its tasks, its free takes, its uploads, and what it paid before."""

    script: Path
    journal: Path | None
    tasks: tuple[PlannedTask, ...]
    free: tuple[FreeTake, ...] = ()
    uploads: tuple[str, ...] = ()
    pricing: PricingTable | None = None
    budget: float | None = None
    rate: float | None = None
    paid: tuple[PaidTask, ...] = ()

    @property
    def cost(self) -> float | None:
        """What its tasks cost, or None when a price is not known."""
        prices = [t.price for t in self.tasks]
        return None if any(p is None for p in prices) else round(sum(p for p in prices if p is not None), 6)

    @property
    def spent(self) -> float | None:
        """What the tasks its journal holds cost (each accepted task is paid), or None when unpriced."""
        if not self.paid:
            return 0.0
        if self.pricing is None:
            return None
        prices = [self.pricing.price(p.resolution, p.duration) for p in self.paid]
        return None if any(p is None for p in prices) else round(sum(p for p in prices if p is not None), 6)

    @property
    def currency(self) -> str | None:
        return self.pricing.currency if self.pricing is not None else None

    def unpriced(self) -> list[str]:
        """The clips the prices do not cover (``768P 10 s``), once each."""
        return sorted({f"{t.resolution} {t.duration} s" for t in self.tasks if t.price is None})


@dataclass(frozen=True)
class RenderPlan:
    """What a render of one or more scripts would do; :meth:`as_json` is ``hailuo plan --json``."""

    scripts: tuple[ScriptPlan, ...] = field(default_factory=tuple)

    @property
    def tasks(self) -> list[PlannedTask]:
        return [t for s in self.scripts for t in s.tasks]

    @property
    def task_count(self) -> int:
        """The tasks the render would submit (each one paid)."""
        return len(self.tasks)

    @property
    def currency(self) -> str | None:
        """The currency of every priced script, or None (none priced, or currencies differ)."""
        found = {s.currency for s in self.scripts if s.tasks} or {s.currency for s in self.scripts if s.currency}
        return found.pop() if len(found) == 1 else None

    @property
    def cost(self) -> float | None:
        """What the tasks cost, or None when a price (or one currency for them all) is missing."""
        if not self.tasks:
            return 0.0  # nothing to pay, priced or not
        costs = [s.cost for s in self.scripts if s.tasks]
        if self.currency is None or any(c is None for c in costs):
            return None
        return round(sum(c for c in costs if c is not None), 6)

    def clip_seconds(self) -> dict[str, int]:
        """Seconds of video asked for, by resolution."""
        seconds: dict[str, int] = {}
        for task in self.tasks:
            seconds[task.resolution] = seconds.get(task.resolution, 0) + task.duration
        return seconds

    def notes(self) -> list[str]:
        """What a person should know of the figures: prices missing, currencies that differ."""
        found = []
        for s in self.scripts:
            if s.tasks and s.pricing is None:
                found.append(f"{s.script}: no prices ([pricing] in the spec, or [tool.hailuo.pricing]): the cost is unknown")
            elif s.unpriced():
                found.append(f"{s.script}: [pricing] gives no price for {', '.join(s.unpriced())}: the cost is unknown")
        if len({s.currency for s in self.scripts if s.tasks and s.currency}) > 1:
            found.append("the scripts' prices are in different currencies: no total")
        return found

    def totals(self) -> dict[str, Any]:
        return {"tasks": self.task_count, "clip_seconds": self.clip_seconds(), "cost": self.cost, "currency": self.currency}

    def as_json(self) -> dict[str, Any]:
        """``{"tasks": [...], "free": [...], "uploads": [...], "notes": [...], "totals": {"tasks": N,
        "clip_seconds": {"768P": 12}, "cost": 0.84 or null, "currency": "USD" or null}}``."""
        return {
            "tasks": [t.as_json() for t in self.tasks],
            "free": [f.as_json() for s in self.scripts for f in s.free],
            "uploads": [{"script": str(s.script), "file": u} for s in self.scripts for u in s.uploads],
            "notes": self.notes(),
            "totals": self.totals(),
        }

    def over_caps(self, *, max_tasks: int | None = None, budget: float | None = None) -> list[str]:
        """Why a render of this plan must not start: more tasks than ``max_tasks``, a cost over
        ``budget``, or a script over its own ``[render] budget`` (with what its journal paid);
        an empty list when it may. A budget that cannot be checked (no prices) refuses too."""
        found = []
        if max_tasks is not None and self.task_count > max_tasks:
            found.append(f"the render would submit {self.task_count} tasks, over --max-tasks {max_tasks}")
        if budget is not None and self.task_count:
            cost = self.cost
            if cost is None:
                found.append(f"--budget {budget:g}: the cost is unknown ({'; '.join(self.notes()) or 'no prices'})")
            elif cost > budget + 1e-9:
                found.append(f"the render would cost {cost:g} {self.currency}, over --budget {budget:g}")
        for s in self.scripts:
            if s.budget is None or not s.tasks:
                continue
            spent, cost = s.spent, s.cost
            if spent is None or cost is None:
                found.append(f"{s.script}: [render] budget {s.budget:g}: the cost is unknown (prices missing)")
            elif spent + cost > s.budget + 1e-9:
                found.append(
                    f"{s.script}: [render] budget {s.budget:g} {s.currency}: {spent:g} spent and {cost:g} more would be"
                    f" {spent + cost:g}"
                )
        return found


def paid_totals(paid: Sequence[PaidTask], pricing: PricingTable | None) -> dict[str, Any]:
    """What a journal's tasks came to: ``{"tasks", "clip_seconds", "cost", "currency"}`` (the cost
    None without a price for each)."""
    seconds: dict[str, int] = {}
    for task in paid:
        seconds[task.resolution] = seconds.get(task.resolution, 0) + task.duration
    prices = [pricing.price(p.resolution, p.duration) for p in paid] if pricing is not None else [None] * len(paid)
    cost = None if any(p is None for p in prices) else round(sum(p for p in prices if p is not None), 6)
    return {"tasks": len(paid), "clip_seconds": seconds, "cost": cost, "currency": pricing.currency if pricing else None}


__all__ = ["FreeTake", "PlannedTask", "RenderPlan", "ScriptPlan", "paid_totals"]
