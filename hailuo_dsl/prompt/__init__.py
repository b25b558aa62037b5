"""The prompt language: prose with bracketed camera directives (contract §6).

- ``parser.parse_prompt``: text to a syntax tree (``syntax``) with exact spans; never raises.
- ``classify.classify``: what a bracket item is (a directive, a near miss, not a move at all).
- ``linter.lint``: the prompt rules over a prompt; ``fixes.fix`` applies their safe fixes until
  the text is stable; ``formatter.format_prompt`` writes directives in their canonical spelling.
- ``positions.LineIndex``: offsets to lines and columns (code points and UTF-16 units).

The package imports nothing itself: the rules import its syntax and classifier while the linter
imports the rules, so each module is imported by its own name (the public API re-exports them
from ``hailuo_dsl``).
"""
