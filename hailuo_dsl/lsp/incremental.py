"""Incremental linting of an open ``.shot`` script: the findings ``hailuo lint`` reports, computed
piece by piece and kept between edits.

The script is cut into pieces that parse alone as in the whole file (``hailuo_dsl.shots.pieces``:
the text before the first shot, then one piece per shot). Each piece's parse and its shots'
findings (prompt rules and shot rules, judged by ``shots.compiler.shot_findings``, the compile's
own path) are kept by the piece's text, the spec and configuration they were computed against (by
identity: both are cached and replaced when they change) and the stamps of the frame files it
names; an edit re-parses and re-checks only the pieces whose text changed.
The syntax rules (HL7xx) judge the whole tree every time, joined from the pieces' trees moved to
file offsets (some judge across shots: a name used twice; some name other lines); the spec's
findings are made again when the script's shot names change. Both are cheap. A script that
cannot be cut is linted whole. A spec the editor has open is read from the editor, not the disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hailuo_dsl.config import LintConfig
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.lsp.watch import Stamp, stamp
from hailuo_dsl.shots import images
from hailuo_dsl.shots.compiler import shot_findings
from hailuo_dsl.shots.findings import configured, effective_config, sorted_findings
from hailuo_dsl.shots.parser import parse_script
from hailuo_dsl.shots.pieces import cut, joined, moved, shifted
from hailuo_dsl.shots.spec import ShotSpec, read_script_spec, read_spec, spec_findings
from hailuo_dsl.shots.spec_keys import SpecRead
from hailuo_dsl.shots.syntax import Script
from hailuo_dsl.textfile import user_path

OpenText = Callable[[Path], "str | None"]
"""The text the editor holds for a file, or None when it is not open there."""
_FRAME_KEYS = ("first_frame", "last_frame")


@dataclass(slots=True)
class _Placed:
    """A piece's tree and findings moved to file offsets, for one place in the file."""

    start: int
    findings_of: list[Diagnostic]
    tree: Script
    findings: list[Diagnostic]


@dataclass(slots=True)
class _Piece:
    """One piece's parse (offsets from the piece's start) and its shots' findings."""

    script: Script
    frame_refs: list[str]
    frame_files: list[Path] | None = None
    checked_for: tuple[object, bool, object, tuple[Stamp, ...]] | None = None
    findings: list[Diagnostic] = field(default_factory=list)
    _placed: _Placed | None = None

    def check(self, spec: ShotSpec | None, spec_ok: bool, config: LintConfig, frames: tuple[Stamp, ...]) -> None:
        """Judge the shots (prompts, settings, frames) unless done already against this spec,
        this configuration and these frames."""
        done = self.checked_for
        if done is None or done[0] is not spec or done[1] != spec_ok or done[2] is not config or done[3] != frames:
            self.findings = shot_findings(self.script, spec, spec_ok, self.script.shots, config)
            self.checked_for = (spec, spec_ok, config, frames)

    def placed(self, start: int) -> _Placed:
        """The tree and the findings moved to where the piece starts in the file."""
        found = self._placed
        if found is None or found.start != start:
            found = self._placed = _Placed(start, [], moved(self.script, start), [])
        if found.findings_of is not self.findings:
            found.findings_of, found.findings = self.findings, [shifted(d, start) for d in self.findings]
        return found


@dataclass(slots=True)
class ScriptLint:
    """What one lint of a script found, and the files it read besides the script: its spec (path
    and the text its findings' offsets count in) and the frames it named, with their stamps."""

    findings: list[Diagnostic]
    spec_path: Path | None
    spec_text: str | None
    read: dict[Path, Stamp]


class ScriptLinter:
    """The pieces of one open script, kept between lints. Not thread-safe: one lint at a time."""

    def __init__(self) -> None:
        self._pieces: dict[str, _Piece] = {}
        self._spec_texts: dict[tuple[Path, str], tuple[ShotSpec | None, SpecRead]] = {}
        self._spec_found: tuple[SpecRead, tuple[str, ...], list[Diagnostic]] | None = None
        self._effective: tuple[object, object, LintConfig] | None = None
        self._spec_frames: tuple[object, dict[str, list[Path]]] | None = None

    def lint(self, text: str, path: Path | None, config: LintConfig, open_text: OpenText) -> ScriptLint:
        """Every finding of the script, as ``hailuo lint`` gives them."""
        pieces = cut(text)
        bounds = [(0, len(text))] if pieces is None else list(zip(pieces, [*pieces[1:], len(text)], strict=True))
        kept: dict[str, _Piece] = {}
        entries: list[tuple[int, _Piece]] = []
        for start, end in bounds:
            piece_text = text[start:end]
            entry = kept.get(piece_text) or self._pieces.get(piece_text)
            if entry is None:
                entry = _parse_piece(piece_text, path)
            kept[piece_text] = entry
            entries.append((start, entry))
        self._pieces = kept

        head = entries[0][1].script  # the text before the first shot, or the whole script
        read: dict[Path, Stamp] = {}
        spec_path, spec, spec_read, spec_text = self._spec(head, path, open_text, read)
        checked = spec_read is None or spec_read.ok  # a spec with errors would compile wrong requests
        effective = self._effective_config(config, spec)
        judged: list[Diagnostic] = []
        trees: list[Script] = []
        for start, entry in entries:
            entry.check(spec, checked, effective, self._frames(entry, spec, path, read) if checked else ())
            if pieces is None:
                judged.extend(entry.findings)
                continue
            placed = entry.placed(start)
            trees.append(placed.tree)
            judged.extend(placed.findings)
        whole = head if pieces is None else joined(text, path, trees)
        found = list(whole.diagnostics)
        if spec_read is not None:
            found.extend(self._spec_findings(spec_read, tuple(shot.name for shot in whole.shots)))
        found.extend(judged)
        findings = sorted_findings(c for d in found if (c := configured(d, effective, whole)) is not None)
        return ScriptLint(findings, spec_path, spec_text, read)

    # -- what the pieces share -------------------------------------------------------------------

    def _spec(
        self, head: Script, path: Path | None, open_text: OpenText, read: dict[Path, Stamp]
    ) -> tuple[Path | None, ShotSpec | None, SpecRead | None, str | None]:
        """The script's spec and what reading it found: from the editor when it has the file
        open, else as the compiler reads it (its stamp taken first, into ``read``); and the text
        the findings' offsets count in (None: the file on disk)."""
        if head.spec is None:
            return None, None, None, None
        spec_path = user_path(head.spec.value)
        if not spec_path.is_absolute():
            spec_path = (path.parent if path is not None else Path()) / spec_path
        held = open_text(spec_path)
        if held is None:
            read[spec_path] = stamp(spec_path)
            spec, spec_read = read_script_spec(head)
            return spec_path, spec, spec_read, None
        key = (spec_path, held)
        if key not in self._spec_texts:
            self._spec_texts = {key: read_spec(held, spec_path)}  # the editor's latest text only
        spec, spec_read = self._spec_texts[key]
        return spec_path, spec, spec_read, held

    def _spec_findings(self, spec_read: SpecRead, names: tuple[str, ...]) -> list[Diagnostic]:
        """What the spec rules find in the spec as read for these shot names, kept while both stay."""
        found = self._spec_found
        if found is None or found[0] is not spec_read or found[1] != names:
            found = self._spec_found = (spec_read, names, spec_findings(spec_read, names))
        return found[2]

    def _effective_config(self, config: LintConfig, spec: ShotSpec | None) -> LintConfig:
        """The spec's ``[lint]`` over the configuration, the same object while both stay the same
        (the pieces' findings are kept by its identity)."""
        if self._effective is None or self._effective[0] is not config or self._effective[1] is not spec:
            self._effective = (config, spec, effective_config(config, spec))
        return self._effective[2]

    def _frames(self, entry: _Piece, spec: ShotSpec | None, path: Path | None, read: dict[Path, Stamp]) -> tuple[Stamp, ...]:
        """The stamps of the local frame files the piece's shots may name (from their settings and
        the spec's tables): a frame saved again re-checks the shots that name it. Each file is
        stamped once per lint, into ``read`` (many shots often name one frame)."""
        if entry.frame_files is None:
            folder = path.parent if path is not None else Path()
            entry.frame_files = [p for ref in entry.frame_refs if (p := _frame_path(ref, folder)) is not None]
        files = entry.frame_files
        if spec is not None:
            by_table = self._spec_frame_files(spec)
            if by_table:
                files = [*files, *by_table.get("", ())]
                for shot in entry.script.shots:
                    files.extend(by_table.get("." + shot.name, ()))
        for file in files:
            if file not in read:
                read[file] = stamp(file)
        return tuple(read[file] for file in files)

    def _spec_frame_files(self, spec: ShotSpec) -> dict[str, list[Path]]:
        """The frame files the spec names, by table (``""``: defaults, ``".NAME"``: a shot's)."""
        if self._spec_frames is None or self._spec_frames[0] is not spec:
            folder = spec.path.parent if spec.path is not None else Path()
            tables = {"": spec.defaults.given(), **{"." + name: t.given() for name, t in spec.shots.items()}}
            named = {
                table: [p for key in _FRAME_KEYS if (p := _frame_path(given.get(key), folder)) is not None]
                for table, given in tables.items()
            }
            files = {table: found for table, found in named.items() if found}
            self._spec_frames = (spec, files)
        return self._spec_frames[1]


def _parse_piece(text: str, path: Path | None) -> _Piece:
    script = parse_script(text, path)
    refs = [s.value for shot in script.shots for s in shot.settings if s.key in _FRAME_KEYS]
    return _Piece(script, refs)


def _frame_path(reference: object, folder: Path) -> Path | None:
    """The local file a frame reference names (as the compiler resolves it), or None for a URL."""
    if not isinstance(reference, str) or not reference:
        return None
    local = images.local_path(reference)
    if local is None and images.is_url(reference):
        return None
    found = local if local is not None else user_path(reference)
    if "\0" in str(found):
        return None
    return found if found.is_absolute() else folder / found
