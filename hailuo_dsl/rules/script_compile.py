"""HL6xx: the compile checks of ``.shot`` scripts and shot-specs (settings, modes, images), reported
by the compiler in ``hailuo_dsl.shots``.

Most of them are rules the API enforces: ``hailuo compile`` refuses a shot that breaks one even
when the rule is ignored in the configuration (ignoring only quiets ``hailuo lint``). The warnings
(HL606, HL612, HL616, HL617) can be silenced like any rule.
"""

from __future__ import annotations

from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.rules.base import Rule, script_rule

INVALID_SETTING_VALUE = script_rule(
    "HL601",
    "invalid-setting-value",
    Severity.ERROR,
    "A setting has a value the API does not take",
    """
    Every setting takes a fixed kind of value: ``duration`` 6 or 10, ``resolution`` 512P, 768P or
    1080P (either case), ``model`` MiniMax-Hailuo-02, the switches ``prompt_optimizer``,
    ``fast_pretreatment`` and ``watermark`` true or false, the frames a path or an http(s) URL.
    In a shot-spec the TOML type counts too: ``duration = "10"`` is a string, not a number.

    Bad:

        shot opening
          @duration ten

    Good:

        shot opening
          @duration 10
    """,
)

UNKNOWN_KEY = script_rule(
    "HL602",
    "spec-unknown-key",
    Severity.ERROR,
    "A shot-spec key that does not exist",
    """
    A shot-spec holds ``[defaults]``, ``[lint]`` and ``[shots.NAME]`` tables; the settings in
    ``[defaults]`` and ``[shots.NAME]`` are the same as the ``@settings`` of a shot (HL706 reports
    a misspelt ``@setting``). A misspelt key would be silently ignored, so it is an error, with the
    nearest known key as suggestion.

    Bad (in launch.toml):

        [shots.opening]
        durration = 10

    Good:

        [shots.opening]
        duration = 10
    """,
)

LAST_FRAME_WITHOUT_FIRST = script_rule(
    "HL603",
    "last-frame-only",
    Severity.ERROR,
    "A last frame without a first frame",
    """
    The mode follows the images: a first frame makes image-to-video, a first and a last frame make
    first-last-frame. A last frame alone is no mode at all; the API rejects it.

    Bad:

        shot growing-up
          @last_frame "frames/woman.png"
          A young girl gradually grows into an adult woman.

    Good:

        shot growing-up
          @first_frame "frames/girl.png"
          @last_frame "frames/woman.png"
          A young girl gradually grows into an adult woman.
    """,
)

RESOLUTION_DURATION = script_rule(
    "HL604",
    "resolution-duration",
    Severity.ERROR,
    "1080P takes only 6-second clips",
    """
    512P and 768P take 6 or 10 seconds; 1080P takes 6 seconds only. The finding points at the
    setting that was given closest to the shot (an ``@setting`` before the spec).

    Bad:

        shot skyline
          @resolution 1080P
          @duration 10
          City night scene, neon lights flickering.

    Good:

        shot skyline
          @resolution 768P
          @duration 10
          City night scene, neon lights flickering.
    """,
)

RESOLUTION_MODE = script_rule(
    "HL605",
    "resolution-mode",
    Severity.ERROR,
    "512P is not available for first-last-frame",
    """
    First-last-frame shots take 768P or 1080P; 512P is for image-to-video (and, with a warning,
    text-to-video).

    Bad:

        shot growing-up
          @resolution 512P
          @first_frame "frames/girl.png"
          @last_frame "frames/woman.png"

    Good:

        shot growing-up
          @resolution 768P
          @first_frame "frames/girl.png"
          @last_frame "frames/woman.png"
    """,
)

LOW_RESOLUTION_TEXT = script_rule(
    "HL606",
    "low-resolution-text",
    Severity.WARNING,
    "512P text-to-video, which the official API does not offer",
    """
    The gateway's table allows 512P for text-to-video, but its own resolution notes and the
    official MiniMax API offer 512P for image-to-video only. The shot compiles; expect the service
    to refuse it or upscale. Silence the rule where you know the gateway takes it.

    Bad:

        shot sketch
          @resolution 512P
          Waves hitting the beach at sunset.

    Good:

        shot sketch
          @resolution 768P
          Waves hitting the beach at sunset.
    """,
)

IMAGE_MISSING = script_rule(
    "HL607",
    "image-missing",
    Severity.ERROR,
    "A frame image that does not exist, is empty or cannot be read",
    """
    A local frame is uploaded before the shot is submitted, so it must be there. Relative paths
    are read from the folder of the file that names them: the ``.shot`` file for ``@first_frame``,
    the shot-spec for its keys, the current folder for the command line.

    Bad:

        @first_frame "frames/mosue.png"

    Good:

        @first_frame "frames/mouse.png"
    """,
)

IMAGE_FORMAT = script_rule(
    "HL608",
    "image-format",
    Severity.ERROR,
    "A frame that is not a whole JPEG, PNG or WebP image",
    """
    Hailuo takes JPEG, PNG and WebP frames. The format is read from the file's bytes, not its name:
    a GIF or a text file named ``.png`` is refused, and so is a file cut short (a PNG without its
    end chunk, a JPEG without its end marker).

    Bad:

        @first_frame "frames/logo.gif"

    Good:

        @first_frame "frames/logo.png"
    """,
)

IMAGE_FILE_SIZE = script_rule(
    "HL609",
    "image-file-size",
    Severity.ERROR,
    "A frame over the 10 MB upload limit",
    """
    Local frames are uploaded first, and the upload endpoint takes at most 10 MB (the model
    itself takes images under 20 MB). Sizes are decimal megabytes. Save the frame as JPEG or
    WebP, or scale it down.

    Bad:

        @first_frame "frames/poster-8k.png"     # 14.2 MB

    Good:

        @first_frame "frames/poster-1080.jpg"   # 0.4 MB
    """,
)

IMAGE_TOO_SMALL = script_rule(
    "HL610",
    "image-too-small",
    Severity.ERROR,
    "A frame whose short side is 300 px or less",
    """
    The short side of a frame must be over 300 pixels.

    Bad:

        @first_frame "frames/thumb-240x320.png"

    Good:

        @first_frame "frames/still-480x640.png"
    """,
)

IMAGE_ASPECT = script_rule(
    "HL611",
    "image-aspect",
    Severity.ERROR,
    "A frame whose aspect ratio is outside 2:5 to 5:2",
    """
    A frame's width divided by its height must lie between 2:5 (0.4) and 5:2 (2.5).

    Bad:

        @first_frame "frames/banner-1800x400.png"

    Good:

        @first_frame "frames/wide-1280x720.png"
    """,
)

FRAME_SIZE_MISMATCH = script_rule(
    "HL612",
    "frame-size-mismatch",
    Severity.WARNING,
    "The last frame's size differs from the first frame's",
    """
    The video takes its resolution and aspect from the first frame; a last frame of another size
    is cropped to match, which may cut off what it shows.

    Bad:

        @first_frame "frames/girl-480x640.png"
        @last_frame "frames/woman-640x360.png"

    Good:

        @first_frame "frames/girl-480x640.png"
        @last_frame "frames/woman-480x640.png"
    """,
)

IMAGE_REFERENCE = script_rule(
    "HL613",
    "image-reference",
    Severity.ERROR,
    "A frame given as a data: URI, another scheme, or an unreachable URL",
    """
    The API takes frames as public http(s) URLs; local files are uploaded for you. It does not
    take base64 ``data:`` URIs. With ``hailuo compile --check-urls`` every http(s) frame is probed
    with a HEAD request and must answer 2xx with an image type.

    Bad:

        @first_frame "data:image/png;base64,iVBORw0KGgo..."

    Good:

        @first_frame "frames/mouse.png"
        @first_frame "https://example.com/first-frame.jpg"
    """,
)

SPEC_UNREADABLE = script_rule(
    "HL614",
    "spec-unreadable",
    Severity.ERROR,
    "The shot-spec file cannot be read",
    """
    The ``spec`` line names a file relative to the script; it must exist and be UTF-8 text.

    Bad:

        spec "lanuch.toml"

    Good:

        spec "launch.toml"
    """,
)

SPEC_SYNTAX = script_rule(
    "HL615",
    "spec-syntax",
    Severity.ERROR,
    "The shot-spec is not valid TOML",
    """
    The shot-spec is a TOML file; the finding stands where the TOML reader stopped.

    Bad:

        [defaults]
        resolution = 768P

    Good:

        [defaults]
        resolution = "768P"
    """,
)

SPEC_UNKNOWN_SHOT = script_rule(
    "HL616",
    "spec-unknown-shot",
    Severity.WARNING,
    "A [shots.NAME] table for a shot the script does not have",
    """
    Settings for a shot that does not exist are never used: usually a shot was renamed in the
    script and not in the spec.

    Bad (the script has ``shot opening``):

        [shots.openning]
        duration = 10

    Good:

        [shots.opening]
        duration = 10
    """,
)

FAST_PRETREATMENT_UNUSED = script_rule(
    "HL617",
    "unused-pretreatment",
    Severity.WARNING,
    "fast_pretreatment is on while prompt_optimizer is off",
    """
    ``fast_pretreatment`` shortens the prompt optimisation, so it does nothing when
    ``prompt_optimizer`` is off.

    Bad:

        @prompt_optimizer false
        @fast_pretreatment true

    Good:

        @prompt_optimizer true
        @fast_pretreatment true
    """,
)

RULES: tuple[Rule, ...] = (
    INVALID_SETTING_VALUE,
    UNKNOWN_KEY,
    LAST_FRAME_WITHOUT_FIRST,
    RESOLUTION_DURATION,
    RESOLUTION_MODE,
    LOW_RESOLUTION_TEXT,
    IMAGE_MISSING,
    IMAGE_FORMAT,
    IMAGE_FILE_SIZE,
    IMAGE_TOO_SMALL,
    IMAGE_ASPECT,
    FRAME_SIZE_MISMATCH,
    IMAGE_REFERENCE,
    SPEC_UNREADABLE,
    SPEC_SYNTAX,
    SPEC_UNKNOWN_SHOT,
    FAST_PRETREATMENT_UNUSED,
)
SOFT_CODES: frozenset[str] = frozenset(r.code for r in RULES if r.severity is not Severity.ERROR)
"""The rules a configuration may silence in ``hailuo compile`` too; the others are the API's."""
