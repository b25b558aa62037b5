"""``hailuo submit``, ``hailuo status``, ``hailuo wait`` and ``hailuo download``: one task at a time.

They talk to the API named by ``--base-url`` (or ``HAILUO_BASE_URL``) with the key in
``HAILUO_API_KEY``; against an emulator started with ``hailuo emulator`` in another terminal, export
the two variables it prints. Exit codes: 0 done, 1 the API refused or the task failed, 2 usage or
I/O error (no key, a key no header can carry, unreadable file, invalid request), 128 + N stopped
by signal N (Ctrl-C, SIGTERM, SIGHUP: a download leaves no partial file, a submit in flight
still prints its task id).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from pydantic import ValidationError

from hailuo_dsl.cli.common import (
    ApiError,
    UsageError,
    base_url_option,
    os_message,
    require_api_key,
    require_file,
    task_id_argument,
)
from hailuo_dsl.cli.gate import config_for, has_errors, refuse, show_findings
from hailuo_dsl.cli.limits import download_limit_options, transfer_limits
from hailuo_dsl.cli.signals import Stopped, exit_stopped, held_stops, raise_on_stop
from hailuo_dsl.client import Client, HailuoError, Task, TaskFailed, TransferLimits
from hailuo_dsl.contract import DEFAULT_DURATION, DEFAULT_RESOLUTION, DURATIONS, POLL_INTERVAL, RESOLUTIONS
from hailuo_dsl.contract.request import RequestMetadata, VideoRequest

if TYPE_CHECKING:
    from hailuo_dsl.shots.result import CompiledShot


def task_json(task: Task) -> dict[str, Any]:
    """A task as the ``--json`` output shows it."""
    return {
        "id": task.id,
        "status": task.status_text,
        "progress": task.progress,
        "video_url": task.video_url,
        "created_at": task.created_at,
        "completed_at": task.completed_at,
        "expires_at": task.expires_at,
        "error": task.error.model_dump() if task.error is not None else None,
    }


def _open_client(base_url: str | None, poll_interval: float = POLL_INTERVAL, limits: TransferLimits | None = None) -> Client:
    require_api_key(" (or HAILUO_BASE_URL/--base-url and the key of a running `hailuo emulator`)")
    try:  # the client reads the key itself, so that its errors name the variable
        return Client(
            api_key=None, base_url=base_url, poll_interval=poll_interval, first_poll_delay=poll_interval / 2, limits=limits
        )
    except HailuoError as err:  # a base URL that is not one, a key no header can carry
        raise UsageError(err.message) from None


def stoppable(command: Callable[..., None]) -> Callable[..., None]:
    """Run the command so that SIGTERM and SIGHUP stop it as Ctrl-C does: files cleaned up, exit 128 + N."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            with raise_on_stop():
                command(*args, **kwargs)
        except Stopped as stop:
            exit_stopped(stop.signum)

    return run


def _fail(err: HailuoError) -> NoReturn:
    raise ApiError(err.message) from None


def _show(task: Task, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(task_json(task), indent=2))
        return
    line = f"{task.id}  {task.status_text or '?'}  {task.progress}%"
    if task.video_url:
        line += f"  {task.video_url}"
    if task.error is not None:
        line += f"  error: {task.error.message}"
    click.echo(line)


def _resolution(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--resolution`` in either case of P, refused in the words ``hailuo compile`` uses."""
    if value is None or value.upper() in RESOLUTIONS:
        return None if value is None else value.upper()
    said = ", ".join(RESOLUTIONS[:-1]) + " or " + RESOLUTIONS[-1]
    raise UsageError(f'command line: --resolution must be {said}, got "{value}"')


_as_json = click.option("--json", "as_json", is_flag=True, help="Print the task as JSON.")


@click.command("submit")
@click.argument("script", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--shot", "shot_name", metavar="NAME", help="The shot of SCRIPT to submit.")
@click.option("--spec", type=click.Path(dir_okay=False, path_type=Path), help="Shot-spec TOML (default: the script's spec line).")
@click.option("--prompt", metavar="TEXT", help="Submit this prompt instead of a script's shot.")
@click.option("--duration", type=click.Choice([str(d) for d in DURATIONS]), help="Clip length in seconds (with --prompt).")
@click.option("--resolution", metavar="|".join(RESOLUTIONS), callback=_resolution, help="With --prompt (either case of P).")
@click.option("--no-prompt-optimizer", is_flag=True, help="With --prompt: keep the prompt exactly as written.")
@base_url_option
@_as_json
@stoppable
def submit(
    script: Path | None,
    shot_name: str | None,
    spec: Path | None,
    prompt: str | None,
    duration: str | None,
    resolution: str | None,
    no_prompt_optimizer: bool,
    base_url: str | None,
    as_json: bool,
) -> None:
    """Submit one task: SCRIPT --shot NAME, or --prompt TEXT. Prints the task id.

    The prompt is linted first, as `hailuo lint` lints it (the configuration of the script's
    folder, or of the working folder for --prompt, with --duration for the move budget); findings
    go to standard error, and with an error nothing is uploaded or submitted (exit 1).
    A submit is a paid task and is never retried once it may have reached the API.
    """
    if (script is None) == (prompt is None):
        raise UsageError("give either SCRIPT --shot NAME or --prompt TEXT")
    if script is not None and not shot_name:
        raise UsageError("--shot NAME is needed with SCRIPT")
    if prompt is not None and (shot_name or spec):
        raise UsageError("--shot and --spec go with SCRIPT; --prompt submits the prompt as given")
    if prompt is None and (duration or resolution or no_prompt_optimizer):
        raise UsageError(
            "--duration, --resolution and --no-prompt-optimizer go with --prompt; a script's shot has its own settings"
        )
    shot = _checked_shot(script, shot_name, spec) if script is not None and shot_name else None
    if prompt is not None:
        _check_prompt(prompt, int(duration) if duration else DEFAULT_DURATION)
    with _open_client(base_url) as client:
        if prompt is not None:
            try:
                request = VideoRequest(
                    prompt=prompt,
                    duration=int(duration) if duration else DEFAULT_DURATION,  # type: ignore[arg-type]
                    resolution=resolution or DEFAULT_RESOLUTION,  # type: ignore[arg-type]
                    metadata=RequestMetadata(prompt_optimizer=False) if no_prompt_optimizer else None,
                )
            except ValidationError as err:
                raise UsageError(f"invalid request: {_first_problem(err)}") from None
        else:
            assert shot is not None
            request = _uploaded(client, shot)
        with held_stops("the answer of the submit (a paid task)") as held:
            try:
                task = client.submit(request)
            except HailuoError as err:
                _fail(err)
    if as_json:
        _show(task, True)
    else:
        click.echo(task.id)
    if held:
        exit_stopped(held[0], f"The submit in flight was answered first: task {task.id}.")


def _check_prompt(prompt: str, duration: int) -> None:
    """Lint ``--prompt`` as ``hailuo lint --prompt --duration D`` does for the clip it asks for;
    show the findings, refuse on an error."""
    from hailuo_dsl.prompt.linter import lint

    found = lint(prompt, config_for(None), duration=duration)
    show_findings("<prompt>", prompt, found)
    if has_errors(found):
        refuse()


def _checked_shot(script: Path, shot_name: str, spec: Path | None) -> CompiledShot:
    """One shot of a script, compiled (its prompt linted) with the configuration ``hailuo lint``
    uses for the script; its findings shown, and nothing sent when one is an error."""
    from hailuo_dsl.shots.compiler import compile_script
    from hailuo_dsl.shots.result import UnknownShotError

    require_file(script)
    try:
        result = compile_script(script, spec=spec, shots=[shot_name], config=config_for(script))
    except (UnknownShotError, OSError) as err:
        raise UsageError(os_message(err)) from None
    show_findings(str(script), result.script.text, result.diagnostics)
    if has_errors(result.diagnostics):
        refuse()
    found = [s for s in result.shots if s.name == shot_name]
    if not found:
        raise UsageError(f"{script}: no shot named {shot_name!r}")
    return found[0]


def _uploaded(client: Client, shot: CompiledShot) -> VideoRequest:
    """The request of a compiled shot, its local images uploaded."""
    urls: dict[Path, str] = {}
    for path in sorted(set(shot.local_images.values())):
        try:
            urls[path] = client.upload_image(path)
        except OSError as err:
            raise UsageError(f"{path}: cannot read: {err.strerror or err}") from None
        except HailuoError as err:
            _fail(err)
    return shot.resolved(urls) if urls else shot.request


def _first_problem(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


@click.command("status")
@task_id_argument
@base_url_option
@_as_json
@stoppable
def status(task_id: str, base_url: str | None, as_json: bool) -> None:
    """Show a task's status, progress and video URL."""
    with _open_client(base_url) as client:
        try:
            task = client.get(task_id)
        except HailuoError as err:
            _fail(err)
    _show(task, as_json)


@click.command("wait")
@task_id_argument
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=900.0, show_default=True, help="Seconds.")
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0, min_open=True),
    default=POLL_INTERVAL,
    show_default=True,
    help="Seconds between status queries (the API documents 10).",
)
@base_url_option
@_as_json
@stoppable
def wait(task_id: str, timeout: float, poll_interval: float, base_url: str | None, as_json: bool) -> None:
    """Poll a task on the documented cadence until it completes or fails.

    On a terminal, a status line on standard error shows the task's state and progress from the
    start; when standard error is not a terminal (a log, a pipe) nothing is shown while it waits.
    """
    from contextlib import nullcontext

    from rich.console import Console

    console = Console(stderr=True)
    shown = not as_json and console.is_terminal
    status = console.status(f"{task_id}: waiting for the first poll") if shown else None

    def on_progress(task: Task) -> None:
        if status is not None:
            status.update(f"{task.id}: {task.status_text} {task.progress}%")

    with _open_client(base_url, poll_interval) as client, status if status is not None else nullcontext():
        try:
            task = client.wait(task_id, timeout=timeout, on_progress=on_progress)
        except TaskFailed as err:
            if as_json:
                _show(err.task, True)
            _fail(err)
        except HailuoError as err:
            _fail(err)
    _show(task, as_json)


@click.command("download")
@task_id_argument
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File (or folder) to write; default ./<task id>.mp4.")
@download_limit_options
@base_url_option
@_as_json
@stoppable
def download(
    task_id: str,
    output: Path | None,
    max_download_mb: float,
    download_stall: float,
    download_deadline: float,
    base_url: str | None,
    as_json: bool,
) -> None:
    """Download a completed task's video (streamed to a temporary file, renamed when complete).

    The video may be at most --max-download-mb; the download is given up when no byte arrives
    for --download-stall seconds or when it takes over --download-deadline. Stopped or failed, it
    leaves no partial file.
    """
    where = output if output is not None else Path.cwd()
    limits = transfer_limits(max_download_mb, download_stall, download_deadline)
    with _open_client(base_url, limits=limits) as client:
        try:
            task = client.get(task_id)
            path = client.download(task, where)
        except HailuoError as err:
            _fail(err)
        except OSError as err:
            raise UsageError(f"{where}: cannot write: {err.strerror or err}") from None
    if as_json:
        click.echo(json.dumps({**task_json(task), "output": str(path), "bytes": path.stat().st_size}, indent=2))
    else:
        click.echo(str(path))


COMMANDS: dict[str, click.Command] = {c.name: c for c in (submit, status, wait, download) if c.name is not None}
"""This module's commands by name (``hailuo_dsl.cli`` lists them)."""
