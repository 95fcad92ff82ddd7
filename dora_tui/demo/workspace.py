"""Build the demo workspace: real git repositories, CSV exports and a ``dora.toml``.

:func:`build_demo` writes, inside a directory::

    dora.toml                      the config (first line marks it as a demo workspace)
    repos/checkout/ ...            six git repositories made by ``git fast-import``
    exports/pagerduty-incidents.csv
    exports/jira-tickets.csv

The story (see :mod:`dora_tui.demo.story`) covers the 18 months up to ``today``: three
teams, seven services, one monorepo holding two services. It is deterministic: the same
``today`` and ``seed`` give the same commits and tags (the same shas) and the same CSV
bytes, whatever the machine, the user's git configuration or the clock.

Rules for an existing directory:

- missing or empty: the demo is built there;
- holding a ``dora.toml`` whose first line is :data:`MARKER` (a demo we wrote): kept as
  it is and its config returned (whatever ``today`` and ``seed`` it was built with; see
  :func:`existing_demo` to compare), unless ``rebuild=True``, which replaces what the
  demo owns (``dora.toml``, ``dora.db*``, ``repos/``, ``exports/``) and leaves any other
  file alone;
- anything else: refused with :class:`~dora_tui.errors.UsageError`, ``rebuild`` or not:
  the demo never deletes a file it did not write.

The new workspace is built in a temporary folder beside the directory (inside it when the
parent is not writable) and moved into place only when complete, ``dora.toml`` last, so a
failed build leaves the directory as it was. Failures raise :class:`~dora_tui.errors.DoraError`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import tomli_w

from dora_tui.config import DEFAULT_REWORK_PATTERN
from dora_tui.demo.cast import PROJECTS, SERVICES, TEAMS
from dora_tui.demo.exports import write_jira, write_pagerduty
from dora_tui.demo.git import fast_import_stream
from dora_tui.demo.runtime import SERVICE as RUNTIME_SERVICE
from dora_tui.demo.runtime import runtime_export
from dora_tui.demo.story import Story, make_story
from dora_tui.errors import DoraError, GitMissing, UsageError

DEFAULT_SEED = 7
CONFIG_NAME = "dora.toml"
MARKER = "# dora-tui demo workspace"
OWNED = ("dora.toml", "dora.db", "dora.db-wal", "dora.db-shm", "dora.db-journal", "repos", "exports")
INCIDENTS_FILE = "exports/pagerduty-incidents.csv"
TICKETS_FILE = "exports/jira-tickets.csv"
RUNTIME_FILE = "exports/kubernetes-replicasets.json"
RUNTIME_REPO = next(s.repo for s in SERVICES if s.name == RUNTIME_SERVICE)
_STAMP = re.compile(re.escape(MARKER) + r" \(today=(\d{4}-\d{2}-\d{2}), seed=(-?\d+)\)")


@dataclass(frozen=True)
class DemoStamp:
    """What an existing demo workspace was built from."""

    today: dt.date
    seed: int


def default_directory() -> Path:
    """Where ``dora-tui demo`` builds the workspace when no directory is given."""
    from dora_tui.config.paths import user_data_dir

    return user_data_dir() / "demo"


def existing_demo(directory: Path) -> DemoStamp | None:
    """The stamp of the demo workspace in ``directory``, or None when there is none."""
    config = Path(directory) / CONFIG_NAME
    try:
        with config.open(encoding="utf-8") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return None
    match = _STAMP.match(first)
    if not match:
        return None
    try:
        return DemoStamp(dt.date.fromisoformat(match[1]), int(match[2]))
    except ValueError:
        return None


def build_demo(directory: Path, today: dt.date, *, seed: int = DEFAULT_SEED, rebuild: bool = False) -> Path:
    """Build the demo workspace in ``directory`` and return its ``dora.toml``.

    History runs for 18 months and ends at the start of ``today`` (London time). See the
    module docstring for what happens when ``directory`` already exists.
    """
    directory = Path(directory).expanduser().absolute()
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory}: not a directory; give a new or empty folder for the demo")
    if directory.is_dir() and any(directory.iterdir()):
        if existing_demo(directory) is None:
            raise UsageError(
                f"{directory}: folder is not empty and holds no dora-tui demo; give a new or empty folder for the demo"
            )
        if not rebuild:
            return directory / CONFIG_NAME
    if shutil.which("git") is None:  # the repositories are made with git fast-import
        raise GitMissing("build the demo's repositories")
    try:
        staging = _staging(directory)
        try:
            _build(staging, today, seed)
            if not directory.exists():
                staging.rename(directory)
                return directory / CONFIG_NAME
            for name in OWNED:
                _remove(directory / name)
            for name in ("repos", "exports", CONFIG_NAME):
                (staging / name).rename(directory / name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise DoraError(f"{directory}: cannot build the demo: {exc}") from None
    return directory / CONFIG_NAME


def _staging(directory: Path) -> Path:
    """A fresh folder to build in: beside ``directory`` (so a rename moves it), else inside it."""
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".building", dir=directory.parent))
    except OSError:
        if not directory.is_dir():
            raise
        return Path(tempfile.mkdtemp(prefix=".dora-demo.", suffix=".building", dir=directory))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _build(root: Path, today: dt.date, seed: int) -> None:
    story = make_story(today, seed)
    (root / "repos").mkdir()
    (root / "exports").mkdir()
    with tempfile.TemporaryDirectory(prefix="dora-demo-") as scratch:
        _write_repositories(root / "repos", Path(scratch), story)
        runtime_export(root / "repos" / RUNTIME_REPO, root / RUNTIME_FILE, git_environment(Path(scratch)))
    write_pagerduty(root / INCIDENTS_FILE, story.incidents, seed)
    write_jira(root / TICKETS_FILE, story.tickets)
    text = (
        f"{MARKER} (today={today.isoformat()}, seed={seed})\n"
        "# Built by `dora-tui demo`: made-up repositories and exports. Safe to delete.\n\n"
    )
    (root / CONFIG_NAME).write_text(text + tomli_w.dumps(config_document()), encoding="utf-8")


def git_environment(home: Path) -> dict[str, str]:
    """An environment in which git reads no user or system configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    template = home / "template"
    template.mkdir(exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TEMPLATE_DIR=str(template),
        LC_ALL="C",
        TZ="UTC",
        # glibc: grow the heap in big steps, so that fast-import's many small
        # allocations do not each wait on brk(). Other C libraries ignore it.
        MALLOC_TOP_PAD_=str(8 << 20),
    )
    return env


def _run(args: list[str], env: dict[str, str], stdin: IO[bytes] | None = None) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(args, env=env, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        raise DoraError(f"cannot run git to build the demo: {exc}") from None


def _wait(procs: list[tuple[str, subprocess.Popen[bytes]]]) -> None:
    failures = []
    for what, proc in procs:
        _, err = proc.communicate()
        if proc.returncode != 0:
            lines = err.decode("utf-8", "replace").strip().splitlines() or ["no message"]
            fatal = [line for line in lines if line.startswith(("fatal:", "error:"))] or lines
            failures.append(f"{what}: {fatal[0]}")
    if failures:
        raise DoraError("git failed while building the demo: " + "; ".join(failures))


def _write_repositories(repos: Path, scratch: Path, story: Story) -> None:
    env = git_environment(scratch)
    _wait([(plan.name, _run(["git", "init", "-q", "-b", "main", str(repos / plan.name)], env)) for plan in story.repos])
    procs = []
    for plan in sorted(story.repos, key=lambda p: -len(p.commits)):  # longest first
        stream = scratch / f"{plan.name}.stream"
        stream.write_bytes(fast_import_stream(plan))
        with stream.open("rb") as handle:
            procs.append(
                (
                    plan.name,
                    _run(["git", "-C", str(repos / plan.name), "fast-import", "--quiet", "--done"], env, handle),
                )
            )
    _wait(procs)
    _wait(
        [(plan.name, _run(["git", "-C", str(repos / plan.name), "reset", "-q", "--hard"], env)) for plan in story.repos]
    )


def config_document() -> dict[str, Any]:
    """The demo's ``dora.toml`` as a TOML-ready dict (paths relative to the file), the shape
    :func:`dora_tui.config.parse.parse` reads."""
    services = []
    for spec in SERVICES:
        entry: dict[str, str] = {"name": spec.name, "team": spec.team, "repo": f"repos/{spec.repo}"}
        if spec.path:
            entry["path"] = spec.path
        if spec.tag_prefix:
            entry["tag_pattern"] = f"{spec.tag_prefix}v*"
        services.append(entry)
    service_map = {s.pd_name: s.name for s in SERVICES if s.pd_name != s.name}
    team_map = {key: team for team, (key, _) in PROJECTS.items()}
    return {
        "database": "dora.db",
        "timezone": "Europe/London",
        "months": 12,
        "trend_months": 6,
        "git": {"tag_pattern": "v*", "exclude_pattern": "*-rc*", "rework_pattern": DEFAULT_REWORK_PATTERN},
        "attribution": {"window_hours": 72},
        "teams": [{"name": team} for team in TEAMS],
        "services": services,
        "imports": [
            {"kind": "incidents", "file": INCIDENTS_FILE, "format": "pagerduty", "service_map": service_map},
            {"kind": "deployments", "file": RUNTIME_FILE},
            {
                "kind": "tickets",
                "file": TICKETS_FILE,
                "format": "jira",
                "team_map": team_map,
                "unplanned": {"types": ["Bug", "Incident"], "labels": ["unplanned", "hotfix"]},
            },
        ],
    }
