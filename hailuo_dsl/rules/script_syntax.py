"""HL7xx: the rules of ``.shot`` script syntax (shot headers, settings, names), reported by the script
parser in ``hailuo_dsl.shots``."""

from __future__ import annotations

from hailuo_dsl.rules.base import Rule

RULES: tuple[Rule, ...] = ()
