"""The demo's story: when each service deploys, what each deployment carries, what breaks.

Pure generation, no I/O: :func:`make_story` turns ``today`` and a seed into commits, tags,
incidents and tickets, drawing only from one ``random.Random(seed)`` in a fixed order, so
the same inputs always give the same story. Times are whole seconds since the epoch (UTC);
office hours are reckoned in Europe/London.

The plot (18 months up to ``today``):

- ``storefront`` (checkout, storefront-web) is *improving*: deployments go from about one
  a week to five, commits wait less before a tag, fewer deployments fail.
- ``platform`` (identity, notifications) is *steady*.
- ``payments`` (ledger and billing in one monorepo, payment-gateway) is *quietly sliding*
  over the last 6 months: fewer deployments, commits wait longer, more and longer
  incidents, more unplanned tickets.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .demo_cast import (BUGS, DEPENDABOT, DEPENDENCIES, DEPENDENCY_FILE, EDGES, FEATURES, GITHUB,
                        MONOREPO_CHORES, RELEASE_BOT, SERVICES, TEAMS, VERBS, Person, ServiceSpec)

LONDON = ZoneInfo("Europe/London")
MINUTE, HOUR, DAY = 60, 3600, 86400


@dataclass
class Commit:
    """A commit to write. ``branch`` > 0: on that feature branch; ``merge`` > 0: merges it."""

    time: int
    author: Person
    message: str
    path: str = ""
    branch: int = 0
    merge: int = 0
    committer: Person | None = None
    service: str = ""
    kind: str = "change"      # change, fix, revert, chore, merge, initial


@dataclass
class Tag:
    """A tag to write, pointing at the main line's head at ``time``."""

    name: str
    time: int
    annotated: bool
    tagger: Person
    message: str = ""


@dataclass
class Incident:
    """A page: ``service`` is the dora service ('' when PagerDuty's name maps to none)."""

    service: str
    pd_service: str
    team: str
    opened: int
    resolved: int | None
    title: str
    urgency: str
    responder: Person
    auto_resolved: bool = False


@dataclass
class Ticket:
    """A Jira issue."""

    team: str
    kind: str
    summary: str
    created: int
    resolved: int | None
    status: str
    resolution: str
    priority: str
    labels: tuple[str, ...]
    components: tuple[str, ...]
    assignee: Person
    reporter: Person
    description: str = ""


@dataclass
class RepoPlan:
    """One repository: its initial files, then commits and tags in any order."""

    name: str
    created: int
    files: list[str]
    commits: list[Commit] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)


@dataclass
class Story:
    """Everything the demo writes."""

    start: int
    end: int
    knee: int
    repos: list[RepoPlan]
    incidents: list[Incident]
    tickets: list[Ticket]


@dataclass
class _Deploy:
    time: int
    kind: str                       # release, hotfix, rollback
    failed_tag: str = ""
    cause: Incident | None = None
    tag: Tag | None = None


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` moved back by whole calendar months (the day clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = (dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last))


def midnight(day: dt.date) -> int:
    """The epoch second at which ``day`` starts in London."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=LONDON).timestamp())


def local(t: float) -> dt.datetime:
    """``t`` as a London wall-clock time."""
    return dt.datetime.fromtimestamp(t, LONDON)


class Clock:
    """The story's calendar and its random source."""

    def __init__(self, today: dt.date, rng: random.Random) -> None:
        self.rng = rng
        self.end = midnight(today)
        self.start = midnight(months_before(today, 18))
        self.knee = midnight(months_before(today, 6))

    def x(self, t: float) -> float:
        """Progress through the whole story, 0 to 1."""
        return min(1.0, max(0.0, (t - self.start) / (self.end - self.start)))

    def s(self, t: float) -> float:
        """Progress through the last 6 months, 0 before them."""
        return min(1.0, max(0.0, (t - self.knee) / (self.end - self.knee)))

    def at(self, day: dt.date, hours: float) -> int:
        """The epoch second ``hours`` after midnight of ``day`` in London."""
        base = dt.datetime(day.year, day.month, day.day, tzinfo=LONDON)
        return int((base + dt.timedelta(hours=hours)).timestamp())

    def snap(self, t: float) -> int:
        """``t`` if it is a fine time to deploy, else a random time on the next working day."""
        d = local(t)
        h = d.hour + d.minute / 60
        if d.weekday() < 5 and 9.5 <= h < 17.5 and not (d.weekday() == 4 and h >= 15):
            return int(t)
        day = d.date() if d.weekday() < 5 and h < 9.5 else d.date() + dt.timedelta(days=1)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return self.at(day, self.rng.uniform(9.75, 16.5))

    def is_work(self, t: float) -> bool:
        """Office hours on a weekday (and, now and then, someone working late)."""
        d = local(t)
        if d.weekday() < 5 and 8.5 <= d.hour + d.minute / 60 < 18.5:
            return True
        return self.rng.random() < (0.04 if d.weekday() < 5 else 0.015)

    def work_time(self, lo: float, hi: float, shape: float = 1.0) -> int:
        """A working time in ``(lo, hi)``; ``shape`` > 1 pulls it towards ``hi``."""
        span = hi - lo
        for _ in range(40):
            t = hi - span * self.rng.random() ** shape
            if self.is_work(t):
                return int(t)
        return int(hi - span * self.rng.uniform(0.0, 0.3))

    def poisson(self, lam: float) -> int:
        """A Poisson draw (normal approximation for large means)."""
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, round(self.rng.gauss(lam, math.sqrt(lam))))
        limit, k, p = math.exp(-lam), 0, self.rng.random()
        while p > limit:
            k += 1
            p *= self.rng.random()
        return k

    def lognormal(self, median: float, sigma: float) -> float:
        """A log-normal draw with the given median."""
        return median * math.exp(self.rng.gauss(0, sigma))


# --- how each team behaves over time (x: whole story, s: last 6 months) -----------------

def deploys_per_week(profile: str, x: float, s: float) -> float:
    """The team's deployment rhythm per service."""
    return {"improving": 1.2 + 4.3 * x, "sliding": 2.6 - 2.0 * s}.get(profile, 1.7)


def failure_chance(profile: str, x: float, s: float) -> float:
    """Chance that a deployment causes an incident."""
    return {"improving": 0.2 - 0.14 * x, "sliding": 0.07 + 0.28 * s}.get(profile, 0.09)


def restore_hours(profile: str, x: float, s: float) -> float:
    """Median time to restore service, hours."""
    return {"improving": 3.0 - 2.2 * x, "sliding": 1.5 + 11.0 * s}.get(profile, 1.8)


def stray_incidents(profile: str, x: float, s: float) -> float:
    """Incidents per month not caused by a deployment."""
    return {"improving": 0.9 - 0.5 * x, "sliding": 0.4 + 2.6 * s}.get(profile, 0.5)


def wait_shape(profile: str, x: float, s: float) -> float:
    """Above 1: commits land just before the tag; below 1: they wait for it."""
    return {"improving": 1.0 + 1.5 * x, "sliding": 1.0 / (1.0 + 1.5 * s)}.get(profile, 1.0)


def unplanned_share(profile: str, x: float, s: float) -> float:
    """Share of tickets that are unplanned work."""
    return {"improving": 0.28 - 0.13 * x, "sliding": 0.16 + 0.34 * s}.get(profile, 0.2)


# --- services -----------------------------------------------------------------------------

def _service_path(spec: ServiceSpec, file: str) -> str:
    return f"{spec.path}/{file}" if spec.path else file


def service_files(spec: ServiceSpec) -> list[str]:
    """The files a service starts with."""
    files = ["Dockerfile", DEPENDENCY_FILE[spec.lang]] + [file for _, file in spec.areas]
    return [_service_path(spec, f) for f in files]


class ServiceStory:
    """Builds one service's deployments, commits, tags and incidents."""

    def __init__(self, clock: Clock, spec: ServiceSpec, created: int, branches: list[int]) -> None:
        self.clock, self.spec, self.created, self.branches = clock, spec, created, branches
        self.profile, self.members = TEAMS[spec.team]
        self.rng = clock.rng
        self.incidents: list[Incident] = []
        self.commits: list[Commit] = []
        self.tags: list[Tag] = []

    def _rates(self, t: float) -> tuple[str, float, float]:
        return self.profile, self.clock.x(t), self.clock.s(t)

    def build(self) -> None:
        """Generate everything, in a fixed order of random draws."""
        deploys = self._deploys()
        self._versions(deploys)
        self._commits(deploys)
        self._messages()

    def _deploys(self) -> list[_Deploy]:
        c, rng = self.clock, self.rng
        times: list[int] = []
        t = c.start + rng.uniform(0, 2 * DAY)
        while True:
            t = c.snap(t)
            if t >= c.end - HOUR:
                break
            times.append(t)
            t += 7 * DAY / deploys_per_week(*self._rates(t)) * rng.uniform(0.55, 1.45)
        deploys = [_Deploy(t, "release") for t in times]
        for i, d in enumerate(list(deploys)):
            nxt = times[i + 1] if i + 1 < len(times) else c.end
            if rng.random() >= failure_chance(*self._rates(d.time)):
                continue
            window = min(40 * HOUR, 0.9 * (nxt - d.time))
            if window < 30 * MINUTE:
                continue
            opened = int(d.time + rng.uniform(10 * MINUTE, window))
            restore = c.lognormal(restore_hours(*self._rates(opened)), 0.7) * HOUR
            incident = self._incident(opened, restore)
            if incident is None:
                continue
            incident.title = rng.choice(self.spec.alerts)
            if restore > 1.2 * HOUR and incident.resolved and rng.random() < 0.65:
                fix = int(opened + restore * rng.uniform(0.55, 0.85))
                kind = "rollback" if rng.random() < 0.35 else "hotfix"
                deploys.append(_Deploy(fix, kind, cause=incident))
                deploys[i].failed_tag = "?"
        months = (c.end - c.start) / (30.4 * DAY)
        for _ in range(c.poisson(months * 1.0)):
            opened = int(rng.uniform(c.start, c.end - 2 * DAY))
            if rng.random() < stray_incidents(*self._rates(opened)):
                restore = c.lognormal(restore_hours(*self._rates(opened)), 0.9) * HOUR
                incident = self._incident(opened, restore)
                if incident:
                    incident.title = rng.choice(self.spec.alerts)
        deploys.sort(key=lambda d: d.time)
        return deploys

    def _incident(self, opened: int, restore: float) -> Incident | None:
        resolved: int | None = int(opened + max(restore, 4 * MINUTE))
        if resolved is not None and resolved > self.clock.end - 5 * MINUTE:
            resolved = self.clock.end - int(self.rng.uniform(5, 60)) * MINUTE
            if resolved <= opened + 5 * MINUTE:
                return None
        urgency = "high" if self.rng.random() < 0.8 else "low"
        auto = restore < 15 * MINUTE and self.rng.random() < 0.5
        incident = Incident(self.spec.name, self.spec.pd_name, self.spec.team, opened, resolved,
                            "", urgency, self.rng.choice(self.members), auto)
        self.incidents.append(incident)
        return incident

    def _versions(self, deploys: list[_Deploy]) -> None:
        rng, spec = self.rng, self.spec
        major, minor, patch = spec.version
        last_failed: _Deploy | None = None
        for d in deploys:
            if d.kind == "release":
                if rng.random() < 0.12:
                    minor, patch = minor + 1, 0
                    if rng.random() < 0.5:
                        rc_time = int(d.time - rng.uniform(3 * HOUR, 1.5 * DAY))
                        name = f"{spec.tag_prefix}v{major}.{minor}.0-rc.1"
                        self.tags.append(Tag(name, max(rc_time, self.created + HOUR), True,
                                             RELEASE_BOT, f"Release candidate {name}"))
                else:
                    patch += 1
            else:
                patch += 1
            name = f"{spec.tag_prefix}v{major}.{minor}.{patch}"
            label = f"{spec.name} v{major}.{minor}.{patch}" if spec.tag_prefix else name
            if d.kind == "release":
                annotated = rng.random() < 0.85
                tagger = RELEASE_BOT if rng.random() < 0.8 else rng.choice(self.members)
                d.tag = Tag(name, d.time, annotated, tagger, f"Release {label}")
                last_failed = d
            else:
                assert d.cause is not None
                d.failed_tag = last_failed.tag.name if last_failed and last_failed.tag else name
                if d.kind == "hotfix" and rng.random() < 0.2:
                    d.tag = Tag(f"{name}-hotfix", d.time, False, rng.choice(self.members))
                elif d.kind == "hotfix":
                    d.tag = Tag(name, d.time, True, rng.choice(self.members),
                                f"Hotfix {label}: {d.cause.title}")
                else:
                    d.tag = Tag(name, d.time, True, rng.choice(self.members),
                                f"Rollback {label}: revert the change that broke {d.failed_tag}")
            self.tags.append(d.tag)

    def _commits(self, deploys: list[_Deploy]) -> None:
        c, rng = self.clock, self.rng
        prev = self.created + HOUR
        for d in deploys:
            if d.kind != "release":
                t = max(prev + MINUTE, int(d.time - rng.uniform(4, 30) * MINUTE))
                self.commits.append(Commit(t, rng.choice(self.members), "", service=self.spec.name,
                                           kind="fix" if d.kind == "hotfix" else "revert"))
                self.commits[-1].message = d.failed_tag  # finished in _messages
                prev = d.time
                continue
            lo, hi = prev + MINUTE, d.time - 5 * MINUTE
            if hi <= lo:
                prev = d.time
                continue
            rate = self.spec.commit_rate * (1 - 0.3 * c.s(d.time) * (self.profile == "sliding"))
            n = min(40, max(1, c.poisson(rate * (hi - lo) / DAY * 5 / 7)))
            shape = wait_shape(*self._rates(d.time))
            times = sorted(c.work_time(lo, hi, shape) for _ in range(n))
            batch = [Commit(t, rng.choice(self.members), "", service=self.spec.name) for t in times]
            self.commits.extend(batch)
            if n >= 3 and rng.random() < 0.35:
                self._branch(batch, hi)
            prev = d.time

    def _branch(self, batch: list[Commit], hi: int) -> None:
        rng = self.rng
        length = min(len(batch) - 1, rng.randint(2, 4))
        first = rng.randint(0, len(batch) - length)
        group = batch[first:first + length]
        self.branches[0] += 1
        number = self.branches[0]
        last = group[-1].time
        merge_time = int(min(last + rng.uniform(15 * MINUTE, 3 * HOUR), hi - 2 * MINUTE))
        if merge_time <= last:
            merge_time = last + 1
        for commit in group:
            commit.branch, commit.author = number, group[0].author
        self.commits.append(Commit(merge_time, group[0].author, "", merge=number,
                                   service=self.spec.name, kind="merge"))

    def _messages(self) -> None:
        rng, spec = self.rng, self.spec
        ordered = sorted(self.commits, key=lambda cm: cm.time)
        plain = [cm for cm in ordered if cm.kind == "change"]
        late_from = self.clock.end - 60 * DAY
        late_pool = [i for i, cm in enumerate(plain) if cm.time >= late_from] or [len(plain) - 1]
        chosen: dict[int, tuple[str, int]] = {}
        for message, area in spec.late:
            free = [i for i in late_pool if i not in chosen]
            if free:
                chosen[rng.choice(free)] = (message, area)
        early = [i for i in range(len(plain) // 10, len(plain)) if i not in chosen]
        for message, area in spec.curated:
            if early:
                index = early.pop(rng.randrange(len(early)))
                chosen[index] = (message, area)
        slot = {id(cm): i for i, cm in enumerate(plain)}
        groups: dict[int, Commit] = {}
        last_message, last_path = "Initial import", _service_path(spec, spec.areas[0][1])
        for cm in ordered:
            if cm.kind == "change":
                message, area = chosen.get(slot[id(cm)]) or self._message()
                if area < 0:
                    cm.author = DEPENDABOT
                    cm.path = _service_path(spec, DEPENDENCY_FILE[spec.lang])
                else:
                    cm.path = _service_path(spec, spec.areas[area][1])
                cm.message = message
                if cm.branch and cm.branch not in groups:
                    groups[cm.branch] = cm
                if cm.author is not DEPENDABOT:
                    last_message, last_path = message, cm.path
            elif cm.kind == "revert":
                cm.message = f'Revert "{last_message}"\n\nIt broke {cm.message}.'
                cm.path = last_path
            elif cm.kind == "fix":
                area_name, file = rng.choice(spec.areas)
                cm.message = f"Fix {area_name} regression from {cm.message}"
                cm.path = _service_path(spec, file)
        for cm in ordered:
            if cm.kind == "merge":
                head = groups[cm.merge]
                slug = re.sub(r"[^a-z0-9]+", "-", head.message.lower()).strip("-")
                slug = "-".join(slug.split("-")[:5])
                branch = f"{'fix' if head.message.startswith('Fix') else 'feature'}/{slug}"
                if rng.random() < 0.8:
                    cm.committer = GITHUB
                    number = 100 + cm.merge * 3 + rng.randint(0, 2)
                    cm.message = (f"Merge pull request #{number} from larkspur/{branch}\n\n"
                                  f"{head.message}")
                else:
                    cm.message = f"Merge branch '{branch}'"

    def _message(self) -> tuple[str, int]:
        rng, spec = self.rng, self.spec
        area = rng.randrange(len(spec.areas))
        name = spec.areas[area][0]
        roll = rng.random()
        if roll < 0.05:
            dep = rng.choice(DEPENDENCIES[spec.lang])
            major, minor = rng.randint(1, 9), rng.randint(0, 30)
            return f"Bump {dep} from {major}.{minor}.0 to {major}.{minor + 1}.0", -1
        if roll < 0.3:
            return f"Fix {rng.choice(BUGS)} in {name}", area
        if roll < 0.5:
            return f"Add {rng.choice(FEATURES)} to {name}", area
        if roll < 0.62:
            return f"Handle {rng.choice(EDGES)} in {name}", area
        if roll < 0.67:
            return f"Fix flaky test in {name}", area
        return f"{rng.choice(VERBS)} {name}", area


def make_story(today: dt.date, seed: int) -> Story:
    """The whole demo for ``today`` (history ends at its midnight) and ``seed``."""
    from .demo_tickets import make_tickets

    rng = random.Random(seed)
    clock = Clock(today, rng)
    repos: dict[str, RepoPlan] = {}
    incidents: list[Incident] = []
    for spec in SERVICES:
        plan = repos.get(spec.repo)
        if plan is None:
            created = clock.start - int(rng.uniform(30, 60)) * DAY
            plan = repos[spec.repo] = RepoPlan(spec.repo, created, ["README.md", ".github/workflows/ci.yml"])
            plan.commits.append(Commit(created, rng.choice(TEAMS[spec.team][1]),
                                       "Initial import", kind="initial"))
        plan.files.extend(service_files(spec))
        service = ServiceStory(clock, spec, plan.created, [len(plan.commits) * 1000])
        service.build()
        plan.commits.extend(service.commits)
        plan.tags.extend(service.tags)
        incidents.extend(service.incidents)
    _monorepo_chores(clock, repos["payments"])
    incidents.extend(_extra_incidents(clock))
    incidents.sort(key=lambda i: (i.opened, i.pd_service))
    tickets = make_tickets(clock, incidents)
    return Story(clock.start, clock.end, clock.knee, list(repos.values()), incidents, tickets)


def _monorepo_chores(clock: Clock, plan: RepoPlan) -> None:
    rng = clock.rng
    weeks = (clock.end - plan.created) / (7 * DAY)
    people = TEAMS["payments"][1] + TEAMS["platform"][1][:1]
    for _ in range(int(weeks * 0.7)):
        t = clock.work_time(plan.created + DAY, clock.end - HOUR)
        message, path = rng.choice(MONOREPO_CHORES)
        plan.commits.append(Commit(t, rng.choice(people), message, path, kind="chore"))


def _extra_incidents(clock: Clock) -> list[Incident]:
    """The still-open page, and two for a service nobody in the config owns."""
    rng = clock.rng
    gateway = next(s for s in SERVICES if s.name == "payment-gateway")
    members = TEAMS["payments"][1]
    opened = int(clock.end - rng.uniform(20, 40) * HOUR)
    out = [Incident(gateway.name, gateway.pd_name, gateway.team, opened, None,
                    "Card authorisation success rate below 92%", "high", rng.choice(members))]
    for _ in range(2):
        opened = int(rng.uniform(clock.knee, clock.end - 3 * DAY))
        out.append(Incident("", "corporate-vpn", "", opened,
                            int(opened + rng.uniform(1, 6) * HOUR), "VPN concentrator failover",
                            "low", rng.choice(TEAMS["platform"][1])))
    return out
