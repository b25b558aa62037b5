"""The shot-spec: models, value rules, and every error located at its key in the TOML text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots.precedence import SETTING_KEYS, coerce
from hailuo_dsl.shots.settings import SETTINGS
from hailuo_dsl.shots.spec import SpecError, load_spec, locate_keys, parse_spec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

GOOD = """\
# launch.toml
[defaults]
resolution = "768p"          # either case
prompt_optimizer = false

[lint]
ignore = ["HL504"]
move-budget = { 6 = 2, 10 = 4 }

[shots.opening]
duration = 10
first_frame = "frames/mouse.png"

[shots."growing-up"]
last_frame = "frames/woman.png"
"""


def where(text: str, d: Diagnostic) -> tuple[int, int]:
    """1-based line and column of a diagnostic in ``text``."""
    pos = LineIndex(text).position(d.start)
    return pos.line + 1, pos.column + 1


def only(text: str) -> Diagnostic:
    spec, found = parse_spec(text, "launch.toml")
    assert spec is None
    assert len(found) == 1, found
    assert found[0].path == "launch.toml"
    return found[0]


def test_a_good_spec() -> None:
    spec, found = parse_spec(GOOD, "launch.toml")
    assert found == [] and spec is not None
    assert spec.defaults.given() == {"resolution": "768P", "prompt_optimizer": False}
    assert spec.shots["opening"].given() == {"duration": 10, "first_frame": "frames/mouse.png"}
    assert spec.shots["growing-up"].last_frame == "frames/woman.png"
    assert spec.lint_overrides() == {"ignore": ["HL504"], "move_budget": {6: 2, 10: 4}}
    assert spec.path == Path("launch.toml")
    assert spec.where("shots", "opening") == "launch.toml [shots.opening]"
    assert spec.where("shots", "growing-up") == "launch.toml [shots.growing-up]"
    line, col = where(GOOD, _at(spec.location("shots", "opening", "duration")))
    assert (line, col) == (11, 1)


def _at(span: tuple[int, int]) -> Diagnostic:
    return Diagnostic("X", "x", __import__("hailuo_dsl").Severity.ERROR, "", span[0], span[1])


def test_the_setting_keys_are_the_settings_table() -> None:
    assert set(SETTING_KEYS) == set(SETTINGS)


def test_a_string_ten_in_toml_is_not_a_number() -> None:
    """In TOML the type counts: ``"10"`` is text (the .shot's ``@duration 10`` is read from text)."""
    assert coerce("duration", "10", text=True) == 10  # from text
    d = only('[defaults]\nduration = "10"\n')
    assert d.code == "HL601"
    assert d.message.endswith("(a string; write 10 without quotes)")


@pytest.mark.parametrize(
    "text",
    [
        "[defaults]\nresolution = 768P\n",
        "[defaults]\nduration = 10\nduration = 6\n",
        "[shots.opening\nduration = 10\n",
        'a = "unterminated\n',
        "[defaults]\n\n\nwatermark = tru\n",
    ],
)
def test_toml_syntax_errors_stand_where_the_reader_stopped(text: str) -> None:
    d = only(text)
    assert d.code == "HL615"
    assert d.message.startswith("not valid TOML: ")
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        import re

        found = re.search(r"at line (\d+), column (\d+)", str(err))
        assert found is not None
        assert where(text, d) == (int(found.group(1)), int(found.group(2)))
        assert "(at line" not in d.message


def test_load_spec(tmp_path: Path) -> None:
    path = tmp_path / "launch.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_spec(path).shots["opening"].duration == 10
    with pytest.raises(SpecError, match="no such file"):
        load_spec(tmp_path / "missing.toml")
    path.write_text("[shots.opening]\nduration = 'ten'\n", encoding="utf-8")
    with pytest.raises(SpecError) as err:
        load_spec(path)
    assert str(err.value) == f'{path}:2:1: HL601 shots.opening.duration must be 6 or 10, got "ten"'
    assert len(err.value.diagnostics) == 1
    path.write_bytes(b"[defaults]\nresolution = '\xff'\n")
    with pytest.raises(SpecError, match="not UTF-8"):
        load_spec(path)


def test_locate_keys_follows_every_way_of_writing_a_key() -> None:
    text = """\
title = '''
[shots.fake]  # inside a string
'''
"quoted.key" = 1
[shots . "two words"]
duration = 10 # trailing
[shots.inline]
x = { a = 1, b = { c = "}" } }
list = [1, "]", [2, 3],
  4]
dotted.key = true
"""
    spans = locate_keys(text)

    def at(*keys: str) -> str:
        start, end = spans[keys]
        return text[start:end]

    assert ("shots", "fake") not in spans
    assert at("quoted.key") == '"quoted.key" = 1'
    assert at("shots", "two words") == '[shots . "two words"]'
    assert at("shots", "two words", "duration") == "duration = 10"
    assert at("shots", "inline", "x", "a") == "a = 1"
    assert at("shots", "inline", "x", "b", "c") == 'c = "}"'
    assert at("shots", "inline", "list").startswith("list = [1")
    assert at("shots", "inline", "dotted", "key") == "dotted.key = true"
    assert at("shots", "inline", "dotted") == "dotted.key = true"


_keys = st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=6
)
_values = st.integers(-5, 99) | st.booleans() | st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)


def _key(k: str) -> str:
    import re

    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


@given(st.dictionaries(_keys, st.dictionaries(_keys, _values, max_size=4), max_size=4), st.booleans())
def test_every_written_key_is_located(tables: dict[str, dict[str, object]], inline: bool) -> None:
    lines = []
    for table, pairs in tables.items():
        if inline:
            inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in pairs.items())
            lines.append(f"{_key(table)} = {{ {inner} }}")
        else:
            lines.append(f"[{_key(table)}]")
            lines.extend(f"{_key(k)} = {_value(v)}  # note" for k, v in pairs.items())
    text = "\n".join(lines) + "\n"
    assert tomllib.loads(text) == tables
    spans = locate_keys(text)
    for table, pairs in tables.items():
        for k, v in pairs.items():
            start, end = spans[(table, k)]
            assert text[start:end] == f"{_key(k)} = {_value(v)}"
