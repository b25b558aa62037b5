"""Compile a ``.shot`` script and its shot-spec into API requests, one per shot.

Each setting is resolved by precedence: command line > ``@setting`` in the shot > spec
``[shots.NAME]`` > spec ``[defaults]`` > API default, and each resolved value remembers where it
came from (``CompiledShot.sources``). Relative image paths resolve against the file that names
them. Then the rules of contract §3 are checked (mode, resolution x duration, prompt,
images by their bytes); every finding points at the ``@setting`` (in the script), the TOML key (in
the spec, ``Diagnostic.path`` set) or the shot's header when a missing setting is the cause.

Rules the API enforces always fail the shot; a configuration (``[lint]`` of the spec, or the one
given) can only change or silence the warnings.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
from hailuo_dsl.contract.request import RequestMetadata, VideoRequest, request_hash
from hailuo_dsl.diagnostics import Diagnostic, Severity
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.rules import BY_CODE
from hailuo_dsl.rules import script_compile as rules
from hailuo_dsl.rules.base import Rule
from hailuo_dsl.shots import images

if TYPE_CHECKING:  # httpx is imported only when --check-urls probes a URL
    import httpx
from hailuo_dsl.shots.settings import METADATA_SWITCHES, SETTINGS
from hailuo_dsl.shots.spec import (
    SETTING_KEYS,
    ShotSpec,
    SpecError,
    coerce,
    parse_spec,
    read_spec_text,
    spec_text_or_empty,
)
from hailuo_dsl.shots.syntax import Script, Shot

API_DEFAULTS: dict[str, object] = {key: info.default for key, info in SETTINGS.items() if info.default is not None}
"""What the API applies to a setting nobody gave (the frames have no default)."""

IMAGE_ROLES = {"first_frame": "first frame", "last_frame": "last frame"}
PROMPT_TOO_LONG = BY_CODE["HL501"]
EMPTY_PROMPT = BY_CODE["HL502"]
_PROMPT_CODES = frozenset({PROMPT_TOO_LONG.code, EMPTY_PROMPT.code})
_DUPLICATE_NAME = "HL704"
"""Kept an error by a compile whatever the configuration says: a render journals and names its
videos by shot name, so two shots of one name would share (and keep resubmitting) one record."""
_HTTP_TIMEOUT = 10.0

# The levels of precedence, highest last.
API_DEFAULT, SPEC_DEFAULTS, SPEC_SHOT, SCRIPT, COMMAND_LINE = range(5)


class CompileError(Exception):
    """A script with compile errors; the message lists them as ``file:line:col: CODE message``."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)


class UnknownShotError(ValueError):
    """``shots=`` named a shot the script does not have (the message has a did-you-mean)."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a resolved value came from: its precedence level, a label for people, its location
    (``path`` None for the script, the spec's path for the spec; ``span`` None when nowhere, as
    for the command line), the folder its relative paths resolve against and, for the spec, the
    table it stands in (``[shots.opening]``)."""

    level: int
    label: str
    path: str | None
    span: tuple[int, int] | None
    base: Path
    table: str = ""


@dataclass(frozen=True)
class CompiledShot:
    """One shot as a request. Local frames stand in the request as ``file://`` URLs until
    :meth:`resolved` swaps in their uploaded URLs."""

    name: str
    request: VideoRequest
    local_images: dict[str, Path]
    settings: dict[str, object]
    sources: dict[str, str]
    line: int

    def request_hash(self) -> str:
        """sha256 of the canonical request body with each local frame replaced by the sha256 of
        its bytes: changing an image's content or any setting changes the hash; moving the
        project folder does not."""
        swaps = {_uri(path): "sha256:" + images.file_digest(path) for path in self.local_images.values()}
        return request_hash(_swap_urls(self.request, swaps).body())

    def resolved(self, urls: Mapping[Path, str]) -> VideoRequest:
        """The request with each local frame replaced by its uploaded URL (``urls`` maps the
        absolute paths of :attr:`local_images` to URLs); KeyError names a frame not in it."""
        swaps = {}
        for role, path in self.local_images.items():
            if path not in urls:
                raise KeyError(f"no uploaded URL for the {IMAGE_ROLES[role]} {path}")
            swaps[_uri(path)] = urls[path]
        return _swap_urls(self.request, swaps)

    def to_json(self) -> dict[str, Any]:
        """``{"shot", "request", "local_images", "request_hash"}``: one line of ``hailuo compile``."""
        return {
            "shot": self.name,
            "request": self.request.body(),
            "local_images": {role: str(path) for role, path in self.local_images.items()},
            "request_hash": self.request_hash(),
        }


@functools.lru_cache(maxsize=1024)
def _uri(path: Path) -> str:
    """``file://`` URL of an absolute path (cached: a storyboard reuses a few frames)."""
    return path.as_uri()


def _swap_urls(request: VideoRequest, swaps: Mapping[str, str]) -> VideoRequest:
    if not swaps:
        return request
    update: dict[str, Any] = {}
    if request.image_urls:
        update["image_urls"] = [swaps.get(u, u) for u in request.image_urls]
    if request.metadata is not None and request.metadata.last_frame_image:
        last = request.metadata.last_frame_image
        update["metadata"] = request.metadata.model_copy(update={"last_frame_image": swaps.get(last, last)})
    return request.model_copy(update=update)


@dataclass(slots=True)
class CompileResult:
    """The shots that compiled (those without errors) and every finding."""

    shots: list[CompiledShot]
    diagnostics: list[Diagnostic]
    script: Script
    spec: ShotSpec | None = None

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    def raise_for_errors(self) -> None:
        """Raise :class:`CompileError` listing every error as ``file:line:col: CODE message``."""
        errors = [d for d in self.diagnostics if d.severity is Severity.ERROR]
        if errors:
            lines = [format_location(d, self.script, self.spec) + f": {d.code} {d.message}" for d in errors]
            raise CompileError("\n".join(lines), errors)


def format_location(d: Diagnostic, script: Script, spec: ShotSpec | None) -> str:
    """``file:line:col`` of a diagnostic of this compile (in the script or in its spec)."""
    if d.path is None:
        name, text = (str(script.path) if script.path is not None else "<script>"), script.text
    else:
        name = d.path
        text = (
            spec.text if spec is not None and spec.path is not None and str(spec.path) == d.path else spec_text_or_empty(d.path)
        )
    pos = LineIndex(text).position(d.start)
    return f"{name}:{pos.line + 1}:{pos.column + 1}"


# -- the spec a script names -----------------------------------------------------------------------

_SPECS: dict[tuple[str, int, int], tuple[ShotSpec | None, list[Diagnostic]]] = {}


def _user_path(reference: str) -> Path:
    """A path as a user wrote it, ``~`` expanded (left as written when no home folder is known
    for it, so it is then reported as a missing file rather than raising)."""
    path = Path(reference)
    try:
        return path.expanduser()
    except RuntimeError:
        return path


_NUL_NAME = "the file name holds a NUL character"


def _spec_from_file(path: Path) -> tuple[ShotSpec | None, list[Diagnostic]]:
    """Parse a spec file, cached per (path, mtime, size); raises :class:`SpecError` when unreadable."""
    if "\0" in str(path):  # only editor text can hold one; stat() would raise ValueError
        raise SpecError(_NUL_NAME)
    try:
        stat = path.stat()
    except OSError:
        read_spec_text(path)  # raises SpecError with the one-line reason
        raise SpecError(f"{path}: cannot read") from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _SPECS:
        if len(_SPECS) > 64:  # an editor session edits specs for hours: keep only recent ones
            _SPECS.clear()
        _SPECS[key] = parse_spec(read_spec_text(path), path)
    spec, found = _SPECS[key]
    return spec, list(found)


def script_folder(script: Script) -> Path:
    """The folder a script's relative paths resolve against (the current one for unsaved text)."""
    return script.path.parent if script.path is not None else Path()


def load_script_spec(script: Script, spec: str | Path | None = None) -> tuple[ShotSpec | None, list[Diagnostic]]:
    """The script's shot-spec (``spec`` given, else the script's ``spec`` line), with its
    diagnostics: a missing file is HL614 at the ``spec`` line (or, for a given spec, at the
    start of that file)."""
    if spec is not None:
        path, where = Path(spec), None
    elif script.spec is not None:
        path = _user_path(script.spec.value)
        if not path.is_absolute():
            path = script_folder(script) / path
        where = script.spec.value_span
    else:
        return None, []
    try:
        return _spec_from_file(path)
    except SpecError as err:
        rule = rules.SPEC_UNREADABLE
        if where is None:
            return None, [
                Diagnostic(rule.code, rule.name, rule.severity, f"cannot read the shot-spec: {err}", 0, 0, path=str(path))
            ]
        return None, [
            Diagnostic(rule.code, rule.name, rule.severity, f"cannot read the shot-spec: {err}", where.start, where.end)
        ]


# -- resolving one shot ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Frame:
    """A frame as the request takes it: its URL (``file://`` for a local file), the local file
    (None for an http(s) URL) and what its checks found."""

    url: str
    path: Path | None
    info: images.ImageInfo


@dataclass(slots=True)
class _Shot:
    """A shot being compiled: its resolved values with their origins, and its findings."""

    shot: Shot
    header: tuple[int, int]
    values: dict[str, tuple[object, Origin]] = field(default_factory=dict)
    found: list[Diagnostic] = field(default_factory=list)
    failed: bool = False
    invalid: set[str] = field(default_factory=set)
    """Settings whose ``@value`` was wrong (HL601): checks that read them are skipped, since the
    value they would see is not the one meant."""

    def valid(self, *keys: str) -> bool:
        return self.invalid.isdisjoint(keys)


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
    ) -> None:
        self.script = script
        self.spec = spec
        self.folder = script_folder(script)
        self.script_name = script.path.name if script.path is not None else "<script>"
        self.spec_path = str(spec.path) if spec is not None and spec.path is not None else None
        self.command_line: dict[str, tuple[object, Origin]] = {}
        if overrides:  # their paths are relative to the working folder (asked only then)
            cwd = Path.cwd()
            self.command_line = {
                key: (value, Origin(COMMAND_LINE, "command line", None, None, cwd)) for key, value in overrides.items()
            }
        self.check_urls = check_urls
        self.client = client
        self.build_requests = True
        self.url_cache: dict[str, images.ImageInfo] = {}
        self.frames: dict[tuple[Path, str], _Frame] = {}
        self.index = LineIndex(script.text)
        # The layers below the script's own settings, worked out once for all shots.
        api = Origin(API_DEFAULT, "API default", None, None, self.folder)
        self.base_layer: dict[str, tuple[object, Origin]] = {key: (value, api) for key, value in API_DEFAULTS.items()}
        self.shot_layers: dict[str, dict[str, tuple[object, Origin]]] = {}
        if spec is not None:
            self.base_layer.update(self.spec_layer(spec, SPEC_DEFAULTS, ("defaults",), spec.defaults.given()))
            for name, table in spec.shots.items():
                self.shot_layers[name] = self.spec_layer(spec, SPEC_SHOT, ("shots", name), table.given())

    def spec_layer(
        self, spec: ShotSpec, level: int, table: tuple[str, ...], given: dict[str, object]
    ) -> dict[str, tuple[object, Origin]]:
        base = spec.path.parent if spec.path is not None else self.folder
        label, header = spec.where(*table), spec.table(*table)
        return {
            key: (value, Origin(level, label, self.spec_path, spec.location(*table, key), base, header))
            for key, value in given.items()
        }

    # where values come from
    def layers(self, shot: Shot, state: _Shot) -> None:
        state.values.update(self.base_layer)
        state.values.update(self.shot_layers.get(shot.name, {}))
        for setting in shot.settings:
            if setting.key not in SETTING_KEYS:  # the parser reports it (HL706)
                continue
            try:
                value = coerce(setting.key, setting.value, text=True)
            except ValueError as err:
                self.report(state, rules.INVALID_SETTING_VALUE, f"@{setting.key} {err}", None, setting.value_span)
                state.invalid.add(setting.key)
                continue
            state.invalid.discard(setting.key)  # a repeated key: the last one wins
            line = self.index.line_of(setting.span.start) + 1
            label = f"@{setting.key} at {self.script_name}:{line}"
            state.values[setting.key] = (value, Origin(SCRIPT, label, None, (setting.span.start, setting.span.end), self.folder))
        state.values.update(self.command_line)

    def report(self, state: _Shot, rule: Rule, message: str, path: str | None, span: tuple[int, int]) -> None:
        start, end = span
        state.found.append(Diagnostic(rule.code, rule.name, rule.severity, message, start, end, path=path))
        if rule.severity is Severity.ERROR:
            state.failed = True

    def at(self, state: _Shot, keys: Iterable[str]) -> tuple[str | None, tuple[int, int]]:
        """Where to point for a finding caused by ``keys``: the located origin closest to the
        shot (highest precedence, first key on a tie), else the shot's header."""
        best: Origin | None = None
        for key in keys:
            entry = state.values.get(key)
            if entry is None or entry[1].span is None:
                continue
            if best is None or entry[1].level > best.level:
                best = entry[1]
        if best is None or best.span is None:
            return None, state.header
        return best.path, best.span

    def value_at(self, state: _Shot, key: str) -> tuple[str | None, tuple[int, int]]:
        """Where the value of ``key`` stands: the value itself for an ``@setting``."""
        origin = state.values[key][1]
        if origin.level == SCRIPT:
            setting = state.shot.setting(key)
            if setting is not None:
                return None, (setting.value_span.start, setting.value_span.end)
        return self.at(state, [key])

    # the checks
    def compile(self, shot: Shot) -> tuple[CompiledShot | None, list[Diagnostic]]:
        state = _Shot(shot, (shot.span.start, shot.name_span.end))
        self.layers(shot, state)
        get = {key: value for key, (value, _origin) in state.values.items()}
        first, last = get.get("first_frame"), get.get("last_frame")
        if needs_first_frame(last is not None, first is not None) and state.valid("first_frame", "last_frame"):
            self.report(
                state,
                rules.LAST_FRAME_WITHOUT_FIRST,
                "a last frame needs a first frame; add @first_frame",
                *self.at(state, ["last_frame"]),
            )
        mode = mode_of(first is not None, last is not None)
        resolution, duration = get["resolution"], get["duration"]
        assert isinstance(resolution, str) and isinstance(duration, int)  # coerced by the layers
        problem = duration_problem(resolution, duration)  # type: ignore[arg-type]
        if problem is not None and state.valid("resolution", "duration"):
            fits = RESOLUTION_TABLE[resolution].durations  # type: ignore[index]
            other = next(
                r for r in reversed(RESOLUTIONS) if duration in RESOLUTION_TABLE[r].durations and offer(r, mode) is Offer.YES
            )
            self.report(
                state,
                rules.RESOLUTION_DURATION,
                f"{problem}; use @duration {fits[0]} or @resolution {other}",
                *self.at(state, ["resolution", "duration"]),
            )
        available = offer(resolution, mode)  # type: ignore[arg-type]
        if available is Offer.NO and state.valid("resolution", "first_frame", "last_frame"):
            self.report(
                state,
                rules.RESOLUTION_MODE,
                f"{resolution} is not available for {mode.value}; use {' or '.join(resolutions_for(mode))}",
                *self.at(state, ["resolution", "last_frame"]),
            )
        if available is Offer.DOUBTFUL and state.valid("resolution", "first_frame"):
            offered = " or ".join(m.value for m in Mode if offer(resolution, m) is Offer.YES)  # type: ignore[arg-type]
            self.report(
                state,
                rules.LOW_RESOLUTION_TEXT,
                f"{resolution} {mode.value}: the official API offers {resolution} for {offered} only",
                *self.at(state, ["resolution"]),
            )
        if (
            get["fast_pretreatment"] is True
            and get["prompt_optimizer"] is False
            and state.valid("fast_pretreatment", "prompt_optimizer")
        ):
            self.report(
                state,
                rules.FAST_PRETREATMENT_UNUSED,
                "fast_pretreatment does nothing while prompt_optimizer is false",
                *self.at(state, ["fast_pretreatment"]),
            )
        if needs_prompt(mode) and not shot.prompt.strip() and state.valid("first_frame"):
            self.report(state, EMPTY_PROMPT, "text-to-video needs a prompt; write one or add @first_frame", *self.at(state, []))
        if len(shot.prompt) > MAX_PROMPT_CHARS:
            start, end = shot.file_offset(MAX_PROMPT_CHARS), shot.file_offset(len(shot.prompt))
            message = (
                f"the prompt is {len(shot.prompt)} characters after joining its lines; the API takes at most {MAX_PROMPT_CHARS}"
            )
            self.report(state, PROMPT_TOO_LONG, message, None, (start, end))
        frames = {role: self.frame(state, role) for role in IMAGE_ROLES if get.get(role) is not None}
        first_info, last_info = frames.get("first_frame"), frames.get("last_frame")
        if (
            first_info
            and last_info
            and first_info.info.size
            and last_info.info.size
            and first_info.info.size != last_info.info.size
        ):
            (fw, fh), (lw, lh) = first_info.info.size, last_info.info.size
            self.report(
                state,
                rules.FRAME_SIZE_MISMATCH,
                f"the last frame is {lw}x{lh} px and the first {fw}x{fh} px; the last frame will be cropped to match",
                *self.value_at(state, "last_frame"),
            )
        if state.failed or not self.build_requests:
            return None, state.found
        return self.build(state, get, mode, frames), state.found

    def frame(self, state: _Shot, role: str) -> _Frame:
        """Check one frame (once per compile for each file or URL) and report its problems."""
        reference = str(state.values[role][0])
        origin = state.values[role][1]
        found = self.frames.get((origin.base, reference))
        if found is None:
            found = self.frames[(origin.base, reference)] = self.resolve_frame(reference, origin.base)
        if found.info.problems:
            where = self.value_at(state, role)
            quoted = json.dumps(reference if len(reference) <= 60 else reference[:40] + "…", ensure_ascii=False)
            shown = f"{IMAGE_ROLES[role]} {quoted}"
            if origin.table:
                shown = f"{origin.table} {shown}"
            for p in found.info.problems:
                self.report(state, BY_CODE[p.code], f"{shown} {p.message}", *where)
        return found

    def resolve_frame(self, reference: str, base: Path) -> _Frame:
        """A frame reference as the request takes it (``file://`` for a local file) and its checks."""
        local = images.local_path(reference)
        if local is None and images.is_url(reference):
            problem = images.url_problem(reference)
            if problem is not None:
                return _Frame(reference, None, images.ImageInfo(problems=(problem,)))
            return _Frame(reference, None, self.probe(reference) if self.check_urls else images.ImageInfo())
        path = local if local is not None else _user_path(reference)
        if "\0" in str(path):  # only editor text or a file: URL's %00 can hold one; resolve() would raise
            problem = images.ImageProblem(rules.IMAGE_MISSING.code, f"cannot be read: {_NUL_NAME}")
            return _Frame(reference, None, images.ImageInfo(problems=(problem,)))
        if not path.is_absolute():
            path = base / path
        path = path.resolve()
        return _Frame(_uri(path), path, images.check_image(path))

    def probe(self, url: str) -> images.ImageInfo:
        if url not in self.url_cache:
            if self.client is None:
                import httpx

                self.client = httpx.Client(timeout=_HTTP_TIMEOUT, follow_redirects=True)
            self.url_cache[url] = images.probe_url(url, self.client)
        return self.url_cache[url]

    def build(self, state: _Shot, get: dict[str, object], mode: Mode, frames: dict[str, _Frame]) -> CompiledShot:
        shot = state.shot
        # The switches go into the body only when someone set them; the service applies its defaults.
        metadata: dict[str, Any] = {
            field.value: get[key] for key, field in METADATA_SWITCHES.items() if state.values[key][1].level > API_DEFAULT
        }
        if "last_frame" in frames:
            metadata[Metadata.LAST_FRAME_IMAGE.value] = frames["last_frame"].url
        request = VideoRequest(
            prompt=shot.prompt if shot.prompt.strip() else None,
            duration=get["duration"],  # type: ignore[arg-type]
            resolution=get["resolution"],  # type: ignore[arg-type]
            image_urls=[frames["first_frame"].url] if "first_frame" in frames else None,
            metadata=RequestMetadata(**metadata) if metadata else None,
        )
        settings: dict[str, object] = {}
        sources: dict[str, str] = {}
        for key in SETTING_KEYS:
            if key in state.values:
                value, origin = state.values[key]
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
    compiler = _Compiler(script, spec, overrides or {}, check_urls, client)
    compiler.build_requests = build
    wanted = None if names is None else set(names)
    chosen = script.shots if wanted is None else [s for s in script.shots if s.name in wanted]
    compiled: list[CompiledShot] = []
    for shot in chosen:
        result, diagnostics = compiler.compile(shot)
        found.extend((shot.name, d) for d in diagnostics)
        if result is not None:
            compiled.append(result)
    if compiler.client is not None and client is None:
        compiler.client.close()
    return spec, found, compiled


def sorted_findings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Findings in the script first (by offset), then those in other files (by path, offset)."""
    return sorted(diagnostics, key=lambda d: (d.path is not None, d.path or "", d.start, d.code))


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
    return _compile(parsed, spec, overrides, shots, check_urls, config, client)


def _compile(
    script: Script,
    spec: str | Path | None,
    overrides: Mapping[str, object] | None,
    shots: Sequence[str] | None,
    check_urls: bool,
    config: LintConfig | None,
    client: httpx.Client | None,
) -> CompileResult:
    overrides = {key: _override(key, value) for key, value in (overrides or {}).items() if value is not None}
    if shots is not None:
        names = [s.name for s in script.shots]
        for name in shots:
            if name not in names:
                close = difflib.get_close_matches(name, names, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f" (shots: {', '.join(names) or 'none'})"
                raise UnknownShotError(f"no shot named '{name}'{hint}")
    loaded, found, compiled = _check(script, spec, overrides, shots, check_urls, client)
    effective = effective_config(config, loaded)
    syntax = [(_owner(script, d), d) for d in script.diagnostics]
    if shots is not None:  # the findings of the shots left out are not this compile's
        syntax = [(owner, d) for owner, d in syntax if owner is None or owner in shots]
    kept = [(owner, c) for owner, d in [*syntax, *found] if (c := _configured(d, effective, script)) is not None]
    failed = {owner for owner, d in kept if d.severity is Severity.ERROR}
    compiled = [c for c in compiled if c.name not in failed]
    return CompileResult(compiled, sorted_findings(d for _owner_name, d in kept), script, loaded)


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


def configured(d: Diagnostic, config: LintConfig, script: Script) -> Diagnostic | None:
    """A finding at the severity the configuration gives it; None when the configuration or a
    suppression comment of the script silences it."""
    severity = config.severity_for(d.code)
    if severity is None or script.suppresses(d):
        return None
    return d if severity is d.severity else dataclasses.replace(d, severity=severity)


def effective_config(config: LintConfig | None, spec: ShotSpec | None) -> LintConfig:
    """The configuration for a script: its spec's ``[lint]`` table on top of the one given."""
    config = config or LintConfig()
    return config if spec is None or spec.lint is None else config.merged(**spec.lint_overrides())


def compile_checks(script: Script, config: LintConfig, path: Path | None) -> list[Diagnostic]:
    """The compile findings for ``hailuo lint``, at each rule's own severity (the caller applies
    the configuration and suppressions). The prompt rules (HL501, HL502) are left out: the
    prompt linter reports them already. ``path`` stands in for ``script.path`` when that is None."""
    if script.path is None and path is not None:
        script = Script(script.text, path, script.spec, script.shots, script.comments, script.suppressions, script.diagnostics)
    _spec, found, _compiled = _check(script, None, None, None, False, None, build=False)
    return sorted_findings(d for _owner_name, d in found if d.code not in _PROMPT_CODES)


__all__ = [
    "API_DEFAULTS",
    "CompileError",
    "CompileResult",
    "CompiledShot",
    "UnknownShotError",
    "compile_checks",
    "compile_script",
    "configured",
    "effective_config",
    "load_script_spec",
    "sorted_findings",
]
