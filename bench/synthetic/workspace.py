"""The work folder of a benchmark: the ``dora.toml`` naming an organisation's teams and
services (:func:`config_text`; with the exports' ``[[imports]]``, :func:`write_import_config`)
and its removal (:func:`remove_tree`)."""

from __future__ import annotations

import shutil
from pathlib import Path

from synthetic.org import TIMEZONE, Org


def config_text(org: Org, *, database: str, months: int, repo: str | None, imports: list[str] | None = None) -> str:
    """A ``dora.toml`` of ``org``'s teams and services, each in ``repo``, then the ``imports`` lines."""
    lines = [
        # (as when the package was one module, bench/synthetic.py: the files stay byte-identical)
        "# Written by bench/synthetic.py: synthetic teams and services for the benchmarks.",
        f'database = "{database}"',
        f'timezone = "{TIMEZONE}"',
        f"months = {months}",
        "trend_months = 6",
        "",
        "[git]",
        'tag_pattern = "v*"',
        'exclude_pattern = "*-rc*"',
        "",
        "[attribution]",
        "window_hours = 72",
        "",
    ]
    for team in org.teams:
        lines += ["[[teams]]", f'name = "{team}"', ""]
    for service, team in org.services:
        lines += ["[[services]]", f'name = "{service}"', f'team = "{team}"', f'repo = "{repo or "repo"}"', ""]
    lines += imports or []
    return "\n".join(lines)


def write_import_config(
    directory: str | Path, org: Org, *, jira: str, pagerduty: str, months: int = 36, database: str = "dora.db"
) -> Path:
    """``DIR/dora.toml`` with ``org``'s teams and services and two ``[[imports]]`` entries:
    the Jira file's ``team_map`` (project key -> team) and the PagerDuty file's
    ``service_map`` (``SERVICE-prod`` -> service). Services point at an empty ``DIR/repo``.
    """
    root = Path(directory)
    (root / "repo").mkdir(parents=True, exist_ok=True)
    team_map = ", ".join(f'"{org.projects[t]}" = "{t}"' for t in org.teams)
    service_map = ", ".join(f'"{s}-prod" = "{s}"' for s, _ in org.services)
    imports = [
        "[[imports]]",
        'kind = "tickets"',
        f'file = "{jira}"',
        'format = "jira"',
        f"team_map = {{ {team_map} }}",
        'unplanned = { types = ["Bug", "Incident"], labels = ["unplanned", "hotfix"] }',
        "",
        "[[imports]]",
        'kind = "incidents"',
        f'file = "{pagerduty}"',
        'format = "pagerduty"',
        f"service_map = {{ {service_map} }}",
        "",
    ]
    config = root / "dora.toml"
    config.write_text(
        config_text(org, database=database, months=months, repo="repo", imports=imports), encoding="utf-8"
    )
    return config


def remove_tree(path: Path) -> None:
    """Remove a work folder (or file), ignoring what is already gone."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
