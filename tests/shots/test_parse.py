"""The ``.shot`` parser: trees with exact spans, the fast scanner equal to the Lark grammar."""

from __future__ import annotations

from hailuo_dsl.shots import parse_script
from hailuo_dsl.shots.parser import lark_lines, scan_lines


def test_example_tree(example: str) -> None:
    script = parse_script(example)
    assert script.diagnostics == []
    assert script.spec is not None and script.spec.value == "launch.toml"
    assert [s.name for s in script.shots] == ["opening", "growing-up"]
    opening = script.shots[0]
    assert [(s.key, s.value) for s in opening.settings] == [("duration", "10"), ("first_frame", "frames/mouse.png")]
    assert opening.prompt == (
        "A mouse runs toward the camera, smiling and blinking [Push in], then stops and looks up at the sky [Static shot]."
    )
    for i, char in enumerate(opening.prompt):
        if char != " " or example[opening.file_offset(i)] == " ":
            assert example[opening.file_offset(i)] == char


def test_scanner_equals_lark_on_example(example: str) -> None:
    assert scan_lines(example) == lark_lines(example)
