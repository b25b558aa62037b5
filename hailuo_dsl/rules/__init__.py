"""The rule registry: every rule, in code order, one module each (``hlNNN_<name>.py``): the prompt
rules (HL0xx-HL5xx), the compile rules of scripts and shot-specs (HL6xx) and the syntax rules of
scripts (HL7xx). Add a rule by adding its module here (a prompt rule to ``PROMPT_RULES``, a script
rule in :func:`_registry`); each is run by whoever holds the context of the scopes it reads
(``base.Scope``): the prompt linter, the script parser, the compiler. The tables that need the
script rules are made on first use, so linting a prompt loads only the prompt rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
)
from hailuo_dsl.rules.base import Bound, Context, Finding, Options, Rule, Scope, bound, run_checks

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
_LAZY = frozenset(
    {
        "COMPILE_RULES",
        "SYNTAX_RULES",
        "RULES",
        "BY_CODE",
        "BY_NAME",
        "SCRIPT_CHECKS",
        "SPEC_CHECKS",
        "SHOT_CHECKS",
        "FRAME_CHECKS",
    }
)
"""The names that need the script rules too: made on first use (PEP 562), so that linting a
prompt, which runs only ``PROMPT_RULES``, never loads the HL6xx/HL7xx modules."""

if TYPE_CHECKING:
    COMPILE_RULES: tuple[Rule, ...]
    SYNTAX_RULES: tuple[Rule, ...]
    RULES: tuple[Rule, ...]
    """Every rule, in code order."""
    BY_CODE: dict[str, Rule]
    BY_NAME: dict[str, Rule]
    SCRIPT_CHECKS: tuple[Bound, ...]
    SPEC_CHECKS: tuple[Bound, ...]
    SHOT_CHECKS: tuple[Bound, ...]
    FRAME_CHECKS: tuple[Bound, ...]
    """The rules that read a parsed script, a shot-spec, a resolved shot and a frame, each with its
    check over it, in code order: what the script parser and the compiler run."""


def _registry() -> dict[str, object]:
    """The whole registry: the compile rules of scripts and shot-specs (HL6xx), the syntax rules of
    scripts (HL7xx), and the tables over every rule."""
    from hailuo_dsl.rules import (
        hl601_invalid_setting_value,
        hl602_spec_unknown_key,
        hl603_last_frame_only,
        hl604_resolution_duration,
        hl605_resolution_mode,
        hl606_low_resolution_text,
        hl607_image_missing,
        hl608_image_format,
        hl609_image_file_size,
        hl610_image_too_small,
        hl611_image_aspect,
        hl612_frame_size_mismatch,
        hl613_image_reference,
        hl614_spec_unreadable,
        hl615_spec_syntax,
        hl616_spec_unknown_shot,
        hl617_unused_pretreatment,
        hl618_continue_unknown_shot,
        hl619_continue_loop,
        hl620_continue_with_first_frame,
        hl621_continue_first_shot,
        hl622_long_continuity,
        hl701_empty_script,
        hl702_text_outside_shot,
        hl703_invalid_shot_name,
        hl704_duplicate_shot_name,
        hl705_setting_outside_shot,
        hl706_unknown_setting,
        hl707_setting_syntax,
        hl708_unterminated_string,
        hl709_repeated_setting,
        hl710_setting_after_prompt,
        hl711_misplaced_spec,
        hl712_bad_suppression,
        hl713_indented_header,
    )

    compile_rules: tuple[Rule, ...] = (
        hl601_invalid_setting_value.invalid_setting_value,
        hl602_spec_unknown_key.spec_unknown_key,
        hl603_last_frame_only.last_frame_only,
        hl604_resolution_duration.resolution_duration,
        hl605_resolution_mode.resolution_mode,
        hl606_low_resolution_text.low_resolution_text,
        hl607_image_missing.image_missing,
        hl608_image_format.image_format,
        hl609_image_file_size.image_file_size,
        hl610_image_too_small.image_too_small,
        hl611_image_aspect.image_aspect,
        hl612_frame_size_mismatch.frame_size_mismatch,
        hl613_image_reference.image_reference,
        hl614_spec_unreadable.spec_unreadable,
        hl615_spec_syntax.spec_syntax,
        hl616_spec_unknown_shot.spec_unknown_shot,
        hl617_unused_pretreatment.unused_pretreatment,
        hl618_continue_unknown_shot.continue_unknown_shot,
        hl619_continue_loop.continue_loop,
        hl620_continue_with_first_frame.continue_with_first_frame,
        hl621_continue_first_shot.continue_first_shot,
        hl622_long_continuity.long_continuity,
    )
    syntax_rules: tuple[Rule, ...] = (
        hl701_empty_script.empty_script,
        hl702_text_outside_shot.text_outside_shot,
        hl703_invalid_shot_name.invalid_shot_name,
        hl704_duplicate_shot_name.duplicate_shot_name,
        hl705_setting_outside_shot.setting_outside_shot,
        hl706_unknown_setting.unknown_setting,
        hl707_setting_syntax.setting_syntax,
        hl708_unterminated_string.unterminated_string,
        hl709_repeated_setting.repeated_setting,
        hl710_setting_after_prompt.setting_after_prompt,
        hl711_misplaced_spec.misplaced_spec,
        hl712_bad_suppression.bad_suppression,
        hl713_indented_header.indented_header,
    )
    every = tuple(sorted(PROMPT_RULES + compile_rules + syntax_rules, key=lambda r: r.code))
    return {
        "COMPILE_RULES": compile_rules,
        "SYNTAX_RULES": syntax_rules,
        "RULES": every,
        "BY_CODE": {r.code: r for r in every},
        "BY_NAME": {r.name: r for r in every},
        "SCRIPT_CHECKS": bound(every, Scope.SCRIPT),
        "SPEC_CHECKS": bound(every, Scope.SPEC),
        "SHOT_CHECKS": bound(every, Scope.SHOT),
        "FRAME_CHECKS": bound(every, Scope.FRAME),
    }


def __getattr__(name: str) -> object:
    if name in _LAZY:
        globals().update(_registry())
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BY_CODE",
    "BY_NAME",
    "COMPILE_RULES",
    "FRAME_CHECKS",
    "PROMPT_RULES",
    "RULES",
    "SCRIPT_CHECKS",
    "SHOT_CHECKS",
    "SPEC_CHECKS",
    "SYNTAX_RULES",
    "Bound",
    "Context",
    "Finding",
    "Options",
    "Rule",
    "Scope",
    "bound",
    "run_checks",
]
