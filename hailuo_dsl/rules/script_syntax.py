"""HL7xx: the rules of ``.shot`` script syntax (shot headers, settings, names), reported by the script
parser in ``hailuo_dsl.shots``."""

from __future__ import annotations

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Rule, script_rule

empty_script = script_rule(
    "HL701",
    "empty-script",
    Severity.WARNING,
    "A script with no shots",
    """
    The file holds no ``shot NAME`` header, so there is nothing to compile or render. A shot
    begins with ``shot`` at column 0, followed by its name; its settings and prompt are indented.

    Bad:  ``A mouse runs toward the camera [Push in].`` (no header)
    Good: ``shot opening`` then ``  A mouse runs toward the camera [Push in].``
    """,
)

text_outside_shot = script_rule(
    "HL702",
    "text-outside-shot",
    Severity.ERROR,
    "Text that belongs to no shot",
    """
    Column 0 holds only ``shot`` headers, the ``spec`` line, comments and blank lines; everything a
    shot holds is indented below its header. Unindented text (or indented text before the first
    shot) would otherwise be read as part of no prompt, so it is an error rather than a guess.
    Inside a shot, an unindented ``@setting`` is fixed by indenting it.

    Bad:  ``shot opening`` then ``A mouse runs toward the camera.`` (not indented)
    Good: ``shot opening`` then ``  A mouse runs toward the camera.``
    """,
    fixable=True,
)

invalid_shot_name = script_rule(
    "HL703",
    "invalid-shot-name",
    Severity.ERROR,
    "A shot header without a valid name",
    """
    A shot's name follows ``shot`` on its header line: a letter or digit, then letters, digits,
    ``_``, ``.`` or ``-`` (no spaces). Names select shots on the command line, in the shot-spec's
    ``[shots.NAME]`` tables and in the render journal.

    Bad:  ``shot the opening``
    Good: ``shot the-opening``
    """,
    fixable=True,
)

duplicate_shot_name = script_rule(
    "HL704",
    "duplicate-shot-name",
    Severity.ERROR,
    "Two shots with the same name",
    """
    Shot names must be unique within a script: the shot-spec, the command line and the render
    journal find shots by name, so a second shot of the same name would be unreachable or
    overwrite the first one's video.

    Bad:  ``shot opening`` ... ``shot opening``
    Good: ``shot opening`` ... ``shot opening-2``
    """,
)

setting_outside_shot = script_rule(
    "HL705",
    "setting-outside-shot",
    Severity.ERROR,
    "A setting before the first shot",
    """
    ``@key value`` settings belong to the shot whose header comes before them. Defaults for every
    shot go in the shot-spec's ``[defaults]`` table (see ``docs/shot-spec.md``).

    Bad:  ``  @duration 10`` before ``shot opening``
    Good: ``[defaults]`` / ``duration = 10`` in the spec, or ``@duration 10`` under each shot
    """,
)

unknown_setting = script_rule(
    "HL706",
    "unknown-setting",
    Severity.ERROR,
    "A setting key that does not exist",
    """
    The keys are ``model``, ``duration``, ``resolution``, ``first_frame``, ``last_frame``,
    ``prompt_optimizer``, ``fast_pretreatment`` and ``watermark``. A mistyped key would be
    silently ignored, so it is an error; where one key is meant, the fix writes it. To start a
    prompt line with a literal ``@``, write ``\\@``.

    Bad:  ``@durration 10``
    Good: ``@duration 10``
    """,
    fixable=True,
)

setting_syntax = script_rule(
    "HL707",
    "setting-syntax",
    Severity.ERROR,
    "A setting or spec line that is not 'key value'",
    """
    A setting is ``@key value`` and the spec line is ``spec value``: exactly one value, a bare
    word or a double-quoted string (``\\"`` and ``\\\\`` are its escapes). A value with spaces must
    be quoted; a trailing ``# comment`` needs a space before the ``#``.

    Bad:  ``@first_frame frames/my mouse.png``
    Good: ``@first_frame "frames/my mouse.png"``
    """,
)

unterminated_string = script_rule(
    "HL708",
    "unterminated-string",
    Severity.ERROR,
    "A quoted value without its closing quote",
    """
    A double-quoted value ends at the next ``"`` on the same line that is not escaped as ``\\"``.
    Without it, where the value ends is a guess.

    Bad:  ``@first_frame "frames/mouse.png``
    Good: ``@first_frame "frames/mouse.png"``
    """,
)

repeated_setting = script_rule(
    "HL709",
    "repeated-setting",
    Severity.WARNING,
    "The same setting twice in one shot",
    """
    A shot sets each key once. When a key is repeated the last value wins, which is rarely what
    the first line's author expected; remove one of them.

    Bad:  ``@duration 6`` ... ``@duration 10`` in one shot
    Good: ``@duration 10``
    """,
)

setting_after_prompt = script_rule(
    "HL710",
    "setting-after-prompt",
    Severity.WARNING,
    "A setting among or after the prompt lines",
    """
    A setting applies to the whole shot wherever it stands, but one written after the prompt has
    begun reads as if it applied only to the text after it. Put the settings first, directly
    under the header; the fix moves the line there. (To start a prompt line with a literal ``@``,
    write ``\\@``.)

    Bad:  ``shot a`` / ``  A boat drifts.`` / ``  @duration 10``
    Good: ``shot a`` / ``  @duration 10`` / ``  A boat drifts.``
    """,
    fixable=True,
)

misplaced_spec = script_rule(
    "HL711",
    "misplaced-spec",
    Severity.ERROR,
    "A spec line after the first shot, or a second one",
    """
    A script names at most one shot-spec, with ``spec "file.toml"`` at column 0 before the first
    shot, so the file says at its top what it is compiled with.

    Bad:  ``shot opening`` ... ``spec "launch.toml"``
    Good: ``spec "launch.toml"`` then ``shot opening``
    """,
)

bad_suppression = script_rule(
    "HL712",
    "bad-suppression",
    Severity.WARNING,
    "A suppression comment that silences nothing",
    """
    ``# hailuo: ignore CODES`` (the next line), ``# hailuo: ignore-shot CODES`` (the shot) and
    ``# hailuo: ignore-file CODES`` (the file) take rule codes (``HL303``), prefixes (``HL6``,
    ``HL6xx``) or rule names, separated by commas or spaces; a reason may follow after ``--``.
    An unknown word, an unknown code or an ``ignore-shot`` outside any shot would silently
    silence nothing.

    Bad:  ``# hailuo: ignroe HL303``
    Good: ``# hailuo: ignore HL303 -- three moves are intended here``
    """,
)

indented_header = script_rule(
    "HL713",
    "indented-header",
    Severity.WARNING,
    "A prompt line that looks like an indented shot header",
    """
    An indented ``shot NAME`` line is prompt text of the shot above (only column 0 starts a
    shot), so the two shots' prompts would silently run together. If a new shot is meant, the
    (unsafe) fix moves the header to column 0; if it is prose, silence the rule on that line with
    ``# hailuo: ignore HL713``.

    Bad:  ``shot a`` / ``  A cat.`` / ``  shot b`` / ``  A dog.``
    Good: ``shot a`` / ``  A cat.`` / ``shot b`` / ``  A dog.``
    """,
    fixable=True,
)

RULES: tuple[Rule, ...] = (
    empty_script,
    text_outside_shot,
    invalid_shot_name,
    duplicate_shot_name,
    setting_outside_shot,
    unknown_setting,
    setting_syntax,
    unterminated_string,
    repeated_setting,
    setting_after_prompt,
    misplaced_spec,
    bad_suppression,
    indented_header,
)
