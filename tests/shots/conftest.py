"""Shared fixtures of the ``.shot`` tests: the documented example script."""

from __future__ import annotations

import pytest

EXAMPLE = """\
# launch.shot: a comment is a line whose first non-blank character is '#'
spec "launch.toml"

shot opening  # the hero shot
  @duration 10
  @first_frame "frames/mouse.png"
  A mouse runs toward the camera, smiling and blinking [Push in],
  then stops and looks up at the sky [Static shot].

shot growing-up
  @first_frame "frames/girl.png"
  @last_frame "frames/woman.png"
  A young girl gradually grows into an adult woman [Pan left, Pedestal up].
"""


@pytest.fixture
def example() -> str:
    return EXAMPLE
