"""The rule registry: every rule, in code order. Add a prompt rule by adding its module here; the
rules of ``.shot`` scripts are declared in ``script_syntax`` (HL7xx) and ``script_compile`` (HL6xx)."""

from __future__ import annotations

from hailuo_dsl.rules import (
    hl001_unclosed_bracket,
    hl002_stray_bracket,
    hl003_nested_brackets,
    hl004_empty_bracket,
    hl005_empty_item,
    hl006_fullwidth_bracket,
    hl007_fullwidth_comma,
    hl101_directive_spelling,
    hl102_directive_typo,
    hl103_truncated_directive,
    hl104_category_label,
    hl105_unknown_film_term,
    hl106_adverb_in_bracket,
    hl107_unknown_directive,
    hl201_too_many_moves,
    hl202_duplicate_move,
    hl203_contradictory_moves,
    hl204_static_with_move,
    hl301_then_in_bracket,
    hl302_adjacent_brackets,
    hl303_move_budget,
    hl401_placeholder,
    hl402_label_bracket,
    hl501_prompt_too_long,
    hl502_empty_prompt,
    hl503_code_comment,
    hl504_prose_camera_move,
    script_compile,
    script_syntax,
)
from hailuo_dsl.rules.base import Context, Finding, Options, Rule

PROMPT_RULES: tuple[Rule, ...] = (
    hl001_unclosed_bracket.unclosed_bracket,
    hl002_stray_bracket.stray_bracket,
    hl003_nested_brackets.nested_brackets,
    hl004_empty_bracket.empty_bracket,
    hl005_empty_item.empty_item,
    hl006_fullwidth_bracket.fullwidth_bracket,
    hl007_fullwidth_comma.fullwidth_comma,
    hl101_directive_spelling.directive_spelling,
    hl102_directive_typo.directive_typo,
    hl103_truncated_directive.truncated_directive,
    hl104_category_label.category_label,
    hl105_unknown_film_term.unknown_film_term,
    hl106_adverb_in_bracket.adverb_in_bracket,
    hl107_unknown_directive.unknown_directive,
    hl201_too_many_moves.too_many_moves,
    hl202_duplicate_move.duplicate_move,
    hl203_contradictory_moves.contradictory_moves,
    hl204_static_with_move.static_with_move,
    hl301_then_in_bracket.then_in_bracket,
    hl302_adjacent_brackets.adjacent_brackets,
    hl303_move_budget.move_budget,
    hl401_placeholder.placeholder,
    hl402_label_bracket.label_bracket,
    hl501_prompt_too_long.prompt_too_long,
    hl502_empty_prompt.empty_prompt,
    hl503_code_comment.code_comment,
    hl504_prose_camera_move.prose_camera_move,
)
RULES: tuple[Rule, ...] = tuple(sorted(PROMPT_RULES + script_syntax.RULES + script_compile.RULES, key=lambda r: r.code))
BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}

__all__ = ["BY_CODE", "BY_NAME", "PROMPT_RULES", "RULES", "Context", "Finding", "Options", "Rule"]
