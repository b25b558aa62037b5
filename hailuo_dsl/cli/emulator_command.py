"""``hailuo emulator``: run the emulator of the video API in the foreground until Ctrl-C."""

from __future__ import annotations

import threading

import click

from hailuo_dsl.cli.common import UsageError
from hailuo_dsl.emulator import Emulator, Faults
from hailuo_dsl.emulator.animatic import DEFAULT_VIDEO_SCALE


@click.command("emulator")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port on 127.0.0.1 (0: any free port)."
)
@click.option("--latency", type=click.FloatRange(min=0), default=0.0, show_default=True, help="Seconds added to every answer.")
@click.option(
    "--fail-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True, help="Probability of a random HTTP 500."
)
@click.option(
    "--task-seconds", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True, help="How long a task takes."
)
@click.option(
    "--time-scale",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Emulated seconds per real second.",
)
@click.option(
    "--video-scale",
    type=click.FloatRange(0, 1, min_open=True),
    default=DEFAULT_VIDEO_SCALE,
    show_default=True,
    help="Size of the videos as a share of the real size (1: 1366x768 for 768P).",
)
@click.option(
    "--prepare-videos",
    is_flag=True,
    help="Make each video while its task runs, as the service does (default: on its first download).",
)
@click.option(
    "--submit-limit",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Submits taken in any minute; more are answered 429 with Retry-After (0: no limit).",
)
@click.option("--api-key", default="emulator-key", show_default=True, help="The API key the emulator accepts.")
def emulator(
    port: int,
    latency: float,
    fail_rate: float,
    task_seconds: float,
    time_scale: float,
    video_scale: float,
    prepare_videos: bool,
    submit_limit: int,
    api_key: str,
) -> None:
    """Serve an emulator of the video API on 127.0.0.1 until Ctrl-C.

    Point the client at it with HAILUO_BASE_URL and HAILUO_API_KEY (printed at start).
    """
    server = Emulator(
        api_key=api_key,
        latency=latency,
        time_scale=time_scale,
        task_seconds=task_seconds,
        faults=Faults(fail_rate=fail_rate, submit_limit=submit_limit),
        video_scale=video_scale,
        prepare_videos=prepare_videos,
        port=port,
    )
    try:
        server.start()
    except OSError as err:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {err.strerror or err}") from None
    click.echo(f"Emulator of the video API at {server.url}")
    click.echo(f"  export HAILUO_BASE_URL={server.url}")
    click.echo(f"  export HAILUO_API_KEY={server.api_key}")
    click.echo("Press Ctrl-C to stop.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        stats = server.stats
        click.echo(f"Stopped: {stats.submits_accepted} tasks accepted, {stats.queries} queries, {stats.downloads} downloads.")


COMMANDS: dict[str, click.Command] = {c.name: c for c in (emulator,) if c.name is not None}
"""This module's commands by name (``hailuo_dsl.cli`` lists them)."""
