"""HL6xx: the compile checks of ``.shot`` scripts and shot-specs (settings, modes, images), reported
by the compiler in ``hailuo_dsl.shots``."""

from __future__ import annotations

from hailuo_dsl.rules.base import Rule

RULES: tuple[Rule, ...] = ()
