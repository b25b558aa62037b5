"""The editor grammars: valid JSON, Python-compatible regexes, and the scopes they give a sample."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from textmate import Token, tokenize

from hailuo_dsl.prompt.directives import DIRECTIVES

VSCODE = Path(__file__).resolve().parents[2] / "editors" / "vscode"

SAMPLE = """\
# launch.shot
spec "launch.toml"   # the spec

shot opening
  @duration 10
  @first_frame "frames/mouse.png"
  @prompt_optimizer false
  @resolution 512P  # hailuo: ignore HL601
  # hailuo: ignore HL102,HL303
  A mouse runs toward the camera [Push in, Zoom out],
  then stops [Pan lfet] and looks up [Static shot].
  \\@home is prose

stray text at column 0
shot growing-up
  A girl grows up [Pan left,Pedestal up][ Tilt up ].
"""


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VSCODE / "syntaxes" / name).read_text(encoding="utf-8"))
    return data


def regexes(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k in ("match", "begin", "end") and isinstance(v, str)]
        return found + [r for v in node.values() for r in regexes(v)]
    if isinstance(node, list):
        return [r for v in node for r in regexes(v)]
    return []


def scopes_of(tokens: list[Token], line: int, text: str) -> tuple[str, ...]:
    """The scopes of ``text`` on ``line``: every character of it must share them."""
    for token in tokens:
        if token.line == line and text in token.text:
            return token.scopes
    raise AssertionError(f"no single token holds {text!r} on line {line}: {[t for t in tokens if t.line == line]}")


@pytest.mark.parametrize("name", ["shot.tmLanguage.json", "prompt.tmLanguage.json"])
def test_grammar_is_valid_json_with_python_regexes(name: str) -> None:
    grammar = load(name)
    assert grammar["scopeName"].startswith("source.")
    found = regexes(grammar)
    assert found
    for source in found:
        re.compile(source)
    # Every include names an entry of the repository.
    includes = re.findall(r'"include": "#([^"]+)"', json.dumps(grammar))
    assert set(includes) <= set(grammar["repository"])


@pytest.mark.parametrize("name", ["shot.tmLanguage.json", "prompt.tmLanguage.json"])
def test_grammar_knows_exactly_the_fifteen_directives_by_both_names(name: str) -> None:
    exact, loose = load(name)["repository"]["brackets"]["patterns"][:2]
    names = re.search(r"\(([A-Z][^()]*)\)", exact["match"])
    assert names is not None
    assert sorted(names.group(1).split("|")) == sorted(n for d in DIRECTIVES for n in d.names)
    spaced = re.search(r"\(\?i:([^()]*)\)", loose["match"])
    assert spaced is not None
    assert sorted(n.replace("[ \\t]+", " ") for n in spaced.group(1).split("|")) == sorted(d.name for d in DIRECTIVES)


def test_spec_values_and_spellings_have_scopes_of_their_own() -> None:
    tokens = tokenize(load("shot.tmLanguage.json"), "spec looks/launch.toml\nshot a\n  A cat [Pan Left, pan  left, Pan lfet].\n")
    assert "constant.other.path.shot" in scopes_of(tokens, 0, "looks/launch.toml")
    assert not any(s.startswith("string.") for s in scopes_of(tokens, 0, "looks/launch.toml"))
    for item in ("Pan Left", "pan  left"):
        assert "invalid.deprecated.directive-spelling.shot" in scopes_of(tokens, 2, item), item
    assert "invalid.illegal.unknown-directive.shot" in scopes_of(tokens, 2, "Pan lfet")


def test_shot_sample_scopes() -> None:
    tokens = tokenize(load("shot.tmLanguage.json"), SAMPLE)
    assert "comment.line.number-sign.shot" in scopes_of(tokens, 0, "launch.shot")
    assert "keyword.control.spec.shot" in scopes_of(tokens, 1, "spec")
    assert "string.quoted.double.shot" in scopes_of(tokens, 1, '"launch.toml"')
    assert "comment.line.number-sign.shot" in scopes_of(tokens, 1, "the spec")
    assert "keyword.control.shot.shot" in scopes_of(tokens, 3, "shot")
    assert "entity.name.section.shot" in scopes_of(tokens, 3, "opening")
    assert "variable.other.property.setting.shot" in scopes_of(tokens, 4, "duration")
    assert "punctuation.definition.setting.shot" in scopes_of(tokens, 4, "@")
    assert "constant.numeric.shot" in scopes_of(tokens, 4, "10")
    assert "string.quoted.double.shot" in scopes_of(tokens, 5, '"frames/mouse.png"')
    assert "constant.language.boolean.shot" in scopes_of(tokens, 6, "false")
    assert "string.unquoted.shot" in scopes_of(tokens, 7, "512P")
    assert "keyword.other.suppression.shot" in scopes_of(tokens, 7, "hailuo: ignore")
    assert "keyword.other.suppression.shot" in scopes_of(tokens, 8, "hailuo: ignore")
    assert "constant.other.rule-code.shot" in scopes_of(tokens, 8, "HL102,HL303")
    # Known directives and unknown bracket contents differ; prose has no scope of its own.
    for line, name in (
        (9, "Push in"),
        (9, "Zoom out"),
        (10, "Static shot"),
        (15, "Pan left"),
        (15, "Pedestal up"),
        (15, "Tilt up"),
    ):
        assert "support.function.directive.shot" in scopes_of(tokens, line, name), name
    assert "invalid.illegal.unknown-directive.shot" in scopes_of(tokens, 10, "Pan lfet")
    assert scopes_of(tokens, 9, "A mouse runs toward the camera") == ("source.shot",)
    assert "punctuation.section.brackets.begin.shot" in scopes_of(tokens, 9, "[")
    assert "punctuation.separator.comma.shot" in scopes_of(tokens, 9, ",")
    assert "constant.character.escape.shot" in scopes_of(tokens, 11, "\\@")
    assert scopes_of(tokens, 11, "home is prose") == ("source.shot",)
    assert "invalid.illegal.unindented-text.shot" in scopes_of(tokens, 13, "stray text")
    assert "entity.name.section.shot" in scopes_of(tokens, 14, "growing-up")


@pytest.mark.parametrize("name", ["shot.tmLanguage.json", "prompt.tmLanguage.json"])
def test_chinese_names_are_directives(name: str) -> None:
    tokens = tokenize(load(name), "shot a\n  一只猫跑过来 [左摇,上升] [变焦推近, Pan left] [左摇，上升]\n")
    scope = "support.function.directive." + ("shot" if name.startswith("shot") else "hailuo-prompt")
    for item in ("左摇", "上升", "变焦推近", "Pan left"):
        assert scope in scopes_of(tokens, 1, item), item
    assert any(s.startswith("invalid.illegal.unknown-directive") for s in scopes_of(tokens, 1, "左摇，上升"))


def test_unclosed_bracket_ends_at_the_line_break() -> None:
    tokens = tokenize(load("shot.tmLanguage.json"), "shot a\n  A cat [Pan left\n  runs [Zoom in].\n")
    assert "support.function.directive.shot" in scopes_of(tokens, 1, "Pan left")
    assert scopes_of(tokens, 2, "runs") == ("source.shot",)
    assert "support.function.directive.shot" in scopes_of(tokens, 2, "Zoom in")


def test_prompt_sample_scopes() -> None:
    tokens = tokenize(load("prompt.tmLanguage.json"), "A cat [pan left] then [Pan left, Zoom in] [Pna left].")
    assert "invalid.deprecated.directive-spelling.hailuo-prompt" in scopes_of(tokens, 0, "pan left")
    assert "support.function.directive.hailuo-prompt" in scopes_of(tokens, 0, "Pan left")
    assert "invalid.illegal.unknown-directive.hailuo-prompt" in scopes_of(tokens, 0, "Pna left")
    assert scopes_of(tokens, 0, "A cat") == ("source.hailuo-prompt",)
    # Every scope the prompt grammar gives is its own.
    assert all(s.endswith(".hailuo-prompt") for t in tokens for s in t.scopes)


def test_package_json_points_at_existing_files() -> None:
    package = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    contributes = package["contributes"]
    for entry in contributes["languages"]:
        assert (VSCODE / entry["configuration"]).is_file()
        json.loads((VSCODE / entry["configuration"]).read_text(encoding="utf-8"))
    for entry in contributes["grammars"]:
        assert load(Path(entry["path"]).name)["scopeName"] == entry["scopeName"]
    assert (VSCODE / package["main"]).is_file()
    assert "vscode-languageclient" in package["dependencies"]
    # What `vsce package` asks about (it must run without questions in CI): a licence, and a
    # repository, which the project has no public URL for: packaging says so instead.
    assert (VSCODE / "LICENSE").is_file()
    assert "repository" not in package and "--allow-missing-repository" in package["scripts"]["package"]
    assert package["license"] in (VSCODE / "LICENSE").read_text(encoding="utf-8")


def test_pre_commit_hooks() -> None:
    text = (VSCODE.parents[1] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    hooks = dict(re.findall(r"- id: (\S+)\n(?:  .*\n)*?  entry: (.+)", text))
    assert hooks == {"hailuo-lint": "hailuo lint", "hailuo-fmt": "hailuo fmt"}
    files = re.findall(r"files: (.+)", text)
    assert len(files) == 2
    for pattern in files:
        assert re.search(pattern, "scenes/launch.shot") and re.search(pattern, "a.prompt")
        assert not re.search(pattern, "notes.txt")
