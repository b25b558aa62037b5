"""Compile a ``.shot`` script and its shot-spec into API requests, one per shot.

A straight pipeline, read once from top to bottom (:func:`_compile`):

1. read the script (``parser``: the tree, with its syntax findings, HL7xx);
2. read its spec (``spec``: what the reading found, judged by the spec rules);
3. resolve each shot's settings by precedence (``precedence``), and learn its frames (``frames``);
4. lint each shot's prompt with the prompt rules (the shot's duration sets the move budget), and
   run the rules over each resolved shot (``Scope.SHOT``) and each of its frames (``Scope.FRAME``);
5. build the request body of each shot that no error stopped.

``hailuo lint`` reads the same findings (:func:`lint_findings`), so a prompt that reaches a paid
task has passed the rules ``hailuo lint`` shows, with the same configuration and suppressions. The
language server re-checks only the shots an edit touched through steps 3-4 alone
(:func:`shot_findings`), so its findings are these too.

Every finding points at the ``@setting`` (in the script), the TOML key (in the spec,
``Diagnostic.path`` set) or the shot's header when a missing setting is the cause. Rules the
compile enforces (``Rule.enforced``: the API's, and HL704) always fail the shot; a configuration
(``[lint]`` of the spec, or the one given) can only change or silence the others.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hailuo_dsl.config import LintConfig
from hailuo_dsl.contract import Metadata, mode_of
from hailuo_dsl.contract.request import RequestMetadata, VideoRequest
from hailuo_dsl.diagnostics import Diagnostic, Severity
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.rules import FRAME_CHECKS, SHOT_CHECKS, Bound, Finding, Rule
from hailuo_dsl.rules.contexts import FrameContext, ShotContext
from hailuo_dsl.shots import continuity
from hailuo_dsl.shots.findings import configured, effective_config, kept_in_compile, prompt_findings, sorted_findings
from hailuo_dsl.shots.frames import IMAGE_ROLES, Frame, FrameChecker
from hailuo_dsl.shots.parser import load_script
from hailuo_dsl.shots.precedence import SETTING_KEYS, Layers, Level, ResolvedShot, coerce
from hailuo_dsl.shots.result import CompiledShot, CompileResult, UnknownShotError
from hailuo_dsl.shots.settings import METADATA_VALUES
from hailuo_dsl.shots.spec import ShotSpec, read_script_spec, spec_findings
from hailuo_dsl.shots.syntax import Script, Shot

if TYPE_CHECKING:  # httpx is imported only when --check-urls probes a URL
    import httpx

Owned = tuple[str | None, Diagnostic]
"""A finding with the name of the shot it belongs to (None: the script or spec as a whole)."""


@dataclass(slots=True)
class _Compiled:
    """What steps 2-5 give: the spec, the configuration (the spec's ``[lint]`` on top of the one
    given), the findings with their shots, and the shots that compiled."""

    spec: ShotSpec | None
    config: LintConfig
    found: list[Owned] = field(default_factory=list)
    shots: list[CompiledShot] = field(default_factory=list)


def _compile(
    script: Script,
    spec_arg: str | Path | None,
    overrides: Mapping[str, object],
    chosen: Sequence[Shot],
    check_urls: bool,
    client: httpx.Client | None,
    config: LintConfig | None,
    build: bool,
) -> _Compiled:
    """Steps 2-5 for the ``chosen`` shots of a read script. The prompt findings are at their
    configured severities and never stop a body here: the caller applies the configuration and
    the suppressions to every finding, then drops the shots left with an error."""
    spec, read = read_script_spec(script, spec_arg)  # 2. read the spec, and judge what was read
    out = _Compiled(spec, effective_config(config, spec))
    if read is not None:
        out.found.extend((None, d) for d in spec_findings(read, tuple(s.name for s in script.shots)))
    _judge_shots(out, script, read is None or read.ok, overrides, chosen, check_urls, client, build)
    return out


def _judge_shots(
    out: _Compiled,
    script: Script,
    spec_ok: bool,
    overrides: Mapping[str, object],
    chosen: Sequence[Shot],
    check_urls: bool,
    client: httpx.Client | None,
    build: bool,
) -> None:
    """Steps 3-5 for the ``chosen`` shots against ``out.spec`` and ``out.config``, into ``out``."""
    index = LineIndex(script.text)
    if not spec_ok:  # a spec with errors would compile wrong requests: stop at its findings
        own = Layers(script, None, overrides, index)  # and the prompts, by the shots' own settings
        out.found.extend((shot.name, d) for shot in chosen for d in _prompt_judged(script, own.resolve(shot), out.config))
        return
    layers = Layers(script, out.spec, overrides, index)
    frames = FrameChecker(check_urls, client)
    clean: set[int] = set()
    parents = continuity.parents(script)
    try:
        for shot in chosen:
            context = _context(layers.resolve(shot), frames, parents)  # 3. resolve the settings, learn the frames
            out.found.extend((shot.name, d) for d in _prompt_judged(script, context.resolved, out.config))  # 4. lint
            failed = False
            for rule, found in _judged(context, SHOT_CHECKS, clean):  # 4. run the rules
                out.found.append((shot.name, rule.diagnostic(found)))
                failed = failed or rule.severity is Severity.ERROR
            if build and not failed:
                out.shots.append(_request(context, index))  # 5. build the body
    finally:
        frames.close()


def _prompt_judged(script: Script, resolved: ResolvedShot, config: LintConfig) -> list[Diagnostic]:
    """The prompt rules' findings on a resolved shot: its duration (the configuration's when no
    level sets one) gives the move budget, a first frame (a continued shot's too) makes the prompt optional."""
    duration, origin = resolved.values["duration"]
    budget = int(str(duration)) if origin.level > Level.API_DEFAULT else config.duration
    return prompt_findings(script, resolved.shot, config, duration=budget, require_text=not _has_first_frame(resolved))


def _has_first_frame(resolved: ResolvedShot) -> bool:
    """Whether the shot starts on a picture: its own first frame, or its parent's last (``@continue``)."""
    return resolved.get("first_frame") is not None or resolved.get("continue") is not None


def _context(resolved: ResolvedShot, frames: FrameChecker, parents: Mapping[str, str]) -> ShotContext:
    """A resolved shot with its mode and its frames (each learnt once per compile). A shot that
    continues another (``@continue``) has a first frame, known at render time."""
    continued = resolved.get("continue") is not None
    found: dict[str, Frame] = {}
    for role in IMAGE_ROLES:
        if resolved.get(role) is not None and not (continued and role == "first_frame"):
            value, origin = resolved.values[role]
            found[role] = frames.check(str(value), origin.base)
    mode = mode_of(continued or resolved.get("first_frame") is not None, resolved.get("last_frame") is not None)
    return ShotContext(resolved, mode, found, parents.get(resolved.shot.name) if continued else None)


def _judged(context: ShotContext, shot_checks: tuple[Bound, ...], clean: set[int]) -> list[tuple[Rule, Finding]]:
    """What the rules find in a shot: the shot rules', then each frame's (first, then last). A
    frame check reads only what was learnt of the frame, so a frame found clean once (its id in
    ``clean``) is clean for every shot that names it."""
    found = [(rule, f) for rule, check in shot_checks for f in check(context)]
    resolved = context.resolved
    for role, frame in context.frames.items():
        if id(frame) in clean:
            continue
        value, origin = resolved.values[role]
        frame_context = FrameContext(frame.facts, IMAGE_ROLES[role], str(value), origin.table, resolved.value_at(role))
        problems = [(rule, f) for rule, check in FRAME_CHECKS for f in check(frame_context)]
        if not problems:
            clean.add(id(frame))  # the checker keeps the frame for the whole compile, so its id stays its own
        found.extend(problems)
    return found


def _request(context: ShotContext, index: LineIndex) -> CompiledShot:
    """The request of a shot that compiled, with where each of its settings came from."""
    resolved, frames = context.resolved, context.frames
    shot, values = resolved.shot, resolved.values
    # The switches and the callback URL go into the body only when someone set them; the service
    # applies its defaults.
    metadata: dict[str, Any] = {
        field.value: values[key][0]
        for key, field in METADATA_VALUES.items()
        if key in values and values[key][1].level > Level.API_DEFAULT
    }
    if "last_frame" in frames:
        metadata[Metadata.LAST_FRAME_IMAGE.value] = frames["last_frame"].url
    request = VideoRequest(
        prompt=shot.prompt if shot.prompt.strip() else None,
        duration=resolved.get("duration"),  # type: ignore[arg-type]
        resolution=resolved.get("resolution"),  # type: ignore[arg-type]
        image_urls=[frames["first_frame"].url] if "first_frame" in frames else _continued(context),
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
        line=index.line_of(shot.span.start) + 1,
        continues=context.continues,
        takes=int(resolved.get("takes") or 1),  # type: ignore[call-overload]  # coerced when resolved
    )


def _continued(context: ShotContext) -> list[str] | None:
    """The first frame of a continued shot: a placeholder the render fills with the parent's last frame."""
    return [continuity.placeholder(context.continues)] if context.continues is not None else None


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


def _chosen(script: Script, names: Sequence[str] | None) -> list[Shot]:
    """The shots ``names`` asks for (all when None); UnknownShotError for a name not in the script."""
    if names is None:
        return script.shots
    known = [s.name for s in script.shots]
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f" (shots: {', '.join(known) or 'none'})"
            raise UnknownShotError(f"no shot named '{name}'{hint}")
    wanted = set(names)
    return [s for s in script.shots if s.name in wanted]


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
    ``client`` when given). Each shot's prompt is linted as ``hailuo lint`` lints it: ``config``
    (default: each rule's own severity) with the spec's ``[lint]`` table on top, and the script's
    suppression comments. A shot with an error, a syntax error or a prompt rule's included, is not
    compiled; the findings (warnings too) come with the bodies in the result.
    """
    parsed = script if isinstance(script, Script) else load_script(script)  # 1. read the script
    given = {key: _override(key, value) for key, value in (overrides or {}).items() if value is not None}
    chosen = _chosen(parsed, shots)
    out = _compile(parsed, spec, given, chosen, check_urls, client, config, build=True)
    config = out.config
    syntax = [(_owner(parsed, d), d) for d in parsed.diagnostics]
    if shots is not None:  # the findings of the shots left out are not this compile's
        syntax = [(owner, d) for owner, d in syntax if owner is None or owner in shots]
    kept = [(owner, c) for owner, d in [*syntax, *out.found] if (c := kept_in_compile(d, config, parsed)) is not None]
    failed = {owner for owner, d in kept if d.severity is Severity.ERROR}
    compiled = [c for c in out.shots if c.name not in failed]
    return CompileResult(compiled, sorted_findings(d for _owner_name, d in kept), parsed, out.spec)


def _owner(script: Script, d: Diagnostic) -> str | None:
    """The shot a syntax finding lies in."""
    shot = script.shot_at(d.start)
    return shot.name if shot is not None else None


def lint_findings(script: Script, config: LintConfig | None = None, path: Path | None = None) -> list[Diagnostic]:
    """Every finding ``hailuo lint`` shows on a script, sorted: the syntax findings, then those of
    the compile (the prompt rules included) with the configuration (the spec's ``[lint]`` on top of
    ``config``) and the suppression comments applied to each, the enforced rules' too. A compile of
    the script reports the same findings, except that it keeps an enforced rule's finding an error
    whatever the configuration says. ``path`` stands in for ``script.path`` when that is None."""
    if script.path is None and path is not None:
        script = replace(script, path=path)
    out = _compile(script, None, {}, script.shots, False, None, config, build=False)
    found = [*script.diagnostics, *(d for _owner_name, d in out.found)]
    return sorted_findings(c for d in found if (c := configured(d, out.config, script)) is not None)


def shot_findings(
    script: Script, spec: ShotSpec | None, spec_ok: bool, shots: Sequence[Shot], config: LintConfig
) -> list[Diagnostic]:
    """What :func:`lint_findings` finds in ``shots`` (shots of ``script``), before the
    configuration and the suppressions apply: their prompts judged by the prompt rules and their
    resolved settings and frames by the shot rules, the way a whole compile judges them. ``spec``
    is the script's spec already read (None: it names none); ``spec_ok`` says whether reading it
    found no error (else only the prompts are judged, by the shots' own settings, as a compile does);
    ``config`` is the effective configuration (the spec's ``[lint]`` applied). The spec's own
    findings and the syntax findings are not included. For a language server, which re-checks
    only the shots an edit touched, against a spec the editor may hold unsaved."""
    out = _Compiled(spec, config)
    _judge_shots(out, script, spec_ok, {}, shots, False, None, build=False)
    return [d for _owner_name, d in out.found]


__all__ = ["compile_script", "lint_findings", "shot_findings"]
