"""The settings, as checked dataclasses: a :class:`Config` with its :class:`Service`, :class:`Team`
and :class:`ImportSource` entries (README, Configuration).

Reading and checking a file into them is :mod:`dora_tui.config.parse`.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from zoneinfo import ZoneInfo

from collectors.exports.defaults import DEFAULT_UNPLANNED_LABELS, DEFAULT_UNPLANNED_TYPES
from collectors.trackers.formats import DEFAULT_DONE_LISTS, DEFAULT_INCIDENT_LABELS
from dora_tui.errors import ConfigError, UnknownName

DEFAULT_REWORK_PATTERN = "(?i)hotfix|rollback|revert"
IMPORT_KINDS = ("incidents", "tickets", "deployments")
MINED_RULES = "rules 5"
"""Raised when a rule that shapes the rows a collect computes changes, so the next collect
recomputes every repository's rows from its stored commits once (2: what names a service
itself is not read as rework; 3: a name that is a rework word is read around only at the
start of its tag names; 4: a match reaching beyond the service's own words counts; 5: only
own words the pattern finds something in are put out of the way, and a message repeating the
deployment's name)."""
MAX_MONTHS = 1200  # a hundred years of months is plenty, and keeps dates in range


def compile_regex(text: str) -> re.Pattern[str]:
    """``text`` compiled as a regular expression; :class:`re.error` also for what Python only
    warns of (a nested set such as ``[[:alpha:]]``: a POSIX class, which Python does not have,
    read as a set of characters), since such a pattern matches other than it reads."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        try:
            return re.compile(text)
        except FutureWarning as exc:
            raise re.error(f"{exc} (POSIX classes such as [[:alpha:]] are not supported: write [A-Za-z])") from None


@dataclass(frozen=True)
class Pattern:
    """A tag pattern: a shell glob, or a regular expression when written ``re:...``.

    Both match the whole tag name (``re:v\\d+`` does not match ``v1.2``; write ``re:v\\d+.*``).
    An empty pattern matches nothing.
    """

    text: str
    regex: re.Pattern[str] | None = None

    @classmethod
    def parse(cls, text: str, path: object, key: str) -> Pattern:
        """Compile ``text``, raising ConfigError naming ``key`` when it is not valid."""
        if not isinstance(text, str):
            raise ConfigError(path, key, f"expected a string pattern, got {type(text).__name__}")
        if text.startswith("re:"):
            try:
                return cls(text, compile_regex(text[3:]))
            except re.error as exc:
                raise ConfigError(path, key, f"bad regular expression {text[3:]!r}: {exc}") from None
        return cls(text)

    def fixed_start(self) -> str:
        """The text every name the pattern matches begins with, up to its last separator
        (``/``, ``-``, ``_``, ``.``, ``@``), which is left off: ``services/rollback-controller``
        of ``services/rollback-controller/v*`` and of ``re:services/rollback\\-controller/v[0-9].*``
        alike; nothing of ``v*``. Of a regular expression, the characters before the first
        that is not itself (an escaped one is)."""
        if self.regex is None:
            start = re.split(r"[*?\[]", self.text, maxsplit=1)[0]
        else:
            start = _literal_start(self.text[3:])
        return re.sub(r"[^/\-_.@]*$", "", start).rstrip("/-_.@")

    def matches(self, name: str) -> bool:
        """True when ``name`` matches the whole pattern."""
        if not self.text:
            return False
        if self.regex is not None:
            return self.regex.fullmatch(name) is not None
        return fnmatchcase(name, self.text)


def _literal_start(expression: str) -> str:
    """The characters a regular expression's matches all begin with: those before its first
    special one (an escaped punctuation character is itself), less one that a quantifier
    after it makes optional or repeated."""
    if _alternatives(expression):
        return ""  # re:hotfix-.*|release-.*: no beginning is every name's
    start: list[str] = []
    k = 0
    while k < len(expression):
        char, step = expression[k], 1
        if char == "\\":
            if k + 1 >= len(expression) or expression[k + 1].isalnum():
                break  # \d, \w, \A ...: a class or an anchor
            char, step = expression[k + 1], 2
        elif char in ".^$*+?{}[]()|":
            break
        if expression[k + step : k + step + 1] in ("*", "?", "{"):
            break
        start.append(char)
        k += step
    return "".join(start)


def _alternatives(expression: str) -> bool:
    """Whether a regular expression has a ``|`` outside any group or set: two beginnings."""
    depth, in_set, k = 0, False, 0
    while k < len(expression):
        char = expression[k]
        if char == "\\":
            k += 2
            continue
        if in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
            k += 2 if expression[k + 1 : k + 2] in ("]", "^") else 1  # a ] first in a set is itself
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        k += 1
    return False


@dataclass(frozen=True)
class GitSettings:
    """The ``[git]`` table: defaults for every service."""

    tag_pattern: str = "v*"
    exclude_pattern: str = ""
    commit_time: str = "author"
    include_merges: bool = False
    rework_pattern: str = DEFAULT_REWORK_PATTERN
    deployments: str = "auto"


@dataclass(frozen=True)
class Team:
    """A ``[[teams]]`` entry."""

    name: str


@dataclass(frozen=True)
class Service:
    """A ``[[services]]`` entry with the ``[git]`` defaults already applied.

    ``deployments`` names the service's one source of truth for its deployments: ``tags``
    (its git tags), ``imports`` (deployments imported from a pipeline's or a runtime's
    export), or ``auto``: its imported deployments when it has any, else its tags
    (:func:`dora_tui.core.sources.source_of`).
    """

    name: str
    team: str | None
    repo: Path
    path: str = ""
    tag_pattern: Pattern = field(default_factory=lambda: Pattern("v*"))
    exclude_pattern: Pattern = field(default_factory=lambda: Pattern(""))
    commit_time: str = "author"
    include_merges: bool = False
    rework_pattern: str = DEFAULT_REWORK_PATTERN
    deployments: str = "auto"
    system: str | None = None  # the Backstage System it belongs to: a grouping shown in reports
    index: int = 0

    def matches_tag(self, name: str) -> bool:
        """True when tag ``name`` is a deployment of this service."""
        return self.tag_pattern.matches(name) and not self.exclude_pattern.matches(name)

    def fingerprint(self) -> str:
        """A short text that changes whenever a setting, or a rule, that shapes mined rows
        changes (:data:`MINED_RULES`)."""
        return "\x1f".join(
            [
                MINED_RULES,
                self.name,
                str(self.repo),
                self.path,
                self.tag_pattern.text,
                self.exclude_pattern.text,
                self.commit_time,
                str(self.include_merges),
                self.rework_pattern,
            ]
        )


@dataclass(frozen=True)
class ImportSource:
    """An ``[[imports]]`` entry: a CSV or JSON source re-read by ``dora-tui import --all``.

    For JSON deployment exports (README, ``dora-tui import``): ``production`` names the
    environments that count (empty: all but those named like staging, dev, test...);
    ``image_pattern`` reads the commit from an image tag (a regular expression with a group
    named ``commit`` or ``version``; empty: the default forms); ``version_tag`` makes a version
    the name of a git tag (``{version}``, ``{service}``).

    For JSON ticket and incident exports: ``done_lists`` names the Trello lists a card is
    resolved in (a word of the list's name, case ignored); ``incident_labels`` the GitHub
    issue labels that make an issue an incident.
    """

    kind: str
    file: Path
    format: str = "auto"
    name: str = ""
    service_map: dict[str, str] = field(default_factory=dict)
    team_map: dict[str, str] = field(default_factory=dict)
    reference_column: str = ""
    unplanned_types: tuple[str, ...] = DEFAULT_UNPLANNED_TYPES
    unplanned_labels: tuple[str, ...] = DEFAULT_UNPLANNED_LABELS
    timezone: str = ""
    date_format: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    production: tuple[str, ...] = ()
    image_pattern: str = ""
    version_tag: str = "{version}"
    done_lists: tuple[str, ...] = DEFAULT_DONE_LISTS
    incident_labels: tuple[str, ...] = DEFAULT_INCIDENT_LABELS
    index: int = 0


@dataclass(frozen=True)
class Config:
    """The whole configuration, checked. ``path`` is ``None`` for zero-config."""

    path: Path | None
    database: Path
    timezone: str = "UTC"
    months: int = 12
    trend_months: int = 6
    git: GitSettings = field(default_factory=GitSettings)
    window_hours: float = 72.0
    teams: tuple[Team, ...] = ()
    services: tuple[Service, ...] = ()
    imports: tuple[ImportSource, ...] = ()

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    def own_words(self, service: Service) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """``(starts, names)``: what names ``service`` itself in its deployments' names and
        messages, never read as rework (:func:`dora_tui.core.attribution.own_words`). Its names
        are its name, its path and the path's last folder, and the names its deployment
        imports' ``service_map`` maps to it (a workload ``rollback-controller`` of a service
        ``rc``); a deployment's name may begin with its tag pattern's fixed start
        (:meth:`Pattern.fixed_start`), its name or one of those."""
        aliases = tuple(
            raw
            for entry in self.imports
            if entry.kind == "deployments"
            for raw, target in entry.service_map.items()
            if target == service.name
        )
        starts = (service.tag_pattern.fixed_start(), service.name, *aliases)
        return starts, (service.name, service.path, service.path.rsplit("/", 1)[-1], *aliases)

    @property
    def label(self) -> str:
        """The file name used in messages."""
        return str(self.path) if self.path else "(zero-config)"

    def service(self, name: str) -> Service | None:
        """The service called ``name``, or None."""
        return next((s for s in self.services if s.name == name), None)

    def require_service(self, name: str) -> Service:
        """The service called ``name``; :class:`~dora_tui.errors.UnknownName` when there is none."""
        found = self.service(name)
        if found is None:
            raise UnknownName("service", name, [s.name for s in self.services])
        return found

    def require_team(self, name: str) -> Team:
        """The team called ``name``; :class:`~dora_tui.errors.UnknownName` when there is none."""
        found = self.team(name)
        if found is None:
            raise UnknownName("team", name, [t.name for t in self.teams])
        return found

    def team(self, name: str) -> Team | None:
        """The team called ``name``, or None."""
        return next((t for t in self.teams if t.name == name), None)

    def services_of(self, team: str) -> list[Service]:
        """The services owned by ``team``, in config order."""
        return [s for s in self.services if s.team == team]
