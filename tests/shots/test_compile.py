"""The compiler: modes and the validity table, prompts, values, precedence, paths, images, the
request body of contract §2, hashes, and where every finding points."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from images_util import make_image, serve, truncate
from pydantic import ValidationError

from hailuo_dsl.config import LintConfig
from hailuo_dsl.contract.request import RequestMetadata, VideoRequest
from hailuo_dsl.diagnostics import Diagnostic, Severity
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots import CompileError, CompileResult, compile_script, parse_script
from hailuo_dsl.shots.compiler import compile_checks
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


def test_combination_errors_point_at_the_setting_closest_to_the_shot(tmp_path: Path) -> None:
    spec = '[defaults]\nresolution = "1080P"\n'
    result = run(tmp_path, 'spec "a.toml"\nshot long\n  @duration 10\n  City at night.\n', spec)
    assert codes(result) == ["HL604"]
    assert where(result, result.diagnostics[0]) == ("script", 3, 3, "@duration 10")
    result = run(tmp_path, 'spec "a.toml"\nshot long\n  City at night.\n', spec, overrides={"duration": 10})
    assert where(result, result.diagnostics[0]) == ("a.toml", 2, 1, 'resolution = "1080P"')


def test_a_last_frame_needs_a_first_frame(tmp_path: Path) -> None:
    result = run(tmp_path, 'shot end\n  @last_frame "last.png"\n  She grows up.\n', frames={"last.png": (640, 360)})
    assert codes(result) == ["HL603"]
    assert where(result, result.diagnostics[0]) == ("script", 2, 3, '@last_frame "last.png"')
    assert result.shots == []


# -- prompts -----------------------------------------------------------------------------------------


def test_text_to_video_needs_a_prompt_found_at_the_header(tmp_path: Path) -> None:
    result = run(tmp_path, "shot silent\n  @duration 6\n")
    assert codes(result) == ["HL502"]
    assert where(result, result.diagnostics[0]) == ("script", 1, 1, "shot silent")


def test_image_to_video_without_a_prompt_leaves_it_out(tmp_path: Path) -> None:
    result = run(tmp_path, 'shot still\n  @first_frame "first.png"\n', frames={"first.png": (480, 640)})
    assert result.ok and "prompt" not in result.shots[0].request.body()


def test_prompt_length_counts_after_joining(tmp_path: Path) -> None:
    exact = "shot a\n  " + "x" * 999 + "\n  " + "y" * 1000 + "\n"  # 999 + 1 space + 1000 = 2000
    assert run(tmp_path, exact).ok
    over = "shot a\n  " + "x" * 1000 + "\n  " + "y" * 1000 + "\n"  # 2001
    result = run(tmp_path, over)
    assert codes(result) == ["HL501"]
    assert "2001 characters" in result.diagnostics[0].message
    _name, line, column, text = where(result, result.diagnostics[0])
    assert (line, column, text) == (3, 1002, "y")  # the 2001st character: the last y


# -- values of settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "message", "column"),
    [
        ("@duration ten", '@duration must be 6 or 10, got "ten"', 13),
        ("@resolution 720P", '@resolution must be 512P, 768P or 1080P, got "720P"', 15),
        ('@watermark "yes"', '@watermark must be true or false, got "yes"', 14),
        ("@model hailuo-01", '@model must be MiniMax-Hailuo-02, got "hailuo-01"', 10),
        ('@first_frame ""', "@first_frame must be a file path or an http(s) URL, got an empty string", 16),
    ],
)
def test_a_bad_value_is_an_error_at_the_value(tmp_path: Path, setting: str, message: str, column: int) -> None:
    result = run(tmp_path, f"shot a\n  {setting}\n  Waves.\n")
    assert codes(result) == ["HL601"]
    assert result.diagnostics[0].message == message
    assert where(result, result.diagnostics[0])[1:3] == (2, column)
    assert result.shots == []


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


def test_a_bad_value_hides_the_checks_that_would_read_it(tmp_path: Path) -> None:
    """``@resolution 720P`` falls back to the spec's 1080P; a 1080P finding would be about a value
    nobody meant, so only the bad value is reported."""
    result = run(
        tmp_path, 'spec "a.toml"\nshot a\n  @resolution 720P\n  @duration 10\n  Waves.\n', '[defaults]\nresolution = "1080P"\n'
    )
    assert codes(result) == ["HL601"]


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


# -- the request body, exactly as contract §2 -----------------------------------------------------


@pytest.mark.parametrize(
    ("script", "body"),
    [
        (
            "shot city\n  @resolution 1080P\n  City night scene, neon lights flickering, traffic flowing\n",
            {
                "model": "MiniMax-Hailuo-02",
                "prompt": "City night scene, neon lights flickering, traffic flowing",
                "duration": 6,
                "resolution": "1080P",
            },
        ),
        (
            'shot mouse\n  @first_frame "https://example.com/first-frame.jpg"\n  A mouse runs toward the camera, smiling and blinking\n',
            {
                "model": "MiniMax-Hailuo-02",
                "prompt": "A mouse runs toward the camera, smiling and blinking",
                "image_urls": ["https://example.com/first-frame.jpg"],
                "duration": 6,
                "resolution": "768P",
            },
        ),
        (
            'shot girl\n  @first_frame "https://example.com/first.jpg"\n  @last_frame "https://example.com/last.jpg"\n'
            "  A young girl gradually grows into an adult woman\n",
            {
                "model": "MiniMax-Hailuo-02",
                "prompt": "A young girl gradually grows into an adult woman",
                "image_urls": ["https://example.com/first.jpg"],
                "duration": 6,
                "resolution": "768P",
                "metadata": {"last_frame_image": "https://example.com/last.jpg"},
            },
        ),
        (
            "shot book\n  A man picks up a book [Pedestal up],\n  then reads [Static shot].\n",
            {
                "model": "MiniMax-Hailuo-02",
                "prompt": "A man picks up a book [Pedestal up], then reads [Static shot].",
                "duration": 6,
                "resolution": "768P",
            },
        ),
        (
            "shot waves\n  @duration 10\n  @prompt_optimizer true\n  @fast_pretreatment true\n  Waves hitting the beach at sunset\n",
            {
                "model": "MiniMax-Hailuo-02",
                "prompt": "Waves hitting the beach at sunset",
                "duration": 10,
                "resolution": "768P",
                "metadata": {"prompt_optimizer": True, "fast_pretreatment": True},
            },
        ),
    ],
)
def test_bodies_of_the_contract(tmp_path: Path, script: str, body: dict[str, object]) -> None:
    """The contract's example bodies; duration and resolution are always sent (resolved), the
    other fields only when set (the fourth example leaves resolution to the service)."""
    result = run(tmp_path, script)
    assert result.ok, result.diagnostics
    shot = result.shots[0]
    assert shot.request.body() == body
    assert shot.to_json() == {"shot": shot.name, "request": body, "local_images": {}, "request_hash": shot.request_hash()}


# -- images ----------------------------------------------------------------------------------------------


def one_finding(result: CompileResult) -> Diagnostic:
    assert len(result.diagnostics) == 1, result.diagnostics
    assert result.shots == []
    return result.diagnostics[0]


def test_a_missing_image_is_one_finding_at_its_setting(tmp_path: Path) -> None:
    d = one_finding(run(tmp_path, 'shot a\n  @first_frame "frames/mosue.png"\n  Waves.\n'))
    assert d.code == "HL607"
    assert d.message == f'first frame "frames/mosue.png" does not exist ({(tmp_path / "frames/mosue.png").resolve()})'
    result = run(tmp_path, 'shot a\n  @first_frame "frames/mosue.png"\n  Waves.\n')
    assert where(result, d)[1:] == (2, 16, '"frames/mosue.png"')


def test_an_empty_image(tmp_path: Path) -> None:
    (tmp_path / "empty.png").write_bytes(b"")
    d = one_finding(run(tmp_path, 'shot a\n  @first_frame "empty.png"\n'))
    assert (d.code, d.message) == ("HL607", 'first frame "empty.png" is an empty file (0 bytes)')


def test_a_truncated_png(tmp_path: Path) -> None:
    truncate(make_image(tmp_path / "cut.png", (640, 360)), 0.5)
    d = one_finding(run(tmp_path, 'shot a\n  @first_frame "cut.png"\n'))
    assert d.code == "HL608"
    assert d.message.startswith('first frame "cut.png" is a truncated PNG file')


def test_image_problems_from_the_spec_point_at_the_key(tmp_path: Path) -> None:
    spec = '[shots.a]\nduration = 6\nlast_frame = "gone.png"\n'
    result = run(tmp_path, 'spec "a.toml"\nshot a\n  @first_frame "f.png"\n', spec, frames={"f.png": (640, 360)})
    d = one_finding(result)
    assert d.path == str(tmp_path / "a.toml")
    assert where(result, d) == ("a.toml", 3, 1, 'last_frame = "gone.png"')
    assert d.message.startswith('[shots.a] last frame "gone.png" does not exist')


def test_image_problems_name_the_spec_table_whatever_the_spec_is_called(tmp_path: Path) -> None:
    path = project(
        tmp_path, {"a.shot": 'spec "my spec.toml"\nshot a\n  Waves.\n', "my spec.toml": '[defaults]\nfirst_frame = "gone.png"\n'}
    )
    d = one_finding(compile_script(path))
    assert d.message.startswith('[defaults] first frame "gone.png" does not exist')


def test_urls_are_taken_as_they_are_and_data_uris_refused(tmp_path: Path) -> None:
    result = run(tmp_path, 'shot a\n  @first_frame "https://example.com/f.jpg"\n')
    assert result.ok and result.shots[0].local_images == {}
    d = one_finding(run(tmp_path, 'shot a\n  @first_frame "data:image/png;base64,iVBORw0KGgo="\n'))
    assert d.code == "HL613" and d.message.endswith("use a file path or an http(s) URL")


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


def test_a_last_frame_of_another_size_is_a_warning(tmp_path: Path) -> None:
    script = 'shot a\n  @first_frame "first.png"\n  @last_frame "last.png"\n'
    result = run(tmp_path, script, frames={"first.png": (480, 640), "last.png": (640, 360)})
    assert codes(result) == ["HL612"] and result.ok and len(result.shots) == 1
    assert where(result, result.diagnostics[0])[1:] == (3, 15, '"last.png"')


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


def test_fast_pretreatment_without_the_optimizer(tmp_path: Path) -> None:
    result = run(tmp_path, "shot a\n  @prompt_optimizer false\n  @fast_pretreatment true\n  Waves.\n")
    assert codes(result) == ["HL617"] and result.ok


def test_a_spec_table_for_no_shot_is_a_warning(tmp_path: Path) -> None:
    result = run(tmp_path, 'spec "a.toml"\nshot opening\n  Waves.\n', "[shots.openning]\nduration = 10\n")
    assert codes(result) == ["HL616"]
    assert "did you mean [shots.opening]?" in result.diagnostics[0].message
    assert where(result, result.diagnostics[0]) == ("a.toml", 1, 1, "[shots.openning]")
    assert result.shots[0].request.duration == 6


def test_a_broken_spec_compiles_nothing(tmp_path: Path) -> None:
    result = run(tmp_path, 'spec "a.toml"\nshot a\n  Waves.\n', '[shots.a]\nduration = "ten"\n')
    assert codes(result) == ["HL601"] and result.shots == []
    assert where(result, result.diagnostics[0]) == ("a.toml", 2, 1, 'duration = "ten"')


def test_a_missing_spec_is_found_at_the_spec_line(tmp_path: Path) -> None:
    result = run(tmp_path, 'spec "nope.toml"\nshot a\n  Waves.\n')
    assert codes(result) == ["HL614"]
    assert where(result, result.diagnostics[0]) == ("script", 1, 6, '"nope.toml"')


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


def test_syntax_errors_keep_their_shot_out(tmp_path: Path) -> None:
    result = run(tmp_path, "shot a\n  @duration 6 10\n  Waves.\nshot b\n  Waves.\n")
    assert [s.name for s in result.shots] == ["b"]
    assert not result.ok and all(d.code.startswith("HL7") for d in result.diagnostics)


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


def test_compile_checks_leave_the_prompt_rules_to_the_prompt_linter(tmp_path: Path) -> None:
    path = project(
        tmp_path, {"a.shot": 'spec "a.toml"\nshot a\n  @resolution 512P\nshot b\n  @duration 7\n', "a.toml": "[shots.c]\n"}
    )
    script = parse_script(path.read_text(), None)
    found = compile_checks(script, LintConfig(), path)
    assert [d.code for d in found] == ["HL606", "HL601", "HL616"]
    assert found[-1].path == str(tmp_path / "a.toml")


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


# -- golden files: script + spec -> the exact JSON lines (and findings) ----------------------------------

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = "HAILUO_REGENERATE_GOLDEN"


def _portable(text: str) -> str:
    """Output with the golden folder's absolute location replaced by ``<golden>``."""
    return text.replace(GOLDEN.as_uri(), "file://<golden>").replace(str(GOLDEN), "<golden>")


@pytest.mark.parametrize("script", sorted(GOLDEN.glob("*.shot")), ids=lambda p: p.stem)
def test_golden(script: Path) -> None:
    """Compare exactly; to accept a deliberate change run ``HAILUO_REGENERATE_GOLDEN=1 pytest``
    and review the diff."""
    import json
    import os

    from hailuo_dsl.output import FileReport, render

    result = compile_script(script)
    jsonl = "".join(json.dumps(s.to_json(), ensure_ascii=False) + "\n" for s in result.shots)
    reports = [FileReport(script.name, result.script.text, [d for d in result.diagnostics if d.path is None])]
    for spec_path in sorted({d.path for d in result.diagnostics if d.path is not None}):
        found = [d for d in result.diagnostics if d.path == spec_path]
        reports.append(FileReport(Path(spec_path).name, Path(spec_path).read_text(encoding="utf-8"), found))
    actual = {".jsonl": _portable(jsonl), ".findings": _portable(render(reports, "text"))}
    for suffix, text in actual.items():
        expected = script.with_suffix(suffix)
        if os.environ.get(REGENERATE):
            if text:
                expected.write_text(text, encoding="utf-8")
            elif expected.exists():
                expected.unlink()
            continue
        assert text == (expected.read_text(encoding="utf-8") if expected.exists() else ""), f"{expected.name} differs"


def test_compiles_from_a_working_folder_that_was_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "a.shot"
    script.write_text("shot a\n  A lamb on a hill [Push in].\n", encoding="utf-8")
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()  # a shell left in a removed folder: only command-line paths need it
    result = compile_script(script)
    assert result.ok and [s.name for s in result.shots] == ["a"]
