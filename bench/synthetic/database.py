"""The synthetic database of the report and dashboard benchmarks: :func:`build_database`
writes ``DIR/dora.toml`` and, through dora-tui's own store, ``DIR/dora.db`` (deployments,
changes, incidents and tickets of many services and teams over many months);
:func:`database_stats` reads back what it recorded."""

from __future__ import annotations

import json
import math
import random
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from synthetic.clock import Clock
from synthetic.org import AS_OF, GENERATOR_VERSION, SEED, TIMEZONE, make_org
from synthetic.text import ALNUM, random_name, random_sentence, random_sha
from synthetic.workspace import config_text


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
    config.write_text(config_text(org, database="dora.db", months=months, repo="repo"), encoding="utf-8")
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
    deps_of: dict[str, list[Deployment]] = {}
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
                    sha = random_sha(rng)
                    message = f"Hotfix {tag}: {random_sentence(rng, 3)}" if hotfix else f"Release {tag}"
                    deps.append(Deployment(service, tag, t, sha, message, "git", baseline=(k == 0), rework=hotfix))
                    if k == 0:
                        continue
                    progress = (t - clock.start) / (clock.end - clock.start)
                    mu = math.log(median_h * 3600) + drift * (progress - 0.5)
                    n = _poisson(rng, changes_per_deployment)
                    for _ in range(n):
                        lead = int(rng.lognormvariate(mu, sigma))
                        csha = random_sha(rng)
                        negative = rng.random() < 0.001
                        commit_time = t + rng.randrange(60, 3600) if negative else t - lead
                        changes.append(
                            Change(service, csha, tag, commit_time, t, 0 if negative else lead, negative=negative)
                        )
                        if commits:
                            rows.append(
                                Commit(
                                    csha,
                                    (random_sha(rng),),
                                    commit_time,
                                    commit_time,
                                    random_name(rng),
                                    random_sentence(rng, rng.randrange(3, 9)).capitalize(),
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
                        f"Q{n:06d}{''.join(rng.choice(ALNUM) for _ in range(7))}",
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
                ticket_service = rng.choice(services_of[team]) if rng.random() < 0.6 else None
                unplanned = kind in ("Bug", "Incident") or bool({"unplanned", "hotfix"} & set(labels))
                rows_t.append(
                    Ticket(
                        "jira",
                        f"{project}-{numbers[project]}",
                        created,
                        resolved,
                        team if mapped else None,
                        project if mapped else "LEGACY",
                        ticket_service if mapped else None,
                        kind,
                        "Done" if resolved is not None else rng.choice(("To Do", "In Progress", "In Review")),
                        labels,
                        random_sentence(rng, rng.randrange(3, 9)).capitalize(),
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


def database_stats(directory: str | Path) -> dict[str, int]:
    """The row counts recorded by :func:`build_database` (empty when unknown)."""
    try:
        stats: dict[str, int] = json.loads((Path(directory) / "synthetic.json").read_text(encoding="utf-8"))["stats"]
        return stats
    except (OSError, ValueError, KeyError):
        return {}
