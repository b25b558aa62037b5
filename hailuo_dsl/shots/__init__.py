"""``.shot`` scripts: a storyboard of named shots, each a prompt plus settings, compiled with a
shot-spec (TOML) into validated API requests. See ``docs/shot-format.md``."""

from __future__ import annotations

from hailuo_dsl.shots.compiler import CompiledShot, CompileError, CompileResult, compile_script
from hailuo_dsl.shots.spec import ShotSpec, load_spec, parse_spec
from hailuo_dsl.shots.syntax import Comment, PromptLine, Script, Setting, Shot, SpecRef, Suppression

__all__ = [
    "Comment",
    "CompileError",
    "CompileResult",
    "CompiledShot",
    "PromptLine",
    "Script",
    "Setting",
    "Shot",
    "ShotSpec",
    "SpecRef",
    "Suppression",
    "compile_script",
    "load_spec",
    "parse_spec",
]
