"""The version of hailuo-dsl, read once from the installed package's metadata: ``pyproject.toml``
is its only source. Requests name it in their ``User-Agent``."""

from __future__ import annotations

from functools import cache

DISTRIBUTION = "hailuo-dsl"


@cache
def version() -> str:
    """The installed version (``0+unknown`` when the package is used from a tree never installed)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed(DISTRIBUTION)
    except PackageNotFoundError:
        return "0+unknown"


def user_agent() -> str:
    """The ``User-Agent`` of every request: ``hailuo-dsl/<version>``."""
    return f"{DISTRIBUTION}/{version()}"
