"""Where a script's journal lives: one per script *file* and per API, found the same way by every
command.

``<folder of the script's real file>/.hailuo/<script name><tag>.journal.sqlite``, named after the
script as its videos' folder is (``launch.shot``: ``.hailuo/launch.journal.sqlite`` and
``renders/launch/``; see :func:`script_name`), where the script's path is resolved (a symlink and
its target share one journal, so no shot is paid twice) and the tag names the API: none for the
default gateway, ``.emulator`` for ``--emulator``, and ``.<host>-<hash>`` for any other base URL. A
client of an emulator on loopback therefore never writes the real API's journal, and the journal
itself records its API and refuses any other.

A journal written by an older hailuo (named after the whole file name,
``launch.shot.journal.sqlite``; or, older still, after the path as given and recording no API) is
taken over by the first run that finds it, so no record of a paid task is lost: it is moved to its
new name and records that run's API. A server on loopback never takes over such a journal of the
real API; and when the real API takes one over, shots whose videos came from a server on loopback
(an emulator's stand-ins) are started over, their tasks kept in ``previous_tasks``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from hailuo_dsl.contract import DEFAULT_BASE_URL
from hailuo_dsl.documents import SHOT_SUFFIXES
from hailuo_dsl.render.journal import Journal
from hailuo_dsl.render.states import ShotState
from hailuo_dsl.render.store import JournalError

JOURNAL_FOLDER = ".hailuo"
JOURNAL_SUFFIX = ".journal.sqlite"
EMULATOR_ENDPOINT = "emulator"
"""The API of ``hailuo render --emulator`` (its in-process emulator listens on a new port each run)."""


def endpoint_of(base_url: str) -> str:
    """The API a base URL names, written one way: ``scheme://host[:port][/path]``, the scheme and
    host in lower case, a default port and a final ``/`` dropped."""
    if base_url == EMULATOR_ENDPOINT:
        return base_url
    parts = urlsplit(base_url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != default:
        netloc += f":{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


DEFAULT_ENDPOINT = endpoint_of(DEFAULT_BASE_URL)


def is_loopback(endpoint_or_url: str) -> bool:
    """True for an API on this machine (an emulator): ``localhost`` or a loopback address."""
    if endpoint_or_url == EMULATOR_ENDPOINT:
        return True
    host = (urlsplit(endpoint_or_url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _tag(endpoint: str) -> str:
    if endpoint == DEFAULT_ENDPOINT:
        return ""
    if endpoint == EMULATOR_ENDPOINT:
        return ".emulator"
    host = re.sub(r"[^A-Za-z0-9.-]", "_", urlsplit(endpoint).hostname or "api")
    return f".{host}-{hashlib.sha256(endpoint.encode()).hexdigest()[:8]}"


def script_name(script: Path) -> str:
    """The name a script's journal, folder of videos and film go by: its file name without
    ``.shot`` (``launch.shot``: ``launch``). A script with any other suffix keeps its whole name
    (``launch.txt``), so that no two scripts of one folder share a journal or a folder of videos."""
    return script.stem if script.suffix.lower() in SHOT_SUFFIXES else script.name


def journal_path(script: str | os.PathLike[str], endpoint: str = DEFAULT_ENDPOINT) -> Path:
    """The journal of ``script`` for the API ``endpoint`` (see the module's description)."""
    real = Path(script).resolve()
    return real.parent / JOURNAL_FOLDER / (script_name(real) + _tag(endpoint) + JOURNAL_SUFFIX)


def default_journal_path(script: str | os.PathLike[str], *, emulator: bool = False) -> Path:
    """The journal of ``script`` for the default API, or for ``--emulator`` runs."""
    return journal_path(script, EMULATOR_ENDPOINT if emulator else DEFAULT_ENDPOINT)


def _older_paths(script: str | os.PathLike[str], endpoint: str) -> list[Path]:
    """Where an older hailuo kept this script's journal for this kind of run, other than the new
    name: named after the real file's whole name with the API's tag, and, older still, after the
    path as given (and after the real file) without the API."""
    tag = ".emulator" if endpoint == EMULATOR_ENDPOINT else ""
    given, real = Path(script).absolute(), Path(script).resolve()
    candidates = [real.parent / JOURNAL_FOLDER / (real.name + _tag(endpoint) + JOURNAL_SUFFIX)]
    candidates += [path.parent / JOURNAL_FOLDER / (path.name + tag + JOURNAL_SUFFIX) for path in (given, real)]
    found: list[Path] = []
    for old in candidates:
        if old not in found and old != journal_path(script, endpoint):
            found.append(old)
    return found


def _takes_over(path: Path, endpoint: str) -> bool:
    """Whether a run against ``endpoint`` may use the journal at ``path``: one that records this
    API, or an older one that records none (never taken by a loopback server unless it was the
    emulator's)."""
    if not path.is_file():
        return False
    try:
        with Journal(path, create=False) as journal:
            recorded = journal.endpoint
    except JournalError:  # not a journal at all: not ours to take
        return False
    if recorded is not None:
        return recorded == endpoint
    return endpoint == EMULATOR_ENDPOINT or not is_loopback(endpoint)


def find_journal(script: str | os.PathLike[str], endpoint: str) -> Path:
    """The journal a run of ``script`` against ``endpoint`` uses: its own, else an older one it
    would take over, else (not there yet) its own path."""
    own = journal_path(script, endpoint)
    if own.exists():
        return own
    for older in _older_paths(script, endpoint):
        if _takes_over(older, endpoint):
            return older
    return own


def open_journal(script: str | os.PathLike[str], endpoint: str) -> Journal:
    """Open (or make) the journal of ``script`` for ``endpoint``, taking over an older one."""
    own = journal_path(script, endpoint)
    path = find_journal(script, endpoint)
    if path != own:
        path = _move_older(path, own, endpoint)
    journal = Journal(path, endpoint=endpoint)
    if journal.claimed_now and not is_loopback(endpoint):
        _restart_local_shots(journal)
    return journal


def _move_older(older: Path, own: Path, endpoint: str) -> Path:
    """Move an older journal to its new name (after folding in its write-ahead log, while no run
    holds it); where it cannot move, it is used where it is."""
    with Journal(older, endpoint=endpoint) as journal:
        journal.acquire()
        if journal.claimed_now and not is_loopback(endpoint):
            _restart_local_shots(journal)
        journal.checkpoint()
    if Path(str(older) + "-wal").exists():
        return older
    own.parent.mkdir(parents=True, exist_ok=True)
    os.replace(older, own)
    Path(str(older) + ".lock").unlink(missing_ok=True)
    return own


def _restart_local_shots(journal: Journal) -> None:
    """Start over the shots an older journal holds from a server on loopback: their videos are an
    emulator's stand-ins, which the real API must not report as done."""
    for record in journal.records():
        if record.state is not ShotState.PENDING and record.video_url and is_loopback(record.video_url):
            journal.reset(
                record.name,
                record.request_hash,
                record.request,
                reason=f"its video came from a server on this machine ({urlsplit(record.video_url).netloc}), not from this API",
                take=record.take,
            )
