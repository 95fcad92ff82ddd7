"""``doctor``: data-quality findings, each in words a user can act on.

Looks at everything stored (not only the report window): unmapped incidents and tickets
(with the config line that would map them), negative lead times, shallow clones, tags
skipped because they point at a tree or a blob, big histories without a commit-graph file,
and services with no deployment in the window.

A finding's text holds values as they are (the command line prints it through
:func:`dora_tui.core.inert.terminal`); the config lines and shell commands it suggests quote
their values (:func:`dora_tui.core.inert.toml_string`, ``shlex.quote``) so they work when pasted.
"""

from __future__ import annotations

import difflib
import shlex
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dora_tui.config import Config
from dora_tui.core.inert import toml_string
from dora_tui.core.periods import make_window
from dora_tui.core.sources import IMPORTS, source_of
from dora_tui.core.wording import counted, unresolved_example
from dora_tui.store.database import Store

BIG_HISTORY = 20_000


@dataclass(frozen=True)
class Finding:
    """One finding: what is wrong, and what to do about it."""

    topic: str
    message: str
    hint: str = ""


def findings(config: Config, store: Store, today: date) -> list[Finding]:
    """Every finding, most consequential first."""
    misplaced = store.misplaced_value()  # a scan of every whole-number and text column: doctor's, not every report's
    result = (
        [
            Finding(
                "damaged",
                f"the database was changed by another program: {misplaced}; rows holding such values are "
                "left out of the figures or stop them",
                "restore it from a backup, or remove it and run `dora-tui collect` and the imports again",
            )
        ]
        if misplaced
        else []
    )
    result += stored_findings(config, store)
    window = make_window(today, config.months, config.tz)
    services = [s.name for s in config.services]
    active = {d.service for d in store.deployments(services, since=window.start, until=window.cutoff)}
    for name in services:
        if name not in active:
            result.append(
                Finding(
                    "no deployments",
                    f"{name}: no deployment in the last {config.months} months",
                    "check its tag_pattern with `git tag`, then run `dora-tui collect`",
                )
            )
    return result


def stored_findings(config: Config, store: Store) -> list[Finding]:
    """The findings about everything stored, whatever the window (the report's ``data_quality``)."""
    result: list[Finding] = []
    services = [s.name for s in config.services]
    teams = [t.name for t in config.teams]
    incidents, tickets = store.unmapped_values(services, teams)
    for value, count in incidents.items():
        guess = _closest(value, services) or "SERVICE"
        result.append(
            Finding(
                "unmapped",
                f"{counted(count, 'incident')} {_name(count)} the service {value!r}, which is no configured service"
                if value
                else f"{counted(count, 'incident')} {_name(count)} no service",
                f"add {_map_line('service_map', value, guess)} to the [[imports]] entry of that export"
                if value
                else "their export names no service for them (its column is empty or missing, or an item has "
                "no label or component naming one): import it again with --service NAME, or add the column",
            )
        )
    for value, count in tickets.items():
        guess = _closest(value, teams) or "TEAM"
        result.append(
            Finding(
                "unmapped",
                f"{counted(count, 'ticket')} {_name(count)} the team {value!r}, which is no configured team"
                if value
                else f"{counted(count, 'ticket')} {_name(count)} no team",
                f"add {_map_line('team_map', value, guess)} to the [[imports]] entry of that export"
                if value
                else "their export names no team for them (its column is empty or missing): import it again "
                "with --team NAME, or add the column",
            )
        )
    result += _clock_skew(store)
    result += _deployment_sources(config, store)
    for path in store.shallow_repositories():
        result.append(
            Finding(
                "shallow",
                f"{path} is a shallow clone: lead times of its oldest changes are wrong",
                f"run `git -C {shlex.quote(path)} fetch --unshallow`, then `dora-tui collect --full`",
            )
        )
    result += _skipped_tags(store)
    for repo in store.repositories():
        commits = store.commit_count(repo.id)
        if commits >= BIG_HISTORY and not _has_commit_graph(Path(repo.path)):
            result.append(
                Finding(
                    "speed",
                    f"{repo.path}: {commits} commits and no commit-graph file",
                    f"run `git -C {shlex.quote(repo.path)} commit-graph write --reachable` to collect faster",
                )
            )
    return result


def _deployment_sources(config: Config, store: Store) -> list[Finding]:
    """Imported deployments that name no commit, and services with deployments of both sources."""
    result = []
    for name, rows in store.unresolved_deployments().items():
        service = config.service(name)
        repo = shlex.quote(str(service.repo)) if service else "REPO"
        deployment, sha, _ = rows[0]
        example = unresolved_example(deployment, sha)
        argo = any(source == "argocd" for _, _, source in rows)
        result.append(
            Finding(
                "unresolved",
                f"{name}: {counted(len(rows), 'imported deployment')} {_name(len(rows))} no commit of its"
                f" repository (e.g. {example}); {'it counts' if len(rows) == 1 else 'they count'}, with no changes"
                " and no lead times",
                f"fetch the clone (`git -C {repo} fetch --tags`) and run `dora-tui collect`; else check "
                "that the export's sha or image tag names a commit or a tag of that repository"
                + (
                    " (Argo CD's revision is a commit of the repository it syncs from: when that is a separate "
                    "deploy repository, set the image's tag in the application's source, kustomize `images` or "
                    "Helm `image.tag`, or import the runtime's export, e.g. `kubectl get replicasets -o json`)"
                    if argo
                    else ""
                ),
            )
        )
    for name, (tags, imported) in store.uncounted_sources().items():
        service = config.service(name)
        setting = service.deployments if service else "auto"
        kept = "imported deployments" if source_of(setting, True) == IMPORTS else "tags"
        why = {"auto": "its imported deployments, since it has some", "tags": 'deployments = "tags"'}.get(
            setting, 'deployments = "imports"'
        )
        result.append(
            Finding(
                "sources",
                f"{name} has deployments from two sources, {tags} tags and {imported} imported; "
                f"only its {kept} count ({why}), so a release is never counted twice",
                'to count the other, set deployments = "tags" or "imports" in its [[services]] entry',
            )
        )
    return result


def quality_warnings(store: Store) -> list[Finding]:
    """The findings the report lists under ``data_quality.warnings`` (the others have keys of their own)."""
    return _skipped_tags(store) + _clock_skew(store)


def _name(count: int) -> str:
    """The verb "name" agreeing with ``count`` things."""
    return "names" if count == 1 else "name"


def _clock_skew(store: Store) -> list[Finding]:
    return [
        Finding(
            "clock skew",
            f"{service}: {counted(count, 'commit')} {'is' if count == 1 else 'are'} dated after the deployment"
            f" that carried {'it' if count == 1 else 'them'} ({'its' if count == 1 else 'their'} lead time counts"
            " as 0)",
            'check the committers\' clocks, or set commit_time = "committer"',
        )
        for service, count in store.negative_lead_time_counts().items()
    ]


def _skipped_tags(store: Store) -> list[Finding]:
    result = []
    for repo in store.repositories():
        if repo.skipped_tags:
            names = repo.skipped_tags.split("\n")
            result.append(
                Finding(
                    "tags",
                    f"{repo.path}: {counted(len(names), 'tag')} {'points' if len(names) == 1 else 'point'} at a"
                    f" tree or a blob and {'was' if len(names) == 1 else 'were'} skipped: {', '.join(names[:5])}",
                )
            )
    return result


def _map_line(key: str, value: str, target: str) -> str:
    """The config line mapping ``value`` to ``target``, valid TOML whatever the two hold."""
    return f"{key} = {{ {toml_string(value)} = {toml_string(target)} }}"


def _closest(value: str, names: list[str]) -> str | None:
    match = difflib.get_close_matches(value, names, n=1, cutoff=0.5)
    return match[0] if match else None


def _has_commit_graph(path: Path) -> bool:
    for git_dir in (path / ".git", path):
        info = git_dir / "objects" / "info"
        if (info / "commit-graph").exists() or (info / "commit-graphs").is_dir():
            return True
    return False
