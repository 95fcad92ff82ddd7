"""One service's story: its deployments, the commits they carry, its tags and incidents.

:class:`ServiceStory` draws from the story's :class:`~dora_tui.demo.model.Clock` in a fixed
order: deployment times, failures (incidents, hotfix and rollback deployments), versions
and tags, commits between deployments (some on feature branches merged with a two-parent
commit), then commit messages.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dora_tui.demo.cast import (
    DEPENDABOT,
    GITHUB,
    PROJECTS,
    RELEASE_BOT,
    TEAMS,
    ServiceSpec,
)
from dora_tui.demo.model import (
    DAY,
    HOUR,
    MINUTE,
    Clock,
    Commit,
    Incident,
    RepoPlan,
    Tag,
    deploys_per_week,
    failure_chance,
    local,
    restore_hours,
    restore_spread,
    slide,
    stray_incidents,
    wait_shape,
)
from dora_tui.demo.words import BUGS, CHORES, DEPENDENCIES, DEPENDENCY_FILE, EDGES, FEATURES, VERBS


@dataclass
class _Deploy:
    time: int
    kind: str  # release, hotfix, rollback
    cause: Incident | None = None  # hotfix, rollback: the incident they end
    failed: _Deploy | None = None  # hotfix, rollback: the deployment that caused it
    tag: Tag | None = None


def _service_path(spec: ServiceSpec, file: str) -> str:
    return f"{spec.path}/{file}" if spec.path else file


def service_files(spec: ServiceSpec) -> list[str]:
    """The files a service starts with."""
    files = ["Dockerfile", "VERSION", DEPENDENCY_FILE[spec.lang]] + [file for _, file in spec.areas]
    return [_service_path(spec, f) for f in files]


class ServiceStory:
    """Builds one service's deployments, commits, tags and incidents."""

    def __init__(self, clock: Clock, spec: ServiceSpec, plan: RepoPlan) -> None:
        self.clock, self.spec, self.plan, self.created = clock, spec, plan, plan.created
        self.profile, self.members = TEAMS[spec.team]
        self.spread = restore_spread(self.profile)
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
            restore = c.lognormal(restore_hours(*self._rates(opened)), self.spread) * HOUR
            incident = self._incident(opened, restore)
            if incident is None:
                continue
            incident.title = rng.choice(self.spec.alerts)
            fix = int(opened + restore * rng.uniform(0.55, 0.85))
            if restore > 1.2 * HOUR and fix < (incident.resolved or 0) and rng.random() < 0.65:
                kind = "rollback" if rng.random() < 0.35 else "hotfix"
                deploys.append(_Deploy(fix, kind, cause=incident, failed=d))
        months = (c.end - c.start) / (30.4 * DAY)
        for _ in range(c.poisson(months * 3.5)):
            opened = int(rng.uniform(c.start, c.end - 2 * DAY))
            if rng.random() < stray_incidents(*self._rates(opened)) / 3.5:
                restore = c.lognormal(restore_hours(*self._rates(opened)), self.spread) * HOUR
                incident = self._incident(opened, restore)
                if incident:
                    incident.title = rng.choice(self.spec.alerts)
        deploys.sort(key=lambda d: d.time)
        return deploys

    def _incident(self, opened: int, restore: float) -> Incident | None:
        resolved = int(opened + max(restore, 4 * MINUTE))
        if resolved > self.clock.end - 5 * MINUTE:
            resolved = self.clock.end - int(self.rng.uniform(5, 60)) * MINUTE
            if resolved <= opened + 5 * MINUTE:
                return None
        urgency = "high" if self.rng.random() < 0.8 else "low"
        auto = restore < 15 * MINUTE and self.rng.random() < 0.5
        incident = Incident(
            self.spec.name,
            self.spec.pd_name,
            self.spec.team,
            opened,
            resolved,
            "",
            urgency,
            self.rng.choice(self.members),
            auto,
        )
        self.incidents.append(incident)
        return incident

    def _versions(self, deploys: list[_Deploy]) -> None:
        rng, spec = self.rng, self.spec
        major, minor, patch = spec.version
        for d in deploys:
            if d.kind == "release":
                if rng.random() < 0.12:
                    minor, patch = minor + 1, 0
                    if rng.random() < 0.5:
                        rc_time = int(d.time - rng.uniform(3 * HOUR, 1.5 * DAY))
                        name = f"{spec.tag_prefix}v{major}.{minor}.0-rc.1"
                        self.tags.append(
                            Tag(name, max(rc_time, self.created + HOUR), True, RELEASE_BOT, f"Release candidate {name}")
                        )
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
            else:
                assert d.cause is not None and d.failed is not None and d.failed.tag is not None
                failed = d.failed.tag.name
                if d.kind == "hotfix" and rng.random() < 0.2:
                    d.tag = Tag(f"{name}-hotfix", d.time, False, rng.choice(self.members))
                elif d.kind == "hotfix":
                    d.tag = Tag(name, d.time, True, rng.choice(self.members), f"Hotfix {label}: {d.cause.title}")
                else:
                    d.tag = Tag(
                        name,
                        d.time,
                        True,
                        rng.choice(self.members),
                        f"Rollback {label}: revert the change that broke {failed}",
                    )
            self.tags.append(d.tag)

    def _commits(self, deploys: list[_Deploy]) -> None:
        c, rng = self.clock, self.rng
        prev = self.created + HOUR
        for d in deploys:
            if d.kind != "release":
                t = max((prev + d.time) // 2, int(d.time - rng.uniform(4, 30) * MINUTE))
                assert d.failed is not None and d.failed.tag is not None
                self.commits.append(
                    Commit(
                        t,
                        rng.choice(self.members),
                        "",
                        service=self.spec.name,
                        kind="fix" if d.kind == "hotfix" else "revert",
                        note=d.failed.tag.name,
                    )
                )
                prev = d.time
                continue
            lo, hi = prev + MINUTE, d.time - 5 * MINUTE
            if hi <= lo:
                prev = d.time
                continue
            rate = self.spec.commit_rate * (1 - 0.3 * slide(c.s(d.time)) * (self.profile == "sliding"))
            n = min(40, max(1, c.poisson(rate * (hi - lo) / DAY * 5 / 7)))
            shape = wait_shape(*self._rates(d.time))
            times = sorted(c.work_time(lo, hi, shape) for _ in range(n))
            batch = [Commit(t, rng.choice(self.members), "", service=self.spec.name) for t in times]
            self.commits.extend(batch)
            slid = slide(c.s(d.time)) if self.profile == "sliding" else 0.0
            if n >= 3 and rng.random() < 0.35 + 0.35 * slid:
                self._branch(batch, hi, slid)
            if d.tag is not None and not d.tag.annotated:
                # A lightweight tag's time is its commit's: tag a fresh version bump.
                version = d.tag.name.removeprefix(self.spec.tag_prefix).removeprefix("v")
                self.commits.append(
                    Commit(
                        d.time - int(rng.uniform(1, 4) * MINUTE),
                        rng.choice(self.members),
                        f"Bump version to {version}",
                        _service_path(self.spec, "VERSION"),
                        service=self.spec.name,
                        kind="bump",
                    )
                )
            prev = d.time

    def _branch(self, batch: list[Commit], hi: int, slid: float) -> None:
        """Move a run of ``batch`` to a feature branch merged before ``hi``.

        When the team is sliding, pull requests wait for review: the branch's commits were
        written days earlier (``slid`` from 0 to 1 says how bad it has got).
        """
        rng = self.rng
        length = min(len(batch) - 1, rng.randint(2, 4))
        first = rng.randint(0, len(batch) - length)
        group = batch[first : first + length]
        self.plan.branches += 1
        number = self.plan.branches
        last = group[-1].time
        merge_time = int(min(last + rng.uniform(15 * MINUTE, 3 * HOUR), hi - 2 * MINUTE))
        if merge_time <= last:
            merge_time = last + 1
        wait = int(self.clock.lognormal(1 + 5 * slid, 0.5)) if slid > 0.05 else 0
        for commit in group:
            commit.branch, commit.author = number, group[0].author
            if wait:
                day = local(commit.time) - dt.timedelta(days=wait)
                while day.weekday() >= 5:
                    day -= dt.timedelta(days=1)
                commit.time = max(int(day.timestamp()), self.created + HOUR)
        self.commits.append(Commit(merge_time, group[0].author, "", merge=number, service=self.spec.name, kind="merge"))

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
                message, area = chosen.get(slot[id(cm)]) or self._message(cm.time)
                while area < 0 and cm.branch:
                    message, area = self._message(cm.time)
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
                cm.message = f'Revert "{last_message}"\n\nIt broke {cm.note}.'
                cm.path = last_path
            elif cm.kind == "fix":
                area_name, file = rng.choice(spec.areas)
                cm.message = f"Fix {area_name} regression from {cm.note}"
                cm.path = _service_path(spec, file)
        for cm in ordered:
            if cm.kind == "merge":
                head = groups[cm.merge]
                subject = re.sub(r"^\[?[A-Z]+-\d+\]?:? ", "", head.message)
                words = re.sub(r"[^a-z0-9]+", "-", subject.lower()).strip("-").split("-")
                kind = "feature"
                if words[0] == "fix":
                    kind, words = "fix", words[1:]
                branch = f"{kind}/{'-'.join(words[:5])}"
                if rng.random() < 0.8:
                    cm.committer = GITHUB
                    number = 100 + cm.merge * 3 + rng.randint(0, 2)
                    cm.message = f"Merge pull request #{number} from larkspur/{branch}\n\n{head.message}"
                else:
                    cm.message = f"Merge branch '{branch}'"

    def _message(self, t: int) -> tuple[str, int]:
        rng, spec = self.rng, self.spec
        area = rng.randrange(len(spec.areas))
        name = spec.areas[area][0]
        roll = rng.random()
        if roll < 0.05:
            dep = rng.choice(DEPENDENCIES[spec.lang])
            major, minor = rng.randint(1, 9), rng.randint(0, 30)
            return f"Bump {dep} from {major}.{minor}.0 to {major}.{minor + 1}.0", -1
        if roll < 0.2:
            text = f"Fix {rng.choice(BUGS)} in {name}"
        elif roll < 0.23:
            text = f"Fix flaky test in {name}"
        elif roll < 0.38:
            text = f"Add {rng.choice(FEATURES)} to {name}"
        elif roll < 0.48:
            text = f"Handle {rng.choice(EDGES)} in {name}"
        elif roll < 0.68:
            text = rng.choice(CHORES).format(a=name)
        else:
            text = f"{rng.choice(VERBS)} {name}"
        roll = rng.random()
        if roll < 0.2:
            key = f"{PROJECTS[spec.team][0]}-{rng.randint(1, 20 + int(420 * self.clock.x(t)))}"
            text = f"[{key}] {text}" if roll < 0.04 else f"{key}: {text}"
        return text, area
