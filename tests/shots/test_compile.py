"""The compiler: modes and the validity table, values, precedence, paths, configuration and hashes.
(The request bodies are in ``test_bodies.py``; the cases of each script rule, with where its
findings point, are data: ``tests/shots/cases``.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from images_util import make_image, serve
from pydantic import ValidationError

from hailuo_dsl.config import LintConfig
from hailuo_dsl.contract.request import RequestMetadata, VideoRequest
from hailuo_dsl.diagnostics import Diagnostic, Severity
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots import CompileError, CompileResult, compile_script, parse_script
from hailuo_dsl.shots.result import UnknownShotError


def project(root: Path, files: dict[str, str], frames: dict[str, tuple[int, int]] | None = None) -> Path:
    """Write text files and drawn frames under ``root``; returns the first file's path."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name, size in (frames or {}).items():
        make_image(root / name, size)
    return root / next(iter(files))


def run(
    root: Path, script: str, spec: str | None = None, frames: dict[str, tuple[int, int]] | None = None, **kw: object
) -> CompileResult:
    files = {"a.shot": script}
    if spec is not None:
        files["a.toml"] = spec
    path = project(root, files, frames)
    return compile_script(path, **kw)  # type: ignore[arg-type]


def where(result: CompileResult, d: Diagnostic) -> tuple[str, int, int, str]:
    """(file, line, column, text under the finding) of a diagnostic."""
    text = result.script.text if d.path is None else Path(d.path).read_text(encoding="utf-8")
    pos = LineIndex(text).position(d.start)
    name = "script" if d.path is None else Path(d.path).name
    return name, pos.line + 1, pos.column + 1, text[d.start : d.end]


def codes(result: CompileResult) -> list[str]:
    return [d.code for d in result.diagnostics]


# -- the validity table: every resolution x duration x mode ------------------------------------------

MODES = {
    "text": "",
    "image": '  @first_frame "first.png"\n',
    "first-last": '  @first_frame "first.png"\n  @last_frame "last.png"\n',
}
EXPECTED = {  # (resolution, mode) -> the finding for 6 s and for 10 s (None: compiles clean)
    ("512P", "text"): ("HL606", "HL606"),
    ("512P", "image"): (None, None),
    ("512P", "first-last"): ("HL605", "HL605"),
    ("768P", "text"): (None, None),
    ("768P", "image"): (None, None),
    ("768P", "first-last"): (None, None),
    ("1080P", "text"): (None, "HL604"),
    ("1080P", "image"): (None, "HL604"),
    ("1080P", "first-last"): (None, "HL604"),
}


@pytest.mark.parametrize("resolution", ["512P", "768P", "1080P"])
@pytest.mark.parametrize("duration", [6, 10])
@pytest.mark.parametrize("mode", list(MODES))
def test_every_cell_of_the_table(tmp_path: Path, resolution: str, duration: int, mode: str) -> None:
    script = f"shot cell\n  @resolution {resolution.lower()}\n  @duration {duration}\n{MODES[mode]}  Waves at sunset.\n"
    result = run(tmp_path, script, frames={"first.png": (640, 360), "last.png": (640, 360)})
    expected = EXPECTED[(resolution, mode)][duration == 10]
    assert codes(result) == ([expected] if expected else [])
    compiles = expected in (None, "HL606")
    assert [s.name for s in result.shots] == (["cell"] if compiles else [])
    assert result.ok is compiles
    if compiles:
        request = result.shots[0].request
        assert (request.resolution, request.duration, request.mode.value) == (
            resolution,
            duration,
            {"text": "text-to-video", "image": "image-to-video", "first-last": "first-last-frame"}[mode],
        )
    if expected == "HL606":
        assert result.diagnostics[0].severity is Severity.WARNING
        assert where(result, result.diagnostics[0])[1:] == (2, 3, f"@resolution {resolution.lower()}")


# -- prompts -----------------------------------------------------------------------------------------


def test_image_to_video_without_a_prompt_leaves_it_out(tmp_path: Path) -> None:
    result = run(tmp_path, 'shot still\n  @first_frame "first.png"\n', frames={"first.png": (480, 640)})
    assert result.ok and "prompt" not in result.shots[0].request.body()


# -- values of settings -------------------------------------------------------------------------------


def test_values_are_read_leniently_where_the_api_allows(tmp_path: Path) -> None:
    result = run(tmp_path, "shot a\n  @resolution 1080p\n  @watermark TRUE\n  @model minimax-hailuo-02\n  Waves.\n")
    assert result.ok
    body = result.shots[0].request.body()
    assert body["resolution"] == "1080P" and body["metadata"] == {"aigc_watermark": True} and body["model"] == "MiniMax-Hailuo-02"


def test_bad_overrides_raise() -> None:
    script = parse_script("shot a\n  Waves.\n")
    with pytest.raises(ValueError, match="--duration must be 6 or 10"):
        compile_script(script, overrides={"duration": "8"})
    with pytest.raises(ValueError, match="did you mean 'duration'"):
        compile_script(script, overrides={"durration": 6})


_SETTINGS = st.fixed_dictionaries(
    {},
    optional={
        "resolution": st.sampled_from(["512P", "768P", "1080P", "768p"]),
        "duration": st.sampled_from(["6", "10"]),
        "first_frame": st.just("https://example.com/first.jpg"),
        "last_frame": st.just("https://example.com/last.jpg"),
        "prompt_optimizer": st.sampled_from(["true", "false"]),
        "watermark": st.sampled_from(["true", "false"]),
    },
)


@settings(max_examples=150, deadline=None)
@given(_SETTINGS, st.sampled_from(["", "Waves at sunset [Pull out].", "x" * 2001]))
def test_the_compiler_agrees_with_the_request_model(values: dict[str, str], prompt: str) -> None:
    """Whatever the settings, a shot compiles exactly when the request model accepts the same
    request, and the body holds the values given."""
    text = "shot a\n" + "".join(f"  @{k} {v}\n" for k, v in values.items()) + (f"  {prompt}\n" if prompt else "")
    result = compile_script(parse_script(text))
    metadata: dict[str, object] = {}
    if "last_frame" in values:
        metadata["last_frame_image"] = values["last_frame"]
    for key, field in (("prompt_optimizer", "prompt_optimizer"), ("watermark", "aigc_watermark")):
        if key in values:
            metadata[field] = values[key] == "true"
    try:
        expected = VideoRequest(
            prompt=prompt or None,
            duration=int(values.get("duration", "6")),  # type: ignore[arg-type]
            resolution=values.get("resolution", "768P"),  # type: ignore[arg-type]
            image_urls=[values["first_frame"]] if "first_frame" in values else None,
            metadata=RequestMetadata(**metadata) if metadata else None,  # type: ignore[arg-type]
        )
    except ValidationError:
        assert result.shots == [] and not result.ok
        return
    assert [s.request for s in result.shots] == [expected]
    assert all(d.severity is not Severity.ERROR for d in result.diagnostics)


# -- precedence ----------------------------------------------------------------------------------------

LEVELS = ["API default", "a.toml [defaults]", "a.toml [shots.a]", "@watermark at a.shot:3", "command line"]


@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_each_level_overrides_the_next(tmp_path: Path, level: int) -> None:
    """Each level sets watermark to the opposite of the one below, so the value tells which won."""
    spec = "[defaults]\nwatermark = true\n" if level >= 1 else ""
    spec += "[shots.a]\nwatermark = false\n" if level >= 2 else ""
    setting = "  @watermark true\n" if level >= 3 else ""
    overrides = {"watermark": False} if level >= 4 else None
    result = run(tmp_path, f'spec "a.toml"\nshot a\n{setting}  Waves.\n', spec, overrides=overrides)
    shot = result.shots[0]
    assert shot.sources["watermark"] == LEVELS[level]
    assert shot.settings["watermark"] is (level % 2 == 1)
    assert ("aigc_watermark" in shot.request.body().get("metadata", {})) is (level > 0)


def test_sources_name_every_setting(tmp_path: Path) -> None:
    spec = '[defaults]\nresolution = "1080P"\n[shots.a]\nfirst_frame = "f.png"\n'
    result = run(tmp_path, 'spec "a.toml"\nshot a\n  @duration 6\n  Waves.\n', spec, frames={"f.png": (640, 360)})
    shot = result.shots[0]
    assert shot.sources == {
        "model": "API default",
        "duration": "@duration at a.shot:3",
        "resolution": "a.toml [defaults]",
        "first_frame": "a.toml [shots.a]",
        "prompt_optimizer": "API default",
        "fast_pretreatment": "API default",
        "watermark": "API default",
    }
    assert shot.settings["first_frame"] == (tmp_path / "f.png").resolve().as_uri()
    assert shot.line == 2


# -- paths resolve against the file that names them -----------------------------------------------------


def test_paths_resolve_against_the_file_that_names_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        "story/a.shot": 'spec "../specs/a.toml"\nshot one\n  @first_frame "frames/one.png"\n  Waves.\nshot two\n  Waves.\n',
        "specs/a.toml": '[shots.two]\nfirst_frame = "frames/two.png"\n',
    }
    script = project(tmp_path, files, {"story/frames/one.png": (640, 360), "specs/frames/two.png": (640, 360)})
    make_image(tmp_path / "cwd" / "frames" / "cli.png", (640, 360))
    monkeypatch.chdir(tmp_path / "cwd")
    result = compile_script(script)
    assert result.ok, result.diagnostics
    one, two = result.shots
    assert one.local_images == {"first_frame": (tmp_path / "story/frames/one.png").resolve()}
    assert two.local_images == {"first_frame": (tmp_path / "specs/frames/two.png").resolve()}
    assert one.request.image_urls == [(tmp_path / "story/frames/one.png").resolve().as_uri()]
    from_cli = compile_script(script, overrides={"first_frame": "frames/cli.png"})
    assert {s.local_images["first_frame"] for s in from_cli.shots} == {(tmp_path / "cwd/frames/cli.png").resolve()}


def test_an_explicit_spec_replaces_the_spec_line(tmp_path: Path) -> None:
    script = project(
        tmp_path, {"a.shot": 'spec "a.toml"\nshot a\n  Waves.\n', "a.toml": "[defaults]\nduration = 10\n", "b.toml": ""}
    )
    assert compile_script(script).shots[0].request.duration == 10
    assert compile_script(script, spec=tmp_path / "b.toml").shots[0].request.duration == 6


# -- images ----------------------------------------------------------------------------------------------


def test_urls_are_taken_as_they_are(tmp_path: Path) -> None:
    result = run(tmp_path, 'shot a\n  @first_frame "https://example.com/f.jpg"\n')
    assert result.ok and result.shots[0].local_images == {}


def test_check_urls_probes_each_url_once(tmp_path: Path) -> None:
    routes = {"/f.png": (200, {"Content-Type": "image/png", "Content-Length": "900"})}
    with serve(routes) as base:
        script = f'shot a\n  @first_frame "{base}/f.png"\nshot b\n  @first_frame "{base}/f.png"\nshot c\n  @first_frame "{base}/gone.png"\n'
        unchecked = run(tmp_path, script)
        checked = run(tmp_path, script, check_urls=True)
    assert unchecked.ok and len(unchecked.shots) == 3
    assert [s.name for s in checked.shots] == ["a", "b"]
    assert codes(checked) == ["HL613"]
    assert "answers HTTP 404" in checked.diagnostics[0].message


# -- configuration, suppression, the spec's own findings -------------------------------------------------


def test_warnings_follow_the_configuration_but_api_rules_stay_errors(tmp_path: Path) -> None:
    script = "shot a\n  @resolution 512P\n  Waves.\n"
    assert codes(run(tmp_path, script)) == ["HL606"]
    assert codes(run(tmp_path, script, config=LintConfig(ignore=["HL606"]))) == []
    raised = run(tmp_path, script, config=LintConfig(severity={"HL606": Severity.ERROR}))
    assert not raised.ok and raised.shots == []
    assert codes(run(tmp_path, 'spec "a.toml"\n' + script, "[lint]\nignore = ['low-resolution-text']\n")) == []
    assert codes(run(tmp_path, "shot a\n  @resolution 512P  # hailuo: ignore HL606\n  Waves.\n")) == []
    hard = run(tmp_path, "shot a\n  @resolution 1080P\n  @duration 10\n  Waves.\n", config=LintConfig(ignore=["HL604"]))
    assert codes(hard) == ["HL604"] and not hard.ok


def test_a_spec_table_for_no_shot_is_not_used(tmp_path: Path) -> None:
    result = run(tmp_path, 'spec "a.toml"\nshot opening\n  Waves.\n', "[shots.openning]\nduration = 10\n")
    assert codes(result) == ["HL616"]
    assert result.shots[0].request.duration == 6


def test_paths_no_file_can_have_are_findings_not_exceptions(tmp_path: Path) -> None:
    """A ``~user`` with no home folder, and a NUL character (editor text, a ``file:`` URL's %00)."""
    result = run(tmp_path, 'spec "~no-such-user-here/a.toml"\nshot a\n  Waves.\n')
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("HL614", f"cannot read the shot-spec: {tmp_path / '~no-such-user-here' / 'a.toml'}: no such file")
    ]
    result = compile_script(parse_script('spec "a\0b.toml"\nshot a\n  Waves.\n', tmp_path / "a.shot"))
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("HL614", "cannot read the shot-spec: the file name holds a NUL character")
    ]
    for frame in ("~no-such-user-here/a.png", "a\0b.png", "file:///tmp/a%00b.png"):
        result = compile_script(parse_script(f'shot a\n  @first_frame "{frame}"\n  Waves.\n', tmp_path / "a.shot"))
        assert codes(result) == ["HL607"]
        assert not result.shots


def test_only_the_shots_asked_for(tmp_path: Path) -> None:
    script = project(tmp_path, {"a.shot": "shot opening\n  Waves.\nshot closing\n  Dusk.\n"})
    assert [s.name for s in compile_script(script, shots=["closing"]).shots] == ["closing"]
    with pytest.raises(UnknownShotError, match="did you mean 'opening'"):
        compile_script(script, shots=["openin"])
    script.write_text("shot opening\n  @duration 6 10\n  Waves.\nshot closing\n  Dusk.\n", encoding="utf-8")
    only_closing = compile_script(script, shots=["closing"])
    assert only_closing.ok and [s.name for s in only_closing.shots] == ["closing"]
    assert not compile_script(script).ok


def test_raise_for_errors_lists_file_line_col(tmp_path: Path) -> None:
    result = run(tmp_path, "shot a\n  @duration ten\n  Waves.\n")
    with pytest.raises(CompileError) as err:
        result.raise_for_errors()
    assert str(err.value) == f'{tmp_path / "a.shot"}:2:13: HL601 @duration must be 6 or 10, got "ten"'
    run(tmp_path, "shot a\n  Waves.\n").raise_for_errors()  # no error, no raise


# -- the hash and the uploaded URLs ---------------------------------------------------------------------


def test_request_hash_follows_settings_and_image_bytes_not_the_folder(tmp_path: Path) -> None:
    script = 'shot a\n  @first_frame "f.png"\n  Waves.\n'
    first = run(tmp_path / "one", script, frames={"f.png": (640, 360)}).shots[0]
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    assert run(tmp_path / "two", script).shots[0].request_hash() == first.request_hash()
    assert run(tmp_path / "two", script.replace("Waves.", "Waves!")).shots[0].request_hash() != first.request_hash()
    make_image(tmp_path / "two" / "f.png", (640, 360), color="crimson")
    assert run(tmp_path / "two", script).shots[0].request_hash() != first.request_hash()


def test_resolved_swaps_in_uploaded_urls(tmp_path: Path) -> None:
    script = 'shot a\n  @first_frame "f.png"\n  @last_frame "l.png"\n  Grows.\n'
    shot = run(tmp_path, script, frames={"f.png": (640, 360), "l.png": (640, 360)}).shots[0]
    urls = {
        shot.local_images["first_frame"]: "https://cdn.example/f.png",
        shot.local_images["last_frame"]: "https://cdn.example/l.png",
    }
    request = shot.resolved(urls)
    assert request.image_urls == ["https://cdn.example/f.png"]
    assert request.metadata is not None and request.metadata.last_frame_image == "https://cdn.example/l.png"
    assert shot.request.image_urls == [shot.local_images["first_frame"].as_uri()]  # the compiled request is unchanged
    with pytest.raises(KeyError, match="last frame"):
        shot.resolved({shot.local_images["first_frame"]: "https://cdn.example/f.png"})


def test_compiles_from_a_working_folder_that_was_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "a.shot"
    script.write_text("shot a\n  A lamb on a hill [Push in].\n", encoding="utf-8")
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()  # a shell left in a removed folder: only command-line paths need it
    result = compile_script(script)
    assert result.ok and [s.name for s in result.shots] == ["a"]
