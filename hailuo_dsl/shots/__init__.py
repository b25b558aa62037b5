"""``.shot`` scripts: a storyboard of named shots, each a prompt plus settings, compiled with a
shot-spec (TOML) into validated API requests. See ``docs/shot-format.md``."""

from __future__ import annotations

from hailuo_dsl.shots.compiler import compile_script
from hailuo_dsl.shots.formatter import format_script
from hailuo_dsl.shots.parser import ScriptReadError, load_script, parse_script
from hailuo_dsl.shots.result import CompiledShot, CompileError, CompileResult
from hailuo_dsl.shots.settings import SETTINGS, SettingInfo
from hailuo_dsl.shots.spec import ShotSpec, load_spec, parse_spec
from hailuo_dsl.shots.syntax import Comment, PromptLine, Script, Setting, Shot, SpecRef, Suppression

__all__ = [
    "SETTINGS",
    "Comment",
    "CompileError",
    "CompileResult",
    "CompiledShot",
    "PromptLine",
    "Script",
    "ScriptReadError",
    "Setting",
    "SettingInfo",
    "Shot",
    "ShotSpec",
    "SpecRef",
    "Suppression",
    "compile_script",
    "format_script",
    "load_script",
    "load_spec",
    "parse_script",
    "parse_spec",
]
