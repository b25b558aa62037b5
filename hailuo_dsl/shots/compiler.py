"""Compile a ``.shot`` script and its shot-spec into API requests, one per shot.

A straight pipeline: read the script → read its spec → resolve each shot's settings by precedence
(``precedence``) → check them against the contract (§3) and the frames by their bytes
(``frames``) → build the request bodies. Every finding points at the ``@setting`` (in the
script), the TOML key (in the spec, ``Diagnostic.path`` set) or the shot's header when a missing
setting is the cause.

Rules the API enforces always fail the shot; a configuration (``[lint]`` of the spec, or the one
given) can only change or silence the warnings.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hailuo_dsl.config import LintConfig
from hailuo_dsl.contract import (
    MAX_PROMPT_CHARS,
    RESOLUTION_TABLE,
    RESOLUTIONS,
    Metadata,
    Mode,
    Offer,
    duration_problem,
    mode_of,
    needs_first_frame,
    needs_prompt,
    offer,
    resolutions_for,
)
from hailuo_dsl.contract.request import RequestMetadata, VideoRequest
from hailuo_dsl.diagnostics import Diagnostic, Severity
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.rules import BY_CODE
from hailuo_dsl.rules import script_compile as rules
from hailuo_dsl.rules.base import Rule
from hailuo_dsl.shots.findings import configured, effective_config, sorted_findings
from hailuo_dsl.shots.frames import Frame, FrameChecker
from hailuo_dsl.shots.precedence import Layers, Level, Located, ResolvedShot
from hailuo_dsl.shots.result import IMAGE_ROLES, CompiledShot, CompileResult, UnknownShotError
from hailuo_dsl.shots.settings import METADATA_SWITCHES
from hailuo_dsl.shots.spec import SETTING_KEYS, ShotSpec, coerce, load_script_spec
from hailuo_dsl.shots.syntax import Script, Shot

if TYPE_CHECKING:  # httpx is imported only when --check-urls probes a URL
    import httpx

PROMPT_TOO_LONG = BY_CODE["HL501"]
EMPTY_PROMPT = BY_CODE["HL502"]
_PROMPT_CODES = frozenset({PROMPT_TOO_LONG.code, EMPTY_PROMPT.code})
_DUPLICATE_NAME = "HL704"
"""Kept an error by a compile whatever the configuration says: a render journals and names its
videos by shot name, so two shots of one name would share (and keep resubmitting) one record."""


class _ShotFindings:
    """The findings of one shot's compile, and whether one of them is an error."""

    def __init__(self) -> None:
        self.found: list[Diagnostic] = []
        self.failed = False

    def report(self, rule: Rule, message: str, where: Located) -> None:
        path, (start, end) = where
        self.found.append(Diagnostic(rule.code, rule.name, rule.severity, message, start, end, path=path))
        if rule.severity is Severity.ERROR:
            self.failed = True


class _Compiler:
    """Compiles the shots of one script against one spec, holding what the shots share: the
    layers of settings below the script's, and each frame checked once."""

    def __init__(
        self,
        script: Script,
        spec: ShotSpec | None,
        overrides: Mapping[str, object],
        check_urls: bool,
        client: httpx.Client | None,
        build_requests: bool,
    ) -> None:
        self.index = LineIndex(script.text)
        self.layers = Layers(script, spec, overrides, self.index)
        self.frames = FrameChecker(check_urls, client)
        self.build_requests = build_requests

    def compile(self, shot: Shot) -> tuple[CompiledShot | None, list[Diagnostic]]:
        resolved = self.layers.resolve(shot)
        out = _ShotFindings()
        for setting, reason in resolved.refused:
            out.report(rules.INVALID_SETTING_VALUE, f"@{setting.key} {reason}", (None, setting.value_span))
        first, last = resolved.get("first_frame"), resolved.get("last_frame")
        if needs_first_frame(last is not None, first is not None) and resolved.valid("first_frame", "last_frame"):
            out.report(
                rules.LAST_FRAME_WITHOUT_FIRST, "a last frame needs a first frame; add @first_frame", resolved.at(["last_frame"])
            )
        mode = mode_of(first is not None, last is not None)
        self.check_resolution(resolved, mode, out)
        if (
            resolved.get("fast_pretreatment") is True
            and resolved.get("prompt_optimizer") is False
            and resolved.valid("fast_pretreatment", "prompt_optimizer")
        ):
            message = "fast_pretreatment does nothing while prompt_optimizer is false"
            out.report(rules.FAST_PRETREATMENT_UNUSED, message, resolved.at(["fast_pretreatment"]))
        if needs_prompt(mode) and not shot.prompt.strip() and resolved.valid("first_frame"):
            out.report(EMPTY_PROMPT, "text-to-video needs a prompt; write one or add @first_frame", resolved.at([]))
        if len(shot.prompt) > MAX_PROMPT_CHARS:
            start, end = shot.file_offset(MAX_PROMPT_CHARS), shot.file_offset(len(shot.prompt))
            message = (
                f"the prompt is {len(shot.prompt)} characters after joining its lines; the API takes at most {MAX_PROMPT_CHARS}"
            )
            out.report(PROMPT_TOO_LONG, message, (None, (start, end)))
        frames = {role: self.frame(resolved, role, out) for role in IMAGE_ROLES if resolved.get(role) is not None}
        self.check_frame_sizes(resolved, frames, out)
        if out.failed or not self.build_requests:
            return None, out.found
        return self.build(resolved, frames), out.found

    def check_resolution(self, resolved: ResolvedShot, mode: Mode, out: _ShotFindings) -> None:
        """The resolution table of contract §3: durations per resolution, resolutions per mode."""
        resolution, duration = resolved.get("resolution"), resolved.get("duration")
        assert resolution in RESOLUTION_TABLE and isinstance(duration, int)  # coerced when resolved
        problem = duration_problem(resolution, duration)
        if problem is not None and resolved.valid("resolution", "duration"):
            fits = RESOLUTION_TABLE[resolution].durations
            other = next(
                r for r in reversed(RESOLUTIONS) if duration in RESOLUTION_TABLE[r].durations and offer(r, mode) is Offer.YES
            )
            message = f"{problem}; use @duration {fits[0]} or @resolution {other}"
            out.report(rules.RESOLUTION_DURATION, message, resolved.at(["resolution", "duration"]))
        available = offer(resolution, mode)
        if available is Offer.NO and resolved.valid("resolution", "first_frame", "last_frame"):
            message = f"{resolution} is not available for {mode.value}; use {' or '.join(resolutions_for(mode))}"
            out.report(rules.RESOLUTION_MODE, message, resolved.at(["resolution", "last_frame"]))
        if available is Offer.DOUBTFUL and resolved.valid("resolution", "first_frame"):
            offered = " or ".join(m.value for m in Mode if offer(resolution, m) is Offer.YES)
            message = f"{resolution} {mode.value}: the official API offers {resolution} for {offered} only"
            out.report(rules.LOW_RESOLUTION_TEXT, message, resolved.at(["resolution"]))

    def frame(self, resolved: ResolvedShot, role: str, out: _ShotFindings) -> Frame:
        """Check one frame (once per compile for each file or URL) and report its problems."""
        value, origin = resolved.values[role]
        reference = str(value)
        found = self.frames.check(reference, origin.base)
        if found.info.problems:
            where = resolved.value_at(role)
            quoted = json.dumps(reference if len(reference) <= 60 else reference[:40] + "…", ensure_ascii=False)
            shown = f"{IMAGE_ROLES[role]} {quoted}"
            if origin.table:
                shown = f"{origin.table} {shown}"
            for p in found.info.problems:
                out.report(BY_CODE[p.code], f"{shown} {p.message}", where)
        return found

    def check_frame_sizes(self, resolved: ResolvedShot, frames: dict[str, Frame], out: _ShotFindings) -> None:
        """A last frame of another size than the first is cropped to match (contract §3)."""
        first, last = frames.get("first_frame"), frames.get("last_frame")
        if first is None or last is None or not first.info.size or not last.info.size or first.info.size == last.info.size:
            return
        (fw, fh), (lw, lh) = first.info.size, last.info.size
        message = f"the last frame is {lw}x{lh} px and the first {fw}x{fh} px; the last frame will be cropped to match"
        out.report(rules.FRAME_SIZE_MISMATCH, message, resolved.value_at("last_frame"))

    def build(self, resolved: ResolvedShot, frames: dict[str, Frame]) -> CompiledShot:
        shot, values = resolved.shot, resolved.values
        # The switches go into the body only when someone set them; the service applies its defaults.
        metadata: dict[str, Any] = {
            field.value: values[key][0] for key, field in METADATA_SWITCHES.items() if values[key][1].level > Level.API_DEFAULT
        }
        if "last_frame" in frames:
            metadata[Metadata.LAST_FRAME_IMAGE.value] = frames["last_frame"].url
        request = VideoRequest(
            prompt=shot.prompt if shot.prompt.strip() else None,
            duration=resolved.get("duration"),  # type: ignore[arg-type]
            resolution=resolved.get("resolution"),  # type: ignore[arg-type]
            image_urls=[frames["first_frame"].url] if "first_frame" in frames else None,
            metadata=RequestMetadata(**metadata) if metadata else None,
        )
        settings: dict[str, object] = {}
        sources: dict[str, str] = {}
        for key in SETTING_KEYS:
            if key in values:
                value, origin = values[key]
                settings[key] = frames[key].url if key in frames else value
                sources[key] = origin.label
        return CompiledShot(
            name=shot.name,
            request=request,
            local_images={role: frame.path for role, frame in frames.items() if frame.path is not None},
            settings=settings,
            sources=sources,
            line=self.index.line_of(shot.span.start) + 1,
        )


def _override(key: str, value: object) -> object:
    """A command-line value, checked like any other; ValueError names the option."""
    if key not in SETTING_KEYS:
        close = difflib.get_close_matches(key, SETTING_KEYS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"unknown setting '{key}'{hint}")
    try:
        return coerce(key, value, text=isinstance(value, str))
    except ValueError as err:
        raise ValueError(f"--{key.replace('_', '-')} {err}") from None


def _unknown_spec_shots(script: Script, spec: ShotSpec) -> list[Diagnostic]:
    names = [s.name for s in script.shots]
    rule = rules.SPEC_UNKNOWN_SHOT
    found = []
    for name in spec.shots:
        if name in names:
            continue
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean [shots.{close[0]}]?" if close else ""
        start, end = spec.location("shots", name)
        message = f"[shots.{name}] names no shot of the script{hint}"
        found.append(
            Diagnostic(rule.code, rule.name, rule.severity, message, start, end, path=str(spec.path) if spec.path else None)
        )
    return found


Owned = tuple[str | None, Diagnostic]
"""A finding with the name of the shot it belongs to (None: the script or spec as a whole)."""


def _check(
    script: Script,
    spec_arg: str | Path | None,
    overrides: Mapping[str, object] | None,
    names: Sequence[str] | None,
    check_urls: bool,
    client: httpx.Client | None,
    build: bool = True,
) -> tuple[ShotSpec | None, list[Owned], list[CompiledShot]]:
    """The shared work of :func:`compile_script` and :func:`compile_checks`: the spec, the
    findings with their shots, and the shots that compiled."""
    spec, spec_found = load_script_spec(script, spec_arg)
    found: list[Owned] = [(None, d) for d in spec_found]
    if found:  # a spec with errors would compile wrong requests: stop at its findings
        return spec, found, []
    if spec is not None:
        found.extend((None, d) for d in _unknown_spec_shots(script, spec))
    compiler = _Compiler(script, spec, overrides or {}, check_urls, client, build)
    wanted = None if names is None else set(names)
    chosen = script.shots if wanted is None else [s for s in script.shots if s.name in wanted]
    compiled: list[CompiledShot] = []
    try:
        for shot in chosen:
            result, diagnostics = compiler.compile(shot)
            found.extend((shot.name, d) for d in diagnostics)
            if result is not None:
                compiled.append(result)
    finally:
        compiler.frames.close()
    return spec, found, compiled


def compile_script(
    script: Script | str | Path,
    *,
    spec: str | Path | None = None,
    overrides: Mapping[str, object] | None = None,
    shots: Sequence[str] | None = None,
    check_urls: bool = False,
    config: LintConfig | None = None,
    client: httpx.Client | None = None,
) -> CompileResult:
    """Compile a script (a parsed :class:`Script`, or the path of a ``.shot`` file) into requests.

    ``spec`` replaces the script's ``spec`` line; ``overrides`` are command-line settings (a bad
    one raises ValueError); ``shots`` limits the output to those names (an unknown one raises
    :class:`UnknownShotError`); ``check_urls`` probes http(s) frames with HEAD requests (through
    ``client`` when given). The script's syntax errors count: a shot holding one is not compiled.
    """
    if isinstance(script, Script):
        parsed = script
    else:
        from hailuo_dsl.shots.parser import load_script

        parsed = load_script(script)
    overrides = {key: _override(key, value) for key, value in (overrides or {}).items() if value is not None}
    if shots is not None:
        names = [s.name for s in parsed.shots]
        for name in shots:
            if name not in names:
                close = difflib.get_close_matches(name, names, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f" (shots: {', '.join(names) or 'none'})"
                raise UnknownShotError(f"no shot named '{name}'{hint}")
    loaded, found, compiled = _check(parsed, spec, overrides, shots, check_urls, client)
    effective = effective_config(config, loaded)
    syntax = [(_owner(parsed, d), d) for d in parsed.diagnostics]
    if shots is not None:  # the findings of the shots left out are not this compile's
        syntax = [(owner, d) for owner, d in syntax if owner is None or owner in shots]
    kept = [(owner, c) for owner, d in [*syntax, *found] if (c := _configured(d, effective, parsed)) is not None]
    failed = {owner for owner, d in kept if d.severity is Severity.ERROR}
    compiled = [c for c in compiled if c.name not in failed]
    return CompileResult(compiled, sorted_findings(d for _owner_name, d in kept), parsed, loaded)


def _owner(script: Script, d: Diagnostic) -> str | None:
    """The shot a syntax finding lies in."""
    shot = script.shot_at(d.start)
    return shot.name if shot is not None else None


def _configured(d: Diagnostic, config: LintConfig, script: Script) -> Diagnostic | None:
    """A finding of a compile: the rules the API enforces, and a duplicate shot name, stay errors
    whatever the configuration says; the others as :func:`configured` makes them."""
    if (d.code.startswith("HL6") and d.code not in rules.SOFT_CODES) or d.code in _PROMPT_CODES or d.code == _DUPLICATE_NAME:
        return d
    return configured(d, config, script)


def compile_checks(script: Script, config: LintConfig, path: Path | None) -> list[Diagnostic]:
    """The compile findings for ``hailuo lint``, at each rule's own severity (the caller applies
    the configuration and suppressions). The prompt rules (HL501, HL502) are left out: the
    prompt linter reports them already. ``path`` stands in for ``script.path`` when that is None."""
    if script.path is None and path is not None:
        script = Script(script.text, path, script.spec, script.shots, script.comments, script.suppressions, script.diagnostics)
    _spec, found, _compiled = _check(script, None, None, None, False, None, build=False)
    return sorted_findings(d for _owner_name, d in found if d.code not in _PROMPT_CODES)


__all__ = ["compile_checks", "compile_script"]
