"""``.shot`` scripts: a storyboard of named shots, each a prompt plus settings, compiled with a
shot-spec (TOML) into validated API requests. See ``docs/shot-format.md``."""

from __future__ import annotations

from hailuo_dsl.shots.syntax import Comment, PromptLine, Script, Setting, Shot, SpecRef, Suppression

__all__ = ["Comment", "PromptLine", "Script", "Setting", "Shot", "SpecRef", "Suppression"]
