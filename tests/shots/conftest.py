"""Shared fixtures of the ``.shot`` tests: the documented example, and a hypothesis strategy of
generated scripts together with what they mean (for the parser and formatter properties)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import strategies as st

from hailuo_dsl.shots.settings import SETTINGS

EXAMPLE = """\
# launch.shot: a comment is a line whose first non-blank character is '#'
spec "launch.toml"

shot opening  # the hero shot
  @duration 10
  @first_frame "frames/mouse.png"
  A mouse runs toward the camera, smiling and blinking [Push in],
  then stops and looks up at the sky [Static shot].

shot growing-up
  @first_frame "frames/girl.png"
  @last_frame "frames/woman.png"
  A young girl gradually grows into an adult woman [Pan left, Pedestal up].
"""


@dataclass
class Generated:
    """A generated script and what it says: comments, shots with settings and prompt lines."""

    text: str
    comments: list[str] = field(default_factory=list)
    shots: list[tuple[str, list[tuple[str, str]], list[str]]] = field(default_factory=list)


_PIECES = [
    "A cat",
    "walks",
    "[Pan left]",
    "[pan left ,Zoom In]",
    "[Push out]",
    "]",
    "[",
    "東京",
    "🐭",
    ",",
    "then",
    "#",
    "@",
    "\\",
    '"',
]
_prose = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6).map(" ".join)
_indent = st.sampled_from(["  ", "    ", "\t", " \t"])
_blank = st.sampled_from(["", " ", "\t "])
_comment = st.text(st.sampled_from('abc #é🐭"\\@'), max_size=8).map(lambda t: "#" + t.rstrip(" \t"))
_KEYS = [key for key in SETTINGS if key != "continue"]  # it names other shots: tests/shots/cases/continuity.toml
_value = st.text(st.sampled_from('ab 1./#"\\é'), max_size=8)
_name = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,8}", fullmatch=True)


def _written(value: str, quote: bool) -> str:
    bare = value and not any(c in value for c in " \t") and value[0] not in '"#'
    if bare and not quote:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def generated_scripts(draw: st.DrawFn) -> Generated:
    out = Generated("")
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 2))):
        comment = draw(_comment)
        out.comments.append(comment)
        lines.append(comment)
    if draw(st.booleans()):
        lines.append('spec "launch.toml"')
    names = draw(st.lists(_name, min_size=1, max_size=4, unique=True))
    for name in names:
        lines.extend(draw(st.lists(_blank, max_size=2)))
        header = f"shot {name}"
        if draw(st.booleans()):
            comment = draw(_comment)
            header += "  " + comment
            out.comments.append(comment)
        lines.append(header)
        settings: list[tuple[str, str]] = []
        prompt: list[str] = []
        keys = draw(st.lists(st.sampled_from(_KEYS), max_size=3, unique=True))
        items = [("setting", k) for k in keys] + [("prompt", "") for _ in range(draw(st.integers(0, 3)))]
        items += [("comment", "") for _ in range(draw(st.integers(0, 2)))] + [("blank", "")] * draw(st.integers(0, 1))
        for kind, key in draw(st.permutations(items)):
            indent = draw(_indent)
            if kind == "setting":
                value = draw(_value)
                line = f"{indent}@{key} {_written(value, draw(st.booleans()))}"
                if draw(st.booleans()):
                    comment = draw(_comment)
                    line += draw(st.sampled_from([" ", "  ", "\t"])) + comment
                    out.comments.append(comment)
                settings.append((key, value))
                lines.append(line + draw(_blank))
            elif kind == "prompt":
                text = draw(_prose)
                prompt.append(text)
                lines.append(indent + ("\\" + text if text[0] in "@#" else text) + draw(_blank))
            elif kind == "comment":
                comment = draw(_comment)
                out.comments.append(comment)
                lines.append(indent + comment)
            else:
                lines.append(draw(_blank))
        out.shots.append((name, settings, prompt))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    out.text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    return out


@pytest.fixture
def example() -> str:
    return EXAMPLE


@pytest.fixture(scope="session")
def scripts() -> st.SearchStrategy[Generated]:
    """Generated scripts (draw with ``data.draw(scripts)``)."""
    return generated_scripts()
