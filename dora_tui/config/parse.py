"""Reading the configuration: where it is looked up, and every key checked into a :class:`Config`.

Looked up in order: a file given by the caller (the command line's ``--config``),
``$DORA_TUI_CONFIG``, ``./dora.toml`` (README, Commands and Configuration). With none, inside a
git repository, dora-tui runs zero-config: one service named after the repository folder,
tags matching ``v*``, the database in the user's data directory.

Every problem raises :class:`~dora_tui.errors.ConfigError` naming the file and the key.
Relative paths (``database``, ``repo``, ``file``) are relative to the config file's folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from collectors.exports.defaults import DEFAULT_UNPLANNED_LABELS, DEFAULT_UNPLANNED_TYPES
from dora_tui.config.checks import choice as _choice
from dora_tui.config.checks import commit_time as _commit_time
from dora_tui.config.checks import config_folder as _config_folder
from dora_tui.config.checks import expand as _expand
from dora_tui.config.checks import file_path as _file_path
from dora_tui.config.checks import get as _get
from dora_tui.config.checks import no_unknown as _no_unknown
from dora_tui.config.checks import number as _number
from dora_tui.config.checks import read as _read
from dora_tui.config.checks import regex as _regex
from dora_tui.config.checks import required as _required
from dora_tui.config.checks import str_list as _str_list
from dora_tui.config.checks import str_map as _str_map
from dora_tui.config.model import (
    DEFAULT_REWORK_PATTERN,
    IMPORT_KINDS,
    MAX_MONTHS,
    Config,
    GitSettings,
    ImportSource,
    Pattern,
    Service,
    Team,
)
from dora_tui.config.paths import git_toplevel, link_loops, user_data_dir
from dora_tui.errors import ConfigError, DoraError, GitMissing

SOURCES = ("auto", "tags", "imports")
"""The values of ``deployments``: where a service's deployments come from."""
TOP_KEYS = {"database", "timezone", "months", "trend_months", "git", "attribution", "teams", "services", "imports"}
GIT_KEYS = {"tag_pattern", "exclude_pattern", "commit_time", "include_merges", "rework_pattern", "deployments"}
SERVICE_KEYS = {
    "name",
    "team",
    "repo",
    "path",
    "tag_pattern",
    "exclude_pattern",
    "commit_time",
    "include_merges",
    "rework_pattern",
    "deployments",
    "system",
}
IMPORT_KEYS = {
    "kind",
    "file",
    "format",
    "name",
    "service_map",
    "team_map",
    "reference_column",
    "unplanned",
    "timezone",
    "date_format",
    "columns",
    "production",
    "image_pattern",
    "version_tag",
    "done_lists",
    "incident_labels",
}
DEPLOY_KEYS = ("production", "image_pattern", "version_tag")
"""The ``[[imports]]`` keys of JSON deployment exports only."""


def find_config_file(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path | None:
    """The config file to use: ``explicit``, else ``$DORA_TUI_CONFIG``, else ``./dora.toml``.

    A path that names something other than a file (a folder, a link to nothing, a device)
    is refused naming it, ``./dora.toml`` included: it is not silently passed over.
    """
    if explicit:
        return _config_path(_expand(explicit, Path(explicit), ""), "")
    env = os.environ.get("DORA_TUI_CONFIG")
    if env:
        return _config_path(_expand(env, Path(env), "$DORA_TUI_CONFIG"), " (named by $DORA_TUI_CONFIG)")
    local = (cwd or Path.cwd()) / "dora.toml"
    return _config_path(local, "") if local.exists() or local.is_symlink() else None


def _config_path(path: Path, named_by: str) -> Path:
    """``path`` when it is a file; else ConfigError saying what it is."""
    if path.is_file():
        return path
    if path.is_dir():
        what = "is a folder, not a config file"
    elif link_loops(path):
        what = f"is a link to {os.readlink(path)}, and its links never end in a file (a loop, or too long a chain)"
    elif path.is_symlink():
        what = f"is a link to {os.readlink(path)}, which does not exist"
    elif path.exists():
        what = "is not a regular file"
    else:
        what = "no such config file"
    raise ConfigError(path, "", what + named_by)


def load(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Config:
    """Find and load the configuration, falling back to zero-config inside a git repository."""
    path = find_config_file(explicit, cwd)
    if path is not None:
        return load_file(path)
    return zero_config(cwd or Path.cwd())


def load_file(path: Path) -> Config:
    """Read and check the TOML file at ``path`` (UTF-8, with or without a BOM: :func:`~dora_tui.config.checks.read`)."""
    return parse(_read(path), path)


def parse(data: dict[str, Any], path: Path) -> Config:
    """Check ``data`` (a parsed TOML document) and build a Config."""
    base = _config_folder(path)
    _no_unknown(data, TOP_KEYS, path, "")
    timezone = _get(data, "timezone", str, "UTC", path)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(path, "timezone", f"unknown time zone {timezone!r}") from None
    months = _number(data, "months", 12, path, low=1, high=MAX_MONTHS, whole=True)
    trend_months = _number(
        data, "trend_months", 6, path, low=4, high=MAX_MONTHS, whole=True, why="a trend needs 4 months"
    )

    git_table = _get(data, "git", dict, {}, path)
    _no_unknown(git_table, GIT_KEYS, path, "git")
    git = GitSettings(
        tag_pattern=_get(git_table, "tag_pattern", str, "v*", path, "git"),
        exclude_pattern=_get(git_table, "exclude_pattern", str, "", path, "git"),
        commit_time=_commit_time(_get(git_table, "commit_time", str, "author", path, "git"), path, "git.commit_time"),
        include_merges=_get(git_table, "include_merges", bool, False, path, "git"),
        rework_pattern=_regex(
            _get(git_table, "rework_pattern", str, DEFAULT_REWORK_PATTERN, path, "git"), path, "git.rework_pattern"
        ),
        deployments=_choice(_get(git_table, "deployments", str, "auto", path, "git"), SOURCES, path, "git.deployments"),
    )
    Pattern.parse(git.tag_pattern, path, "git.tag_pattern")
    Pattern.parse(git.exclude_pattern, path, "git.exclude_pattern")

    attribution = _get(data, "attribution", dict, {}, path)
    _no_unknown(attribution, {"window_hours"}, path, "attribution")
    window_hours = _number(attribution, "window_hours", 72, path, "attribution", low=0)

    teams: list[Team] = []
    for i, item in enumerate(_get(data, "teams", list, [], path)):
        where = f"teams[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(path, where, "expected a table")
        _no_unknown(item, {"name"}, path, where)
        name = _required(item, "name", path, where)
        if any(t.name == name for t in teams):
            raise ConfigError(path, f"{where}.name", f"team {name!r} is listed twice")
        teams.append(Team(name))
    team_names = {t.name for t in teams}

    services: list[Service] = []
    seen: set[str] = set()
    repos: dict[str, Path] = {}  # repo text -> resolved path (200 services may share one)
    for i, item in enumerate(_get(data, "services", list, [], path)):
        where = f"services[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(path, where, "expected a table")
        _no_unknown(item, SERVICE_KEYS, path, where)
        name = _required(item, "name", path, where)
        if name in seen:
            raise ConfigError(path, f"{where}.name", f"service {name!r} is listed twice")
        seen.add(name)
        team = _get(item, "team", str, None, path, where)
        if team is not None and team not in team_names:
            raise ConfigError(path, f"{where}.team", f"unknown team {team!r} (add it under [[teams]])")
        repo_text = _required(item, "repo", path, where)
        if repo_text not in repos:
            repos[repo_text] = _file_path(repo_text, base, path, f"{where}.repo")
        repo = repos[repo_text]
        svc_path = _service_path(_get(item, "path", str, "", path, where), path, f"{where}.path")
        services.append(
            Service(
                name=name,
                team=team,
                repo=repo,
                path=svc_path,
                tag_pattern=Pattern.parse(
                    _get(item, "tag_pattern", str, git.tag_pattern, path, where), path, f"{where}.tag_pattern"
                ),
                exclude_pattern=Pattern.parse(
                    _get(item, "exclude_pattern", str, git.exclude_pattern, path, where),
                    path,
                    f"{where}.exclude_pattern",
                ),
                commit_time=_commit_time(
                    _get(item, "commit_time", str, git.commit_time, path, where), path, f"{where}.commit_time"
                ),
                include_merges=_get(item, "include_merges", bool, git.include_merges, path, where),
                rework_pattern=_regex(
                    _get(item, "rework_pattern", str, git.rework_pattern, path, where), path, f"{where}.rework_pattern"
                ),
                deployments=_choice(
                    _get(item, "deployments", str, git.deployments, path, where), SOURCES, path, f"{where}.deployments"
                ),
                system=_system(_get(item, "system", str, None, path, where), path, f"{where}.system"),
                index=i,
            )
        )
    service_names = {s.name for s in services}

    imports: list[ImportSource] = []
    for i, item in enumerate(_get(data, "imports", list, [], path)):
        imports.append(_parse_import(item, i, base, path, service_names, team_names))

    database = _file_path(_get(data, "database", str, "dora.db", path), base, path, "database")
    return Config(
        path=path.resolve(),
        database=database,
        timezone=timezone,
        months=months,
        trend_months=trend_months,
        git=git,
        window_hours=float(window_hours),
        teams=tuple(teams),
        services=tuple(services),
        imports=tuple(imports),
    )


def _parse_import(
    item: Any, i: int, base: Path, path: Path, service_names: set[str], team_names: set[str]
) -> ImportSource:
    where = f"imports[{i}]"
    if not isinstance(item, dict):
        raise ConfigError(path, where, "expected a table")
    _no_unknown(item, IMPORT_KEYS, path, where)
    kind = _required(item, "kind", path, where)
    if kind not in IMPORT_KINDS:
        raise ConfigError(path, f"{where}.kind", f"expected one of {', '.join(IMPORT_KINDS)}, got {kind!r}")
    file = _file_path(_required(item, "file", path, where), base, path, f"{where}.file")
    service_map = _str_map(_get(item, "service_map", dict, {}, path, where), path, f"{where}.service_map")
    for raw, svc in service_map.items():
        if svc not in service_names:
            raise ConfigError(path, f"{where}.service_map", f"{raw!r} maps to unknown service {svc!r}")
    team_map = _str_map(_get(item, "team_map", dict, {}, path, where), path, f"{where}.team_map")
    for raw, team in team_map.items():
        if team not in team_names:
            raise ConfigError(path, f"{where}.team_map", f"{raw!r} maps to unknown team {team!r}")
    unplanned = _get(item, "unplanned", dict, {}, path, where)
    _no_unknown(unplanned, {"types", "labels"}, path, f"{where}.unplanned")
    types = _str_list(unplanned.get("types", list(DEFAULT_UNPLANNED_TYPES)), path, f"{where}.unplanned.types")
    labels = _str_list(unplanned.get("labels", list(DEFAULT_UNPLANNED_LABELS)), path, f"{where}.unplanned.labels")
    timezone = _get(item, "timezone", str, "", path, where)
    if timezone:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(path, f"{where}.timezone", f"unknown time zone {timezone!r}") from None
    from collectors.exports import presets  # here: commands without [[imports]] never load the CSV readers
    from collectors.formats import format_problem

    fmt = _get(item, "format", str, "auto", path, where)
    if (problem := format_problem(fmt, kind)) is not None:
        raise ConfigError(path, f"{where}.format", problem)
    columns = _str_map(_get(item, "columns", dict, {}, path, where), path, f"{where}.columns")
    for field_key in columns:
        if field_key not in presets.GENERIC_KEYS[kind]:
            raise ConfigError(
                path,
                f"{where}.columns.{field_key}",
                f"unknown field for {kind} (known: {', '.join(presets.GENERIC_KEYS[kind])})",
            )
    return ImportSource(
        kind=kind,
        file=file,
        format=fmt,
        name=_get(item, "name", str, "", path, where),
        service_map=service_map,
        team_map=team_map,
        reference_column=_get(item, "reference_column", str, "", path, where),
        unplanned_types=tuple(types),
        unplanned_labels=tuple(labels),
        timezone=timezone,
        date_format=_date_format(_get(item, "date_format", str, "", path, where), path, f"{where}.date_format"),
        columns=columns,
        **_deploy_keys(item, kind, path, where),
        **_tracker_keys(item, kind, path, where),
        index=i,
    )


def _tracker_keys(item: dict[str, Any], kind: str, path: Path, where: str) -> dict[str, Any]:
    """The keys of JSON ticket and incident exports, each a list of names, none empty:
    ``done_lists`` (tickets: Trello lists), ``incident_labels`` (incidents: GitHub labels)."""
    from collectors.trackers.formats import DEFAULT_DONE_LISTS, DEFAULT_INCIDENT_LABELS

    found: dict[str, Any] = {"done_lists": DEFAULT_DONE_LISTS, "incident_labels": DEFAULT_INCIDENT_LABELS}
    for key, for_kind in (("done_lists", "tickets"), ("incident_labels", "incidents")):
        if key in item:
            if kind != for_kind:
                raise ConfigError(path, f"{where}.{key}", f"is for {for_kind}, not {kind}")
            found[key] = tuple(_str_list(item[key], path, f"{where}.{key}"))
            if not found[key] or not all(name.strip() for name in found[key]):
                raise ConfigError(path, f"{where}.{key}", "expected a list of names, none empty")
    return found


def _deploy_keys(item: dict[str, Any], kind: str, path: Path, where: str) -> dict[str, Any]:
    """The keys of a JSON deployments export (:data:`DEPLOY_KEYS`), checked: ``production`` a
    list of names, ``image_pattern`` a regular expression with a group named ``commit`` or
    ``version``, ``version_tag`` a text holding ``{version}`` (and at most ``{service}``)."""
    given = [key for key in DEPLOY_KEYS if key in item]
    if given and kind != "deployments":
        raise ConfigError(path, f"{where}.{given[0]}", f"is for deployments, not {kind}")
    production = _str_list(item.get("production", []), path, f"{where}.production")
    if any(not name.strip() for name in production):
        raise ConfigError(path, f"{where}.production", "a name is empty")
    pattern = _regex(_get(item, "image_pattern", str, "", path, where), path, f"{where}.image_pattern")
    if pattern and not {"commit", "version"} & set(re.compile(pattern).groupindex):
        raise ConfigError(
            path, f"{where}.image_pattern", f"{pattern!r} has no group named commit or version: (?P<commit>...)"
        )
    version_tag = _get(item, "version_tag", str, "{version}", path, where)
    try:
        filled = version_tag.format(version="\0", service="")
    except (KeyError, IndexError, ValueError):
        filled = ""
    if "\0" not in filled:
        raise ConfigError(
            path,
            f"{where}.version_tag",
            f"{version_tag!r} must hold {{version}} and may hold {{service}}, nothing else",
        )
    return {"production": tuple(production), "image_pattern": pattern, "version_tag": version_tag}


def _date_format(text: str, path: Path, key: str) -> str:
    """strptime codes that read a whole date ('' for none), checked here, where they are given."""
    from collectors.exports.date_formats import format_problem  # here: as the presets above

    problem = format_problem(text) if text else None
    if problem:
        raise ConfigError(path, key, problem)
    return text


def _service_path(text: str, path: Path, key: str) -> str:
    """A monorepo folder as git prints paths: ``./a//b/`` becomes ``a/b``; no ``..``, not absolute."""
    if text.startswith("/"):
        raise ConfigError(path, key, f"{text!r} must be relative to the repository's top folder")
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ConfigError(path, key, f"{text!r} may not leave the repository ('..')")
    return "/".join(parts)


def zero_config(cwd: Path) -> Config:
    """The configuration used with no config file, inside a git repository."""
    try:
        toplevel = git_toplevel(cwd)
    except GitMissing as exc:
        raise DoraError(f"{cwd / 'dora.toml'}: no config file here, and {exc}") from None
    if toplevel is None:
        raise ConfigError(
            cwd / "dora.toml",
            "",
            "no config file here and not inside a git repository "
            "(run `dora-tui init DIR` to write one, or `dora-tui demo` to try it)",
        )
    name = toplevel.name.removesuffix(".git") or "service"
    import hashlib  # here: only a zero-config run needs it

    digest = hashlib.sha1(str(toplevel).encode()).hexdigest()[:10]
    database = user_data_dir() / "zero-config" / f"{name}-{digest}.db"
    service = Service(name=name, team=None, repo=toplevel, tag_pattern=Pattern("v*"))
    return Config(path=None, database=database, services=(service,))


def _system(value: str | None, path: Path, key: str) -> str | None:
    """A service's ``system``: a name, not an empty string."""
    if value is not None and not value.strip():
        raise ConfigError(path, key, "is empty (leave the key out, or name the system)")
    return value
