"""What a task costs and how much a render may spend and submit: the shot-spec's ``[pricing]`` and
``[render]`` tables (or ``[tool.hailuo.pricing]`` and ``[tool.hailuo.render]`` in pyproject.toml).

```toml
[pricing]                          # no prices ship: the gateway's change and are not documented
currency = "USD"
768P = { 6 = 0.28, 10 = 0.56 }     # a price per clip, by resolution and duration in seconds
1080P = { 6 = 0.49 }
[render]
budget = 5.00                      # what this script may spend in all, its journal's tasks counted
rate = "5/min"                     # submits a minute, for the whole run (hailuo render --rate)
```

The tables are read with the rest of the spec, so a wrong key or value is a located error of the
spec rules (HL601, HL602). A pyproject.toml's tables are checked the same way and reported as
``file:line:col`` by :func:`project_tables`.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from hailuo_dsl.contract import RESOLUTION_TABLE, RESOLUTIONS, Resolution
from hailuo_dsl.shots.spec_keys import locate_keys, nearest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

PRICING_KEYS = ("currency", *RESOLUTIONS)
RENDER_KEYS = ("budget", "rate")
_RATE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*/\s*(s|sec|second|min|minute|h|hour)\s*")
_RESOLUTION_OF: dict[str, Resolution] = {"p512": "512P", "p768": "768P", "p1080": "1080P"}
_PER = {"s": 1.0, "sec": 1.0, "second": 1.0, "min": 60.0, "minute": 60.0, "h": 3600.0, "hour": 3600.0}


def parse_rate(text: str) -> float:
    """Submits a minute from ``"5/min"`` (also ``/s``, ``/h``); ``ValueError`` says what to write."""
    found = _RATE.fullmatch(text)
    if found is None or float(found.group(1)) <= 0:
        raise ValueError(f"write a rate as N/min (say 5/min), not {text!r}")
    return float(found.group(1)) * 60.0 / _PER[found.group(2)]


def _amount(value: float, what: str) -> float:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a number of at least 0, got {value}")
    return value


class PricingTable(BaseModel):
    """``[pricing]``: the currency and, per resolution, a price per clip duration."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    currency: str
    p512: dict[int, float] | None = Field(default=None, alias="512P")
    p768: dict[int, float] | None = Field(default=None, alias="768P")
    p1080: dict[int, float] | None = Field(default=None, alias="1080P")

    @model_validator(mode="before")
    @classmethod
    def _has_currency(cls, data: object) -> object:
        if isinstance(data, dict) and "currency" not in data:
            raise ValueError('say which currency the prices are in: currency = "USD"')
        return data

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not value.strip():
            raise ValueError('name the currency the prices are in (say "USD")')
        return value.strip()

    @field_validator("p512", "p768", "p1080")
    @classmethod
    def _prices(cls, value: dict[int, float] | None, info: Any) -> dict[int, float] | None:
        if value is None:
            return None
        resolution: Resolution = _RESOLUTION_OF[info.field_name]
        allowed = RESOLUTION_TABLE[resolution].durations
        for duration, price in value.items():
            if duration not in allowed:
                took = " or ".join(str(d) for d in allowed)
                raise ValueError(f"{resolution} clips last {took} seconds, not {duration}: a price is per clip of a duration")
            _amount(price, f"the price of a {duration}-second {resolution} clip")
        return value

    def price(self, resolution: str, duration: int) -> float | None:
        """The price of one clip, or None when the table does not give it."""
        table = {"512P": self.p512, "768P": self.p768, "1080P": self.p1080}.get(resolution)
        return None if table is None else table.get(duration)


class RenderTable(BaseModel):
    """``[render]``: what a script may spend in all (``budget``) and submits a minute (``rate``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    budget: float | None = None
    rate: str | None = None

    @field_validator("budget")
    @classmethod
    def _budget(cls, value: float | None) -> float | None:
        return None if value is None else _amount(value, "budget")

    @field_validator("rate", mode="before")
    @classmethod
    def _rate(cls, value: object) -> object:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = f"{value}/min"  # a bare number is submits a minute
        if isinstance(value, str):
            parse_rate(value)
        return value

    @property
    def per_minute(self) -> float | None:
        return None if self.rate is None else parse_rate(self.rate)


@dataclass(frozen=True, slots=True)
class ProjectTables:
    """``[tool.hailuo.pricing]`` and ``[tool.hailuo.render]`` of a pyproject.toml (None: not there)."""

    pricing: PricingTable | None = None
    render: RenderTable | None = None
    path: Path | None = None


class TablesError(ValueError):
    """A pyproject.toml's pricing or render table that cannot be used: ``file:line:col: problem``."""


def project_tables(start: Path) -> ProjectTables:
    """The pricing and render tables of the nearest pyproject.toml with ``[tool.hailuo]``, walking
    up from ``start``; :class:`TablesError` (located) when one is wrong."""
    from hailuo_dsl.config import find_pyproject

    path = find_pyproject(start)
    if path is None:
        return ProjectTables()
    text = path.read_text(encoding="utf-8")
    table = tomllib.loads(text).get("tool", {}).get("hailuo", {})
    found: dict[str, Any] = {}
    for key, model in (("pricing", PricingTable), ("render", RenderTable)):
        if key not in table:
            continue
        try:
            found[key] = model.model_validate(table[key])
        except ValidationError as err:
            first = err.errors()[0]
            keys = ("tool", "hailuo", key, *(str(p) for p in first["loc"]))
            start_offset, _end = nearest(locate_keys(text), keys)
            line = text.count("\n", 0, start_offset) + 1
            column = start_offset - (text.rfind("\n", 0, start_offset) + 1) + 1
            message = str(first["msg"]).removeprefix("Value error, ")
            raise TablesError(f"{path}:{line}:{column}: {'.'.join(keys)}: {message}") from None
    return ProjectTables(found.get("pricing"), found.get("render"), path)


__all__ = [
    "PRICING_KEYS",
    "RENDER_KEYS",
    "PricingTable",
    "ProjectTables",
    "RenderTable",
    "TablesError",
    "parse_rate",
    "project_tables",
]
