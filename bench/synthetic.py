"""Synthetic data for the benchmarks: a big database, and big CSV exports in the tools' formats.

Everything is deterministic: the same arguments (and seed) give byte-identical files and
the same database rows on every machine, whatever the hash seed.

- :func:`build_database` writes a database through :class:`dora_tui.store.database.Store` (deployments,
  changes, incidents and tickets of many services and teams over many months) and its
  ``dora.toml``; ``bench_report.py`` and the dashboard benchmark use it.
- :func:`write_jira_csv` and :func:`write_pagerduty_csv` write a Jira Cloud "all fields" CSV
  export and a PagerDuty ``incidents.csv`` report; :func:`write_import_config` writes a
  ``dora.toml`` whose teams and services the rows of both map to. ``bench_import.py`` uses
  them.

Names: teams are words (``payments``, ``search``...; with a number once the words run out),
services are ``TEAM-COMPONENT`` (``payments-api``, ``payments-worker``...), spread unevenly
over the teams (4 to 16 services each for the defaults). Only the standard library and
dora-tui (for :func:`build_database`).
"""

from __future__ import annotations

import csv
import json
import math
import random
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

GENERATOR_VERSION = 1
"""Bump when the generated data changes, so that a stamped, reused work folder is rebuilt."""

AS_OF = date(2026, 11, 22)
"""The default last day of the generated data (and the ``--as-of`` of the report benchmark)."""

TIMEZONE = "Europe/London"
SEED = 20261122

_TEAM_WORDS = (
    "payments",
    "search",
    "identity",
    "checkout",
    "catalog",
    "platform",
    "data",
    "mobile",
    "growth",
    "billing",
    "logistics",
    "messaging",
    "ledger",
    "pricing",
    "media",
    "support",
    "security",
    "analytics",
    "partners",
    "notifications",
    "inventory",
    "reviews",
    "loyalty",
    "onboarding",
)
_COMPONENTS = (
    "api",
    "worker",
    "web",
    "gateway",
    "scheduler",
    "importer",
    "exporter",
    "store",
    "cache",
    "events",
    "admin",
    "reports",
    "sync",
    "auth",
    "jobs",
    "edge",
    "indexer",
    "router",
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FIRST_NAMES = (
    "Alice",
    "Bob",
    "Carol",
    "Dan",
    "Erin",
    "Frank",
    "Grace",
    "Heidi",
    "Ivan",
    "Judy",
    "Mallory",
    "Niaj",
    "Olivia",
    "Peggy",
    "Rupert",
    "Sybil",
    "Trent",
    "Uma",
    "Victor",
    "Wendy",
    "Xavier",
    "Yasmin",
    "Zoe",
    "Amir",
    "Bea",
    "Chen",
    "Dmitri",
    "Esther",
    "Farid",
    "Gita",
)
_LAST_NAMES = (
    "Smith",
    "Jones",
    "Garcia",
    "Nguyen",
    "Okafor",
    "Kowalski",
    "Tanaka",
    "Silva",
    "Müller",
    "Dubois",
    "Rossi",
    "Haddad",
    "Ivanova",
    "O'Brien",
    "Larsen",
    "Patel",
)
_WORDS = (
    "the",
    "checkout",
    "retry",
    "timeout",
    "cache",
    "user",
    "order",
    "page",
    "error",
    "latency",
    "search",
    "index",
    "payment",
    "refund",
    "token",
    "session",
    "mobile",
    "login",
    "report",
    "export",
    "import",
    "flag",
    "rollout",
    "config",
    "queue",
    "message",
    "email",
    "invoice",
    "price",
    "stock",
    "banner",
    "button",
    "layout",
)
_HEX = "0123456789abcdef"
_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


# ---- names -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    """Teams, services (name -> team), Jira project keys (team -> key) and service weights."""

    teams: tuple[str, ...]
    services: tuple[tuple[str, str], ...]  # (service, team), sorted by service
    projects: dict[str, str]  # team -> Jira project key
    weights: dict[str, float]  # service -> share of the activity


def make_org(services: int, teams: int, seed: int = SEED) -> Org:
    """``teams`` teams owning ``services`` services between them, unevenly (every team owns one)."""
    if teams < 1 or services < teams:
        raise ValueError("need at least one team and at least as many services as teams")
    rng = random.Random(f"org-{seed}")
    team_names = []
    for i in range(teams):
        word = _TEAM_WORDS[i % len(_TEAM_WORDS)]
        team_names.append(word if i < len(_TEAM_WORDS) else f"{word}{i // len(_TEAM_WORDS) + 1}")
    # Uneven team sizes: every team one service, the rest by weight (about 4 to 16 each).
    sizes = [1] * teams
    size_weights = [rng.uniform(0.4, 2.2) for _ in range(teams)]
    for _ in range(services - teams):
        sizes[rng.choices(range(teams), size_weights)[0]] += 1
    owned: list[tuple[str, str]] = []
    for team, size in zip(team_names, sizes):
        for k in range(size):
            comp = _COMPONENTS[k % len(_COMPONENTS)]
            name = f"{team}-{comp}" if k < len(_COMPONENTS) else f"{team}-{comp}{k // len(_COMPONENTS) + 1}"
            owned.append((name, team))
    owned.sort()
    projects: dict[str, str] = {}
    used: set[str] = set()
    for team in team_names:
        key = team[:3].upper()
        n = 2
        while key in used:
            key = f"{team[:3].upper()}{n}"
            n += 1
        used.add(key)
        projects[team] = key
    # Activity: log-normal shares, so a few services deploy many times a day and some monthly.
    weights = {name: rng.lognormvariate(0.0, 0.9) for name, _ in owned}
    return Org(tuple(team_names), tuple(owned), projects, weights)


def _sha(rng: random.Random) -> str:
    return f"{rng.getrandbits(160):040x}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


# ---- time ------------------------------------------------------------------------------


def _first_of_month(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


class Clock:
    """Working-hours times between the first day of ``months`` months before ``as_of`` and its end."""

    def __init__(self, as_of: date, months: int, tz: ZoneInfo, rng: random.Random) -> None:
        self.tz = tz
        self.rng = rng
        self.first = _first_of_month(as_of, months - 1)
        self.days = (as_of - self.first).days + 1
        self.midnights = [
            int(datetime.combine(self.first + timedelta(days=d), datetime.min.time(), tzinfo=tz).timestamp())
            for d in range(self.days + 1)
        ]
        self.start = self.midnights[0]
        self.end = self.midnights[-1]  # the end of as_of: nothing at or after it
        self.weekdays = [d for d in range(self.days) if (self.first + timedelta(days=d)).weekday() < 5]

    def working(self, lo_day: int = 0, hi_day: int | None = None) -> int:
        """A weekday (weekends 4 % of the time), 08:00-19:00 local, in [lo_day, hi_day)."""
        hi_day = self.days if hi_day is None else hi_day
        rng = self.rng
        if rng.random() < 0.04:
            day = rng.randrange(lo_day, hi_day)
        else:
            lo = _bisect(self.weekdays, lo_day)
            hi = _bisect(self.weekdays, hi_day)
            day = self.weekdays[rng.randrange(lo, hi)] if hi > lo else rng.randrange(lo_day, hi_day)
        return self.midnights[day] + rng.randrange(8 * 3600, 19 * 3600)

    def any_time(self) -> int:
        return self.rng.randrange(self.start, self.end)


def _bisect(values: list[int], x: int) -> int:
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


# ---- the database ----------------------------------------------------------------------


def _config_text(org: Org, *, database: str, months: int, repo: str | None, imports: list[str] | None = None) -> str:
    lines = [
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


def build_database(
    directory: str | Path,
    *,
    services: int = 200,
    teams: int = 20,
    months: int = 36,
    deployments: int = 100_000,
    seed: int = SEED,
    changes_per_deployment: float = 3.0,
    incidents: int | None = None,
    tickets: int = 50_000,
    as_of: date = AS_OF,
    commits: bool = False,
    reuse: bool = True,
) -> Path:
    """Write ``DIR/dora.toml`` and ``DIR/dora.db`` (and an empty ``DIR/repo``); returns the config.

    The database holds, over the ``months`` calendar months ending with ``as_of`` (London
    time): ``deployments`` git deployments spread unevenly over ``services`` services of
    ``teams`` teams (log-normal shares; 15 % of services start part-way through; working
    hours, hotfix releases marked rework); about ``changes_per_deployment`` changes per
    deployment (none for each service's baseline), lead times log-normal around a
    per-service median of 4 h to 4 days that drifts up or down over time, 0.1 % clock skew;
    ``incidents`` (default: one per 25 deployments) PagerDuty incidents, about half opening
    within 72 h of a deployment of their service, some naming it, 1.5 % still open, 2 %
    unmapped; and ``tickets`` Jira tickets of every team (Story, Task, Bug, Incident...,
    unplanned by type or label, 8 % unresolved, 1 % unmapped).

    With ``commits``, each change's commit (author, subject) is stored too, one repository
    record per service, so that drill-downs show them (slower to build, bigger file).
    With ``reuse`` (the default) an existing database built with the same parameters
    (recorded in ``DIR/synthetic.json``) is kept as it is.
    """
    from collectors.records import Change, Commit, Deployment, Incident, Ticket
    from dora_tui.store.database import Store

    root = Path(directory).resolve()
    if incidents is None:
        incidents = max(1, deployments // 25)
    params = {
        "generator": GENERATOR_VERSION,
        "services": services,
        "teams": teams,
        "months": months,
        "deployments": deployments,
        "seed": seed,
        "changes_per_deployment": changes_per_deployment,
        "incidents": incidents,
        "tickets": tickets,
        "as_of": as_of.isoformat(),
        "commits": commits,
    }
    config = root / "dora.toml"
    database = root / "dora.db"
    stamp = root / "synthetic.json"
    if reuse and config.exists() and database.exists() and stamp.exists():
        try:
            if json.loads(stamp.read_text(encoding="utf-8")).get("params") == params:
                return config
        except (ValueError, OSError):
            pass
    root.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        (root / f"dora.db{suffix}").unlink(missing_ok=True)
    stamp.unlink(missing_ok=True)
    (root / "repo").mkdir(exist_ok=True)

    org = make_org(services, teams, seed)
    config.write_text(_config_text(org, database="dora.db", months=months, repo="repo"), encoding="utf-8")
    tz = ZoneInfo(TIMEZONE)
    rng = random.Random(seed)
    clock = Clock(as_of, months, tz, rng)
    names = [s for s, _ in org.services]
    team_of = dict(org.services)

    # How many deployments each service gets (at least 3), and when it starts.
    total_w = sum(org.weights.values())
    counts = {s: max(3, int(deployments * org.weights[s] / total_w)) for s in names}
    diff = deployments - sum(counts.values())
    order = sorted(names, key=lambda s: -org.weights[s])
    i = 0
    while diff != 0:  # make the total exact, taking from / giving to the busiest first
        s = order[i % len(order)]
        if diff > 0:
            counts[s] += 1
            diff -= 1
        elif counts[s] > 3:
            counts[s] -= 1
            diff += 1
        i += 1

    stats = {"deployments": 0, "changes": 0, "negative": 0, "incidents": 0, "tickets": 0}
    deps_of: dict[str, list] = {}
    store = Store.open(database)
    try:
        with store.atomic():
            for service in names:
                start_day = rng.randrange(clock.days * 2 // 3) if rng.random() < 0.15 else 0
                times = sorted(clock.working(start_day) for _ in range(counts[service]))
                # Lead time: log-normal around a per-service median, drifting over the months.
                median_h = math.exp(rng.uniform(math.log(4), math.log(96)))
                drift = rng.uniform(-1.0, 1.0)  # log-units over the whole period
                sigma = rng.uniform(0.8, 1.5)
                repo_id = store.ensure_repo(f"/synthetic/{service}").id if commits else 0
                deps, changes, rows = [], [], []
                major, minor, patch = rng.randrange(0, 3), 0, 0
                previous = None
                for k, t in enumerate(times):
                    if t == previous:
                        t += 1
                    previous = t
                    hotfix = k > 0 and rng.random() < 0.04
                    if hotfix:
                        patch += 1
                    elif rng.random() < 0.08:
                        minor, patch = minor + 1, 0
                        if rng.random() < 0.1:
                            major, minor = major + 1, 0
                    else:
                        patch += 1
                    tag = f"v{major}.{minor}.{patch}"
                    sha = _sha(rng)
                    message = f"Hotfix {tag}: {_sentence(rng, 3)}" if hotfix else f"Release {tag}"
                    deps.append(Deployment(service, tag, t, sha, message, "git", baseline=(k == 0), rework=hotfix))
                    if k == 0:
                        continue
                    progress = (t - clock.start) / (clock.end - clock.start)
                    mu = math.log(median_h * 3600) + drift * (progress - 0.5)
                    n = _poisson(rng, changes_per_deployment)
                    for _ in range(n):
                        lead = int(rng.lognormvariate(mu, sigma))
                        csha = _sha(rng)
                        negative = rng.random() < 0.001
                        commit_time = t + rng.randrange(60, 3600) if negative else t - lead
                        changes.append(
                            Change(service, csha, tag, commit_time, t, 0 if negative else lead, negative=negative)
                        )
                        if commits:
                            rows.append(
                                Commit(
                                    csha,
                                    (_sha(rng),),
                                    commit_time,
                                    commit_time,
                                    _person(rng),
                                    _sentence(rng, rng.randrange(3, 9)).capitalize(),
                                )
                            )
                if rows:
                    store.add_commits(repo_id, rows)
                store.replace_git_rows(service, deps, changes, repo_id)
                deps_of[service] = deps
                stats["deployments"] += len(deps)
                stats["changes"] += len(changes)
                stats["negative"] += sum(c.negative for c in changes)

            # Incidents: about half open within 72 h of a deployment of their service.
            weights = [org.weights[s] for s in names]
            rows_i = []
            for n in range(incidents):
                service = rng.choices(names, weights)[0]
                deps = deps_of[service]
                ref = ""
                if rng.random() < 0.5:
                    d = rng.choice(deps)
                    opened = d.time + int(rng.uniform(0, 72 * 3600))
                    if rng.random() < 0.2:
                        ref = d.name if rng.random() < 0.5 else d.sha[:12]
                else:
                    opened = clock.any_time()
                opened = min(opened, clock.end - 3600)
                duration = int(rng.lognormvariate(math.log(1.5 * 3600), 1.3))
                resolved = None if rng.random() < 0.015 else opened + max(60, duration)
                if resolved is not None and resolved >= clock.end and rng.random() < 0.5:
                    resolved = None
                mapped = rng.random() >= 0.02
                raw = service if mapped else rng.choice(("legacy-billing", "mainframe", "vpn"))
                rows_i.append(
                    Incident(
                        "pagerduty",
                        f"Q{n:06d}{''.join(rng.choice(_ALNUM) for _ in range(7))}",
                        opened,
                        resolved,
                        service if mapped else None,
                        raw,
                        team_of[service] if mapped else None,
                        rng.choice(("high", "high", "low", "P1", "P2")),
                        f"[FIRING:1] {rng.choice(('HighErrorRate', 'HighLatency', 'PodCrashLooping', 'DiskFull'))}"
                        f" {raw}",
                        ref,
                    )
                )
            stats["incidents"] = store.upsert_incidents(rows_i)

            # Tickets: every team, created on working days, most resolved days later.
            rows_t = []
            services_of: dict[str, list[str]] = {}
            for service, team in org.services:
                services_of.setdefault(team, []).append(service)
            team_weights = [sum(org.weights[s] for s in services_of[t]) ** 0.5 for t in org.teams]
            numbers: dict[str, int] = {}
            for _ in range(tickets):
                team = rng.choices(org.teams, team_weights)[0]
                project = org.projects[team]
                numbers[project] = numbers.get(project, 0) + 1
                kind = rng.choices(("Story", "Task", "Bug", "Sub-task", "Incident", "Epic"), (45, 25, 18, 7, 3, 2))[0]
                labels = tuple(
                    sorted(
                        {
                            rng.choice(
                                ("backend", "frontend", "tech-debt", "customer", "unplanned", "hotfix", "ux", "perf")
                            )
                            for _ in range(rng.choice((0, 0, 1, 1, 2, 3)))
                        }
                    )
                )
                created = clock.working()
                resolved = None
                if rng.random() >= 0.08:
                    resolved = created + int(rng.lognormvariate(math.log(4 * 86400), 1.1))
                    if resolved >= clock.end:
                        resolved = None
                mapped = rng.random() >= 0.01
                service = rng.choice(services_of[team]) if rng.random() < 0.6 else None
                unplanned = kind in ("Bug", "Incident") or bool({"unplanned", "hotfix"} & set(labels))
                rows_t.append(
                    Ticket(
                        "jira",
                        f"{project}-{numbers[project]}",
                        created,
                        resolved,
                        team if mapped else None,
                        project if mapped else "LEGACY",
                        service if mapped else None,
                        kind,
                        "Done" if resolved is not None else rng.choice(("To Do", "In Progress", "In Review")),
                        labels,
                        _sentence(rng, rng.randrange(3, 9)).capitalize(),
                        unplanned,
                    )
                )
            stats["tickets"] = store.upsert_tickets(rows_t)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    stamp.write_text(json.dumps({"params": params, "stats": stats}, indent=2) + "\n", encoding="utf-8")
    return config


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; fine for small means)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def database_stats(directory: str | Path) -> dict:
    """The row counts recorded by :func:`build_database` (empty when unknown)."""
    try:
        return json.loads((Path(directory) / "synthetic.json").read_text(encoding="utf-8"))["stats"]
    except (OSError, ValueError, KeyError):
        return {}


# ---- CSV exports -----------------------------------------------------------------------

JIRA_HEADER = (
    "Summary",
    "Issue key",
    "Issue id",
    "Parent id",
    "Issue Type",
    "Status",
    "Project key",
    "Project name",
    "Project type",
    "Project lead",
    "Project description",
    "Project url",
    "Priority",
    "Resolution",
    "Assignee",
    "Reporter",
    "Creator",
    "Created",
    "Updated",
    "Last Viewed",
    "Resolved",
    "Fix versions",
    "Fix versions",
    "Components",
    "Components",
    "Due date",
    "Votes",
    "Labels",
    "Labels",
    "Labels",
    "Description",
    "Environment",
    "Watchers",
    "Watchers",
    "Original estimate",
    "Remaining Estimate",
    "Time Spent",
    "Work Ratio",
    "Σ Original Estimate",
    "Σ Remaining Estimate",
    "Σ Time Spent",
    "Security Level",
    "Attachment",
    "Custom field (Development)",
    "Custom field (Rank)",
    "Custom field (Start date)",
    "Custom field (Story point estimate)",
    "Custom field (Team)",
    "Sprint",
    "Sprint",
    "Parent",
    "Parent summary",
    "Status Category",
    "Status Category Changed",
    "Comment",
    "Comment",
)
"""Jira Cloud's "Export Excel CSV (all fields)": repeated names, as Jira writes them."""

PAGERDUTY_HEADER = (
    "id",
    "incident_number",
    "description",
    "service_id",
    "service_name",
    "escalation_policy_id",
    "escalation_policy_name",
    "created_on",
    "resolved_on",
    "seconds_to_first_ack",
    "seconds_to_resolve",
    "auto_resolved",
    "escalation_count",
    "auto_escalation_count",
    "manual_escalation_count",
    "assigned_to_user_count",
    "acknowledge_count",
    "urgency",
)
"""PagerDuty's incidents report (Analytics → Reports → Download CSV)."""


class _JiraDates:
    """Jira's ``12/Mar/24 3:45 PM`` (wall clock in the exporting user's zone), cached per minute."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self.cache: dict[int, str] = {}

    def __call__(self, t: int) -> str:
        minute = t // 60
        text = self.cache.get(minute)
        if text is None:
            d = datetime.fromtimestamp(minute * 60, self.tz)
            hour = d.hour % 12 or 12
            text = (
                f"{d.day:02d}/{_MONTHS[d.month - 1]}/{d.year % 100:02d} {hour}:{d.minute:02d} "
                f"{'AM' if d.hour < 12 else 'PM'}"
            )
            self.cache[minute] = text
        return text

    def day(self, t: int) -> str:
        d = datetime.fromtimestamp(t, self.tz)
        return f"{d.day:02d}/{_MONTHS[d.month - 1]}/{d.year % 100:02d}"


def _description(rng: random.Random) -> str:
    """Jira descriptions: empty, one line, or several lines with quotes, commas and lists."""
    r = rng.random()
    if r < 0.25:
        return ""
    if r < 0.6:
        return _sentence(rng, rng.randrange(6, 30)).capitalize() + "."
    parts = [f"h3. {_sentence(rng, 3).capitalize()}", ""]
    for _ in range(rng.randrange(2, 8)):
        parts.append(f'# {_sentence(rng, rng.randrange(4, 14))}, then "{rng.choice(_WORDS)}"')
    if rng.random() < 0.4:
        parts += ["", "{code}", f"ERROR 500 at /api/{rng.choice(_WORDS)}?id={rng.randrange(10**6)}", "{code}"]
    parts.append(_sentence(rng, rng.randrange(5, 25)).capitalize() + ".")
    return "\r\n".join(parts) if rng.random() < 0.5 else "\n".join(parts)


def write_jira_csv(
    path: str | Path, org: Org, rows: int, *, as_of: date = AS_OF, months: int = 36, seed: int = SEED
) -> dict:
    """A Jira Cloud CSV export of ``rows`` issues of ``org``'s projects, newest first.

    Header :data:`JIRA_HEADER` (56 columns, ``Components``, ``Labels``, ``Sprint``,
    ``Watchers``, ``Fix versions`` and ``Comment`` repeated), a UTF-8 BOM, CRLF line ends,
    dates ``dd/Mon/yy h:mm AM`` in London time; about 40 % multi-line descriptions. Project
    keys are the teams' keys (:attr:`Org.projects`) and one ``IT`` help-desk project that
    no team_map names (its rows are unmapped unless a component names a service);
    components are service names, else ``web-legacy``/``docs``. Returns counts.
    """
    rng = random.Random(f"jira-{seed}")
    tz = ZoneInfo(TIMEZONE)
    clock = Clock(as_of, months, tz, rng)
    fmt = _JiraDates(tz)
    services_of: dict[str, list[str]] = {}
    for service, team in org.services:
        services_of.setdefault(team, []).append(service)
    projects = [(org.projects[t], t) for t in org.teams] + [("IT", "")]
    weights = [len(services_of[t]) ** 0.7 for t in org.teams] + [0.3]
    people = [_person(rng) for _ in range(300)]
    issues = []
    numbers: dict[str, int] = {}
    for _ in range(rows):
        key, team = rng.choices(projects, weights)[0]
        numbers[key] = numbers.get(key, 0) + 1
        issues.append((clock.working(), key, team, numbers[key]))
    issues.sort(key=lambda x: (x[0], x[1], x[3]))
    counts = {"rows": rows, "unresolved": 0, "multiline": 0}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(JIRA_HEADER)
        lines: list[list] = []
        # Jira writes the newest issue first; ids follow creation order.
        for index in range(len(issues) - 1, -1, -1):
            created, key, team, number = issues[index]
            issue_id = 10000 + index
            kind = rng.choices(("Story", "Task", "Bug", "Sub-task", "Incident", "Epic"), (45, 25, 18, 7, 3, 2))[0]
            resolved = None
            if rng.random() >= 0.12:
                resolved = created + int(rng.lognormvariate(math.log(4 * 86400), 1.1))
                if resolved >= clock.end:
                    resolved = None
            if resolved is None:
                counts["unresolved"] += 1
                status = rng.choice(("To Do", "In Progress", "In Review", "Blocked"))
                category = "To Do" if status == "To Do" else "In Progress"
            else:
                status, category = rng.choice(("Done", "Done", "Closed", "Resolved")), "Done"
            updated = (
                resolved if resolved is not None else min(created + rng.randrange(3600, 30 * 86400), clock.end - 60)
            )
            if team and rng.random() < 0.7:
                comps = rng.sample(services_of[team], min(len(services_of[team]), rng.choice((1, 1, 2))))
            elif rng.random() < 0.5:
                comps = [rng.choice(("web-legacy", "docs"))]
            else:
                comps = []
            comps = ([*comps, "", ""])[:2]
            labels = sorted(
                {
                    rng.choice(("backend", "frontend", "tech-debt", "customer", "unplanned", "hotfix", "ux", "perf"))
                    for _ in range(rng.choice((0, 0, 1, 1, 2, 3)))
                }
            )
            labels = ([*labels, "", "", ""])[:3]
            description = _description(rng)
            if "\n" in description:
                counts["multiline"] += 1
            sprint = (
                f"{key} Sprint {(created - clock.start) // (14 * 86400) + 1}"
                if kind in ("Story", "Task", "Sub-task")
                else ""
            )
            assignee, reporter = rng.choice(people), rng.choice(people)
            comment = (
                f"{fmt(updated)};{issue_id + 7}0000;{_sentence(rng, rng.randrange(4, 20))}"
                if rng.random() < 0.35
                else ""
            )
            estimate = str(rng.choice((3600, 7200, 14400, 28800, 57600))) if kind == "Task" else ""
            lines.append(
                [
                    _sentence(rng, rng.randrange(3, 9)).capitalize(),
                    f"{key}-{number}",
                    issue_id,
                    issue_id - rng.randrange(1, 50) if kind == "Sub-task" and issue_id > 10050 else "",
                    kind,
                    status,
                    key,
                    (team or "IT help desk").title(),
                    "service_desk" if key == "IT" else "software",
                    rng.choice(people),
                    "",
                    f"https://example.atlassian.net/browse/{key}",
                    rng.choice(("Highest", "High", "Medium", "Medium", "Low")),
                    "Done" if resolved is not None else "",
                    assignee,
                    reporter,
                    reporter,
                    fmt(created),
                    fmt(updated),
                    fmt(updated) if rng.random() < 0.3 else "",
                    fmt(resolved) if resolved is not None else "",
                    f"{rng.randrange(1, 9)}.{rng.randrange(0, 30)}.0"
                    if resolved is not None and rng.random() < 0.4
                    else "",
                    "",
                    comps[0],
                    comps[1],
                    fmt.day(created + 14 * 86400) if rng.random() < 0.1 else "",
                    0,
                    *labels,
                    description,
                    "",
                    assignee,
                    reporter if reporter != assignee else "",
                    estimate,
                    estimate,
                    "",
                    "",
                    estimate,
                    estimate,
                    "",
                    "",
                    "",
                    "{}" if rng.random() < 0.6 else "{pullrequest={dataType=pullrequest, state=MERGED, stateCount=1}}",
                    f"0|i{issue_id:05x}:",
                    "",
                    rng.choice(("", "", "1", "2", "3", "5", "8")) if kind == "Story" else "",
                    "",
                    sprint,
                    "",
                    "",
                    "",
                    category,
                    fmt(updated),
                    comment,
                    "",
                ]
            )
            if len(lines) >= 5000:
                out.writerows(lines)
                lines.clear()
        out.writerows(lines)
    counts["bytes"] = path.stat().st_size
    return counts


def write_pagerduty_csv(
    path: str | Path, org: Org, rows: int, *, as_of: date = AS_OF, months: int = 36, seed: int = SEED
) -> dict:
    """A PagerDuty incidents report of ``rows`` incidents (oldest first), times ISO 8601 in
    the account's zone (America/New_York, so offsets -05:00 and -04:00), CRLF line ends.

    ``service_name`` is mostly a configured service name; 10 % are PagerDuty names
    ``SERVICE-prod`` (for the ``service_map`` of :func:`write_import_config`), 2 % are
    services nobody configured (stored as unmapped). 1.5 % are still open. Returns counts.
    """
    rng = random.Random(f"pagerduty-{seed}")
    account = ZoneInfo("America/New_York")
    clock = Clock(as_of, months, ZoneInfo(TIMEZONE), rng)
    names = [s for s, _ in org.services]
    weights = [org.weights[s] for s in names]
    team_of = dict(org.services)
    policies = {t: f"{t.title()} on-call" for t in org.teams}
    times = sorted(clock.any_time() for _ in range(rows))
    counts = {"rows": rows, "open": 0, "mapped_by_map": 0, "unknown": 0}

    def iso(t: int) -> str:
        return datetime.fromtimestamp(t, account).isoformat(timespec="seconds")

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(PAGERDUTY_HEADER)
        for number, opened in enumerate(times, start=1001):
            service = rng.choices(names, weights)[0]
            r = rng.random()
            if r < 0.02:
                pd_name, team = rng.choice(("legacy-billing", "mainframe", "corp-vpn")), "it"
                counts["unknown"] += 1
            elif r < 0.12:
                pd_name, team = f"{service}-prod", team_of[service]
                counts["mapped_by_map"] += 1
            else:
                pd_name, team = service, team_of[service]
            policy = policies.get(team, "IT on-call")
            resolved = None
            if rng.random() >= 0.015:
                resolved = opened + max(60, int(rng.lognormvariate(math.log(1.5 * 3600), 1.3)))
            if resolved is None:
                counts["open"] += 1
            auto = resolved is not None and rng.random() < 0.2
            ack = "" if auto or (resolved is None and rng.random() < 0.5) else rng.randrange(20, 900)
            alert = rng.choice(("HighErrorRate", "HighLatency", "PodCrashLooping", "DiskFull", "CertificateExpiry"))
            description = f"[FIRING:{rng.randrange(1, 4)}] {alert} {pd_name}"
            if rng.random() < 0.05:
                description += f', "{_sentence(rng, 4)}", see runbook'
            esc = rng.choice((0, 0, 0, 1, 2))
            out.writerow(
                [
                    "Q" + "".join(rng.choice(_ALNUM) for _ in range(13)),
                    number,
                    description,
                    "P" + "".join(rng.choice(_ALNUM) for _ in range(6)),
                    pd_name,
                    "P" + "".join(rng.choice(_ALNUM) for _ in range(6)),
                    policy,
                    iso(opened),
                    iso(resolved) if resolved is not None else "",
                    ack,
                    resolved - opened if resolved is not None else "",
                    "true" if auto else "false",
                    esc,
                    esc if auto else 0,
                    0 if auto else esc,
                    1,
                    0 if auto else 1,
                    rng.choice(("high", "high", "low")),
                ]
            )
    counts["bytes"] = path.stat().st_size
    return counts


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
        _config_text(org, database=database, months=months, repo="repo", imports=imports), encoding="utf-8"
    )
    return config


def remove_tree(path: Path) -> None:
    """Remove a work folder (or file), ignoring what is already gone."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


__all__ = [
    "AS_OF",
    "SEED",
    "TIMEZONE",
    "Org",
    "build_database",
    "database_stats",
    "make_org",
    "remove_tree",
    "write_import_config",
    "write_jira_csv",
    "write_pagerduty_csv",
]
