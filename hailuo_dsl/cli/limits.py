"""The options that bound a download (``hailuo download``, ``hailuo render``), and the
``TransferLimits`` they ask for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from hailuo_dsl.client import TransferLimits
from hailuo_dsl.contract import MB


def download_limit_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-download-mb``, ``--download-stall`` and ``--download-deadline`` (``hailuo download``, ``hailuo render``)."""
    defaults = TransferLimits()
    options = [
        click.option(
            "--max-download-mb",
            type=click.FloatRange(min=0, min_open=True),
            default=defaults.max_download_bytes / MB,
            show_default=True,
            help="Refuse a video larger than this (decimal MB, counted after any decoding).",
        ),
        click.option(
            "--download-stall",
            type=click.FloatRange(min=0, min_open=True),
            default=defaults.download_stall_timeout,
            show_default=True,
            help="Seconds without a byte after which a download is given up (and retried).",
        ),
        click.option(
            "--download-deadline",
            type=click.FloatRange(min=0, min_open=True),
            default=defaults.download_deadline,
            show_default=True,
            help="Seconds a download may take in all, retries included.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def transfer_limits(max_download_mb: float, download_stall: float, download_deadline: float) -> TransferLimits:
    """The limits the download options ask for."""
    return TransferLimits(
        max_download_bytes=max(1, int(max_download_mb * MB)),
        download_stall_timeout=download_stall,
        download_deadline=download_deadline,
    )
