"""hailuo submit/status/wait/download (filled by the render work)."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add this module's commands to the ``hailuo`` group."""
