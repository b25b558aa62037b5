"""hailuo compile (filled by the .shot compiler work)."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add this module's commands to the ``hailuo`` group."""
