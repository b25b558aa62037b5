"""What ``hailuo render`` and ``hailuo jobs`` show: the live view of a run, its final table, and
the table of a journal."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn
from rich.table import Table

from hailuo_dsl.render import RenderEvent, RenderSummary, ShotRecord, ShotState, Step

STATE_STYLE = {
    ShotState.DOWNLOADED: "green",
    ShotState.COMPLETED: "cyan",
    ShotState.SUBMITTED: "cyan",
    ShotState.PENDING: "yellow",
    ShotState.SUBMITTING: "magenta",
    ShotState.UNKNOWN: "bold magenta",
    ShotState.FAILED: "red",
}


class Display:
    """The live view of a run: one overall bar, and a row per shot while it is in flight."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("{task.description}", style="bold"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[note]}"),
            console=console,
            transient=True,
        )
        self.overall = self.progress.add_task("all shots", total=0, note="")
        self.rows: dict[str, TaskID] = {}
        self.seen: set[str] = set()
        self.finished: set[str] = set()

    def __call__(self, event: RenderEvent) -> None:
        label = event.shot if event.take == 1 else f"{event.shot} take {event.take}"
        if label not in self.seen:
            self.seen.add(label)
            self.progress.update(self.overall, total=len(self.seen))
        if event.action is Step.DONE or event.state in (ShotState.FAILED, ShotState.UNKNOWN):
            self._finish(label)
            return
        if event.action is Step.QUEUED:
            return
        if event.action is Step.CONTINUING:
            note = event.message or event.action.value
        else:
            note = f"{event.action.value} {event.task_id or ''}".rstrip()
        row = self.rows.get(label)
        if row is None:
            row = self.rows[label] = self.progress.add_task(label, total=100, note=note)
        self.progress.update(row, completed=event.progress, note=note)

    def _finish(self, shot: str) -> None:
        row = self.rows.pop(shot, None)
        if row is not None:
            self.progress.remove_task(row)
        if shot not in self.finished:
            self.finished.add(shot)
            self.progress.update(self.overall, completed=len(self.finished), note=f"{len(self.finished)}/{len(self.seen)}")


def _shots(count: int) -> str:
    return f"{count} shot{'' if count == 1 else 's'}"


def print_summary(console: Console, summary: RenderSummary, script: Path | str | None = None) -> None:
    """The final table of one script's render, titled with the script, then where its videos are."""
    shots = Counter(s.name for s in summary.shots)
    takes = len(summary.shots) > len(shots)
    title = f"{shown(script)}: {_shots(len(shots))}" if script is not None else f"Render of {_shots(len(shots))}"
    title += f", {len(summary.shots)} takes" if takes else ""
    table = Table(title=title, title_justify="left")
    table.add_column("shot", overflow="fold")
    if takes:
        table.add_column("take", no_wrap=True)
    table.add_column("state", no_wrap=True)
    table.add_column("task", overflow="fold")
    table.add_column("video / note", overflow="fold")
    for shot in summary.shots:
        style = STATE_STYLE[shot.state]
        detail = shown(shot.output) if shot.output is not None else shot.note + (f"\n{shot.error}" if shot.error else "")
        if shot.continues is not None and shot.take == 1:
            detail += f"\n(continues {shot.continues})"
        chosen = " *" if shot.chosen and shots[shot.name] > 1 else ""
        cells = [shot.name, *([f"{shot.take}{chosen}"] if takes else [])]
        table.add_row(*cells, f"[{style}]{shot.state.value}[/]", shot.task_id or "", detail)
    console.print(table)
    done = sum(1 for s in summary.shots if s.done)
    console.print(f"{done} of {len(summary.shots)} videos in {shown(summary.out_dir)}; journal {shown(summary.journal)}")
    paid = f"{summary.paid} task{'' if summary.paid == 1 else 's'} paid in this run"
    if summary.paid and summary.cost is not None:
        paid += f", {summary.cost:.2f} {summary.currency or ''}".rstrip()
    console.print(
        paid + (" (no prices: [pricing] in the spec gives them)" if summary.paid and summary.cost is None else ""), markup=False
    )
    if takes:
        console.print("* the chosen take: hailuo takes SCRIPT lists them, hailuo pick SCRIPT SHOT TAKE chooses another")


def print_run(console: Console, rendered: Sequence[tuple[Path, RenderSummary]], *, several: bool) -> None:
    """The final tables of a run, one per script rendered, each with its film if one was joined;
    a run of several scripts ends with their total."""
    for script, summary in rendered:
        print_summary(console, summary, script)
        if summary.film is not None:
            console.print(f"Film: {shown(summary.film)} (hailuo assemble says more; its timeline beside it)")
    if several:
        print_total(console, [summary for _, summary in rendered])


def print_total(console: Console, summaries: Sequence[RenderSummary]) -> None:
    """The overall total of a run of several scripts, after their tables."""
    shots = sum(len(s.shots) for s in summaries)
    done = sum(1 for summary in summaries for shot in summary.shots if shot.done)
    paid = sum(s.paid for s in summaries)
    line = f"In all: {done} of {shots} videos on disk, {len(summaries)} scripts, {paid} task{'' if paid == 1 else 's'} paid in this run"
    currencies = {s.currency for s in summaries if s.paid}
    if paid and len(currencies) == 1 and all(s.cost is not None for s in summaries if s.paid):
        line += f", {sum(s.cost or 0.0 for s in summaries):.2f} {currencies.pop() or ''}".rstrip()
    console.print(line, markup=False)


def shown(path: Path | str) -> str:
    """A path as short as it can be said: relative to the working folder when below it."""
    try:
        return str(Path(path).absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def in_script_order(records: list[ShotRecord], script: Path) -> list[ShotRecord]:
    """The journal's shots in the order of the script's shots (takes of a shot in the journal's
    order); shots the script no longer has follow, and a script that cannot be read leaves the
    journal's order."""
    from hailuo_dsl.shots.parser import load_script

    try:
        names = [shot.name for shot in load_script(script).shots]
    except OSError:
        names = []
    order = {name: index for index, name in enumerate(names)}
    return sorted(records, key=lambda r: order.get(r.name, len(order)))


def print_jobs(console: Console, path: Path, records: list[ShotRecord], totals: str | None = None) -> None:
    """The table of a journal, one row per shot (and take) in the order given."""
    table = Table(title=shown(path), title_justify="left")
    for column in ("shot", "take", "state", "status", "task", "tries", "updated", "video / error"):
        table.add_column(column, overflow="fold", no_wrap=column in ("take", "state", "status", "tries", "updated"))
    for r in records:
        status = f"{r.status or ''} {r.progress}%" if r.state is ShotState.SUBMITTED else (r.status or "")
        detail = shown(r.output) if r.state is ShotState.DOWNLOADED and r.output else (r.error or "")
        updated = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.updated_at))
        state = f"[{STATE_STYLE[r.state]}]{r.state.value}[/]"
        table.add_row(r.name, str(r.take), state, status, r.task_id or "", str(r.attempts), updated, detail)
    console.print(table)
    if totals is not None:
        console.print(totals, markup=False)
