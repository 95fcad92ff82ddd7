"""The synthetic Jira export of the import benchmark: :func:`write_jira_csv` writes a Jira
Cloud "all fields" CSV (:data:`JIRA_HEADER`) of an organisation's projects."""

from __future__ import annotations

import csv
import math
import random
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from synthetic.clock import Clock
from synthetic.org import AS_OF, SEED, TIMEZONE, Org
from synthetic.text import WORDS, random_name, random_sentence

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

# The months as Jira writes them in its dates.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
        """Jira's day alone, ``12/Mar/24``."""
        d = datetime.fromtimestamp(t, self.tz)
        return f"{d.day:02d}/{_MONTHS[d.month - 1]}/{d.year % 100:02d}"


def _description(rng: random.Random) -> str:
    """Jira descriptions: empty, one line, or several lines with quotes, commas and lists."""
    r = rng.random()
    if r < 0.25:
        return ""
    if r < 0.6:
        return random_sentence(rng, rng.randrange(6, 30)).capitalize() + "."
    parts = [f"h3. {random_sentence(rng, 3).capitalize()}", ""]
    for _ in range(rng.randrange(2, 8)):
        parts.append(f'# {random_sentence(rng, rng.randrange(4, 14))}, then "{rng.choice(WORDS)}"')
    if rng.random() < 0.4:
        parts += ["", "{code}", f"ERROR 500 at /api/{rng.choice(WORDS)}?id={rng.randrange(10**6)}", "{code}"]
    parts.append(random_sentence(rng, rng.randrange(5, 25)).capitalize() + ".")
    return "\r\n".join(parts) if rng.random() < 0.5 else "\n".join(parts)


def write_jira_csv(
    path: str | Path, org: Org, rows: int, *, as_of: date = AS_OF, months: int = 36, seed: int = SEED
) -> dict[str, int]:
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
    people = [random_name(rng) for _ in range(300)]
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
        lines: list[list[object]] = []
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
                f"{fmt(updated)};{issue_id + 7}0000;{random_sentence(rng, rng.randrange(4, 20))}"
                if rng.random() < 0.35
                else ""
            )
            estimate = str(rng.choice((3600, 7200, 14400, 28800, 57600))) if kind == "Task" else ""
            lines.append(
                [
                    random_sentence(rng, rng.randrange(3, 9)).capitalize(),
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
