"""``hailuo takes`` (every take of a script's shots) and ``hailuo pick`` (the take used downstream).

A shot rendered with ``@takes N`` (or ``hailuo render --reroll SHOT``) has several takes, each a
paid task. The first one on disk is chosen by default; ``pick`` chooses another, and the shots
that continue it start on the new take's last frame at the next render (new tasks: their request
changed), as the film and the contact sheet show it.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import click
from rich.table import Table

from hailuo_dsl.cli.common import UsageError
from hailuo_dsl.cli.journals import journal_options, open_render, shot_names
from hailuo_dsl.cli.render_display import STATE_STYLE, shown
from hailuo_dsl.cli.tables import table_console
from hailuo_dsl.render import JournalError, ShotRecord, ShotState
from hailuo_dsl.render.graph import chosen_take
from hailuo_dsl.render.records import PICKED


@click.command("takes")
@click.argument("script", type=click.Path(dir_okay=False, path_type=Path))
@journal_options
@click.option("--json", "as_json", is_flag=True, help="Print the takes as JSON.")
def takes(script: Path, emulator: bool, base_url: str | None, journal_path: Path | None, as_json: bool) -> None:
    """List the takes of a script's shots: shot, take, task id, state, file (* the chosen take)."""
    names = shot_names(script)
    with open_render(script, journal_path, emulator, base_url) as journal:
        rows: list[tuple[ShotRecord, bool, int]] = []
        for name in names + sorted({r.name for r in journal.records()} - set(names)):
            records = journal.takes(name)
            used = chosen_take(records, journal.choice(name))
            rows.extend((record, used is not None and used.take == record.take, len(records)) for record in records)
        path = journal.path
    if as_json:
        found = [{**record.to_json(), "chosen": chosen} for record, chosen, _count in rows]
        click.echo(json.dumps({"journal": str(path), "takes": found}, indent=2))
        return
    table = Table(title=f"Takes of {script.name}", title_justify="left")
    for column in ("shot", "take", "task", "state", "file / note"):
        table.add_column(column, overflow="fold", no_wrap=column in ("take", "state"))
    for record, chosen, count in rows:
        state = f"[{STATE_STYLE[record.state]}]{record.state.value}[/]"
        if record.state is ShotState.DOWNLOADED and record.output:
            detail = shown(record.output)
        else:
            detail = record.error or ""
        if record.lineage is not None:
            detail += f"\nstarts on the last frame of {record.lineage.shot} (take {record.lineage.take})"
        marked = f"{record.take}{' *' if chosen and count > 1 else ''}"
        table.add_row(record.name, marked, record.task_id or "", state, detail)
    console = table_console()
    console.print(table)
    if not rows:
        console.print(f"No takes yet: render {script} first.")
    else:
        console.print("* the chosen take (continuations and the film use it); choose another with hailuo pick SCRIPT SHOT TAKE")


@click.command("pick")
@click.argument("script", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("shot")
@click.argument("take", type=click.IntRange(min=1))
@journal_options
def pick(script: Path, shot: str, take: int, emulator: bool, base_url: str | None, journal_path: Path | None) -> None:
    """Choose the TAKE of SHOT used downstream: by the shots that continue it, and in the film."""
    from hailuo_dsl.shots import continuity
    from hailuo_dsl.shots.parser import load_script

    names = shot_names(script)
    if shot not in names:
        close = difflib.get_close_matches(shot, names, n=1)
        raise UsageError(f"{script}: no shot named {shot!r}" + (f"; did you mean {close[0]!r}?" if close else ""))
    with open_render(script, journal_path, emulator, base_url) as journal:
        try:
            journal.acquire()  # not while a render runs: it reads the choice as it goes
        except JournalError as err:
            raise UsageError(str(err)) from None
        records = {r.take: r for r in journal.takes(shot)}
        record = records.get(take)
        if record is None:
            known = ", ".join(str(t) for t in records) or "none yet"
            raise UsageError(f"{shot} has no take {take} (its takes: {known})")
        if record.state is not ShotState.DOWNLOADED or not record.output or not Path(record.output).is_file():
            raise UsageError(f"take {take} of {shot} has no video on disk ({record.state.value}); pick a downloaded take")
        before = chosen_take(list(records.values()), journal.choice(shot))
        journal.choose(shot, take, by=PICKED)
    children = sorted(child for child, parent in continuity.parents(load_script(script)).items() if parent == shot)
    was = f" (was take {before.take})" if before is not None and before.take != take else ""
    click.echo(f"{shot}: take {take} chosen{was}.")
    if children and was:
        click.echo(
            f"The shots that continue it ({', '.join(children)}) start on its last frame at the next render: "
            "a new task each, their first frame having changed."
        )


COMMANDS: dict[str, click.Command] = {c.name: c for c in (takes, pick) if c.name is not None}
"""This module's commands by name (``hailuo_dsl.cli`` lists them)."""
