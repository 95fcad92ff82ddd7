"""The demo's building blocks: the rows it writes, its calendar, and how each team behaves.

Times are whole seconds since the epoch (UTC); office hours are reckoned in Europe/London.
The :class:`Clock` holds the story's single ``random.Random`` so every draw happens in a
fixed order. The ``*_per_week`` / ``*_chance`` / ``*_hours`` functions give each team
profile's behaviour at a point of the story: ``x`` runs from 0 to 1 over the 18 months,
``s`` from 0 to 1 over the last 6 (0 before them).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

from dora_tui.demo.cast import Person

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
    kind: str = "change"  # change, fix, revert, bump, chore, merge, initial
    note: str = ""  # fix and revert: the tag of the deployment they repair


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
    branches: int = 0  # feature branches so far (numbers them across services)


@dataclass
class Story:
    """Everything the demo writes."""

    start: int
    end: int
    knee: int
    repos: list[RepoPlan]
    incidents: list[Incident]
    tickets: list[Ticket]


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


@lru_cache(maxsize=4096)
def _office(day: dt.date) -> tuple[int, int]:
    """Office hours of ``day`` (08:30 to 18:30 in London) as epoch seconds."""
    base = dt.datetime(day.year, day.month, day.day, tzinfo=LONDON)
    return (int((base + dt.timedelta(hours=8.5)).timestamp()), int((base + dt.timedelta(hours=18.5)).timestamp()))


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
        """A time in ``(lo, hi)``, mostly in office hours.

        ``shape`` above 1 pulls it towards ``hi``, below 1 towards ``lo``, measured in
        working time (so a night or a weekend in between does not count as waiting).
        """
        rng, span = self.rng, hi - lo
        if span > 20 * DAY:
            for _ in range(40):
                t = hi - span * rng.random() ** shape
                if self.is_work(t):
                    return int(t)
        if span > 20 * DAY or rng.random() < 0.04:
            return int(hi - span * rng.random() ** shape)
        segments = []
        day = local(lo).date()
        while True:
            start, end = _office(day)
            if start >= hi:
                break
            if day.weekday() < 5 and end > lo:
                segments.append((max(start, lo), min(end, hi)))
            day += dt.timedelta(days=1)
        left = sum(b - a for a, b in segments) * rng.random() ** shape
        for a, b in reversed(segments):
            if left <= b - a:
                return int(b - left)
            left -= b - a
        return int(hi - span * rng.random() ** shape)

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


def slide(s: float) -> float:
    """How far the sliding team has slid: quick at first, then steadily."""
    return float(s**0.7)  # a float to a float power is typed Any (it may be complex)


def deploys_per_week(profile: str, x: float, s: float) -> float:
    """The team's deployment rhythm per service."""
    return {"improving": 1.2 + 4.8 * float(x**1.5), "sliding": 2.6 - 1.9 * slide(s)}.get(profile, 1.7)


def failure_chance(profile: str, x: float, s: float) -> float:
    """Chance that a deployment causes an incident."""
    return {"improving": 0.2 - 0.14 * x, "sliding": 0.07 + 0.28 * slide(s)}.get(profile, 0.09)


def restore_hours(profile: str, x: float, s: float) -> float:
    """Median time to restore service, hours."""
    return {"improving": 3.5 * math.exp(-2.5 * x), "sliding": 1.5 + 11.0 * slide(s)}.get(profile, 1.8)


def restore_spread(profile: str) -> float:
    """How much restore times vary (the sigma of their log-normal)."""
    return 0.6 if profile == "sliding" else 0.45


def stray_incidents(profile: str, x: float, s: float) -> float:
    """Incidents per month not caused by a deployment."""
    return {"improving": 0.9 - 0.5 * x, "sliding": 0.4 + 2.6 * slide(s)}.get(profile, 0.5)


def wait_shape(profile: str, x: float, s: float) -> float:
    """Above 1: commits land just before the tag; below 1: they wait for it."""
    return {"improving": 1.0 + 3.0 * x * x, "sliding": 1.0 / (1.0 + 2.5 * slide(s))}.get(profile, 1.0)


def unplanned_share(profile: str, x: float, s: float) -> float:
    """Share of tickets that are unplanned work."""
    return {"improving": 0.32 - 0.2 * x, "sliding": 0.15 + 0.4 * slide(s)}.get(profile, 0.2)
