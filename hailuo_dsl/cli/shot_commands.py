"""``hailuo compile``: a ``.shot`` script and its shot-spec to API requests, one JSON object a line."""

from __future__ import annotations

import json
from pathlib import Path

import click

from hailuo_dsl.cli.common import UsageError, read_source, require_file
from hailuo_dsl.cli.gate import config_for, show_findings
from hailuo_dsl.contract import DURATIONS, RESOLUTIONS
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.rules.hl614_spec_unreadable import spec_unreadable


@click.command("compile")
@click.argument("script", type=click.Path(dir_okay=False))
@click.option("--spec", "spec", type=click.Path(dir_okay=False), help="Shot-spec to use instead of the script's spec line.")
@click.option("--shot", "shots", multiple=True, metavar="NAME", help="Compile only this shot (repeatable).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the requests here, not stdout.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True)
@click.option("--check-urls", is_flag=True, help="Probe http(s) frame URLs with a HEAD request.")
@click.option("--duration", type=click.Choice([str(d) for d in DURATIONS]), help="Override every shot's duration.")
@click.option("--resolution", metavar="|".join(RESOLUTIONS), help="Override every shot's resolution (either case of P).")
@click.option("--first-frame", metavar="PATH|URL", help="Override the first frame (a path relative to the current folder).")
@click.option("--last-frame", metavar="PATH|URL", help="Override the last frame (a path relative to the current folder).")
@click.option("--prompt-optimizer/--no-prompt-optimizer", default=None, help="Override metadata.prompt_optimizer.")
@click.option("--fast-pretreatment/--no-fast-pretreatment", default=None, help="Override metadata.fast_pretreatment.")
@click.option("--watermark/--no-watermark", default=None, help="Override metadata.aigc_watermark.")
@click.option(
    "--callback-url", metavar="URL", help="Set metadata.callback_url (an http(s) URL; polling stays the source of truth)."
)
def compile_command(
    script: str,
    spec: str | None,
    shots: tuple[str, ...],
    output: str | None,
    fmt: str,
    check_urls: bool,
    duration: str | None,
    resolution: str | None,
    first_frame: str | None,
    last_frame: str | None,
    prompt_optimizer: bool | None,
    fast_pretreatment: bool | None,
    watermark: bool | None,
    callback_url: str | None,
) -> None:
    """Compile SCRIPT.shot into API requests: one JSON object per line (shot, request,
    local_images, request_hash).

    Precedence: these options > @settings > spec [shots.NAME] > spec [defaults] > API defaults.
    Every prompt is linted as `hailuo lint` lints it (same configuration and suppressions).
    Findings go to standard error; with any error nothing is written. Exit status: 0 compiled,
    1 errors, 2 usage or I/O error.
    """
    from hailuo_dsl.shots.compiler import compile_script
    from hailuo_dsl.shots.parser import parse_script
    from hailuo_dsl.shots.result import UnknownShotError

    source = read_source(script)
    if spec is not None:
        require_file(Path(spec))
    parsed = parse_script(source.text, Path(script))
    overrides: dict[str, object] = {
        "duration": duration,
        "resolution": resolution,
        "first_frame": first_frame,
        "last_frame": last_frame,
        "prompt_optimizer": prompt_optimizer,
        "fast_pretreatment": fast_pretreatment,
        "watermark": watermark,
        "callback_url": callback_url,
    }
    try:
        result = compile_script(
            parsed,
            spec=spec,
            overrides=overrides,
            shots=list(shots) or None,
            check_urls=check_urls,
            config=config_for(Path(script)),
        )
    except UnknownShotError as err:
        raise UsageError(f"{script}: {err}") from None
    except ValueError as err:
        raise UsageError(f"command line: {err}") from None
    unreadable = [d for d in result.diagnostics if d.code == spec_unreadable.code]
    if unreadable:  # the spec is missing: an I/O error, in one line
        first = unreadable[0]
        if first.path is not None:
            raise UsageError(first.message)
        pos = LineIndex(source.text).position(first.start)
        raise UsageError(f"{source.name}:{pos.line + 1}:{pos.column + 1}: {first.message}")
    show_findings(source.name, source.text, result.diagnostics)
    if not result.ok:
        raise SystemExit(1)
    objects = [shot.to_json() for shot in result.shots]
    if fmt == "json":
        text = json.dumps(objects, indent=2, ensure_ascii=False) + "\n"
    else:
        text = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(f"{output}: cannot write: {err.strerror}") from None


COMMANDS: dict[str, click.Command] = {c.name: c for c in (compile_command,) if c.name is not None}
"""This module's commands by name (``hailuo_dsl.cli`` lists them)."""
