"""The demo workspace builder: real git, deterministic, and telling the story it promises."""

from __future__ import annotations

import csv
import datetime as dt
import json
import statistics
import subprocess
from pathlib import Path

import pytest

from dora_tui.config import Service, load_file
from dora_tui.demo.exports import JIRA_HEADER, PAGERDUTY_HEADER
from dora_tui.demo.runtime import SERVICE as RUNTIME_SERVICE
from dora_tui.demo.story import midnight, months_before
from dora_tui.demo.workspace import DEFAULT_SEED, build_demo, config_document, existing_demo, git_environment
from dora_tui.errors import UsageError

TODAY = dt.date(2026, 11, 22)
END = midnight(TODAY)
KNEE = midnight(months_before(TODAY, 6))
YEAR_AGO = midnight(months_before(TODAY, 12))
START = midnight(months_before(TODAY, 18))
DAY = 86400


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "workspace", TODAY)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def tag_table(repo: Path) -> list[str]:
    """Every tag with its object and, for annotated tags, the commit it points at."""
    return git(repo, "for-each-ref", "refs/tags", "--format=%(refname) %(objectname) %(*objectname)").splitlines()


def deployments(service: Service) -> list[tuple[int, str, str]]:
    """(time, tag, commit) of each deployment of ``service``, oldest first."""
    out = git(
        service.repo,
        "for-each-ref",
        "refs/tags",
        "--format=%(refname:strip=2)\t%(creatordate:unix)\t%(objectname)\t%(*objectname)",
    )
    rows = []
    for line in out.splitlines():
        name, time, obj, target = line.split("\t")
        if service.matches_tag(name):
            rows.append((int(time), name, target or obj))
    return sorted(rows)


def changes(service: Service) -> list[tuple[int, float]]:
    """(deployment time, hours the commit waited) for each change of ``service``.

    A change is a non-merge commit touching the service's path that a deployment reaches
    and no earlier deployment does; the first deployment (the baseline) carries none.
    """
    parents: dict[str, list[str]] = {}
    authored: dict[str, int] = {}
    for line in git(service.repo, "log", "--all", "--format=%H %at %P").splitlines():
        sha, when, *rest = line.split()
        parents[sha], authored[sha] = rest, int(when)
    args = ["log", "--all", "--full-history", "--no-merges", "--format=%H"]
    touching = set(git(service.repo, *args, "--", service.path or ".").split())
    seen: set[str] = set()
    out = []
    for index, (time, _, commit) in enumerate(deployments(service)):
        stack, reached = [commit], []
        while stack:
            sha = stack.pop()
            if sha in seen:
                continue
            seen.add(sha)
            reached.append(sha)
            stack.extend(parents[sha])
        if index:
            out += [(time, (time - authored[s]) / 3600) for s in reached if s in touching]
    return out


def test_build_is_deterministic_and_ignores_the_users_git_config(demo: Path, tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(
        "[tag]\n\tgpgSign = true\n[init]\n\tdefaultBranch = trunk\n"
        "[core]\n\tcommentChar = ;\n[user]\n\tname = Someone Else\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Intruder")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2001-01-01T00:00:00")
    again = build_demo(tmp_path / "again", TODAY)
    for repo in sorted((demo.parent / "repos").iterdir()):
        other = again.parent / "repos" / repo.name
        tags = tag_table(repo)
        assert tags == tag_table(other)
        names = [line.split()[0] for line in tags]
        assert git(repo, "rev-parse", *names, "main") == git(other, "rev-parse", *names, "main")
        assert git(other, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    for name in ("pagerduty-incidents.csv", "jira-tickets.csv"):
        assert (demo.parent / "exports" / name).read_bytes() == (again.parent / "exports" / name).read_bytes()
    assert existing_demo(again.parent).today == TODAY
    assert existing_demo(again.parent).seed == DEFAULT_SEED


def test_config_loads_with_three_teams_and_a_monorepo(demo: Path) -> None:
    config = load_file(demo)
    assert config.timezone == "Europe/London" and config.months == 12 and config.trend_months == 6
    assert config.database == demo.parent / "dora.db"
    assert config.git.tag_pattern == "v*" and config.git.exclude_pattern == "*-rc*"
    assert [t.name for t in config.teams] == ["storefront", "payments", "platform"]
    assert len(config.services) >= 6
    by_repo: dict[Path, list[Service]] = {}
    for service in config.services:
        assert service.repo.is_relative_to(demo.parent / "repos")
        assert (service.repo / ".git").is_dir()
        by_repo.setdefault(service.repo, []).append(service)
    monorepos = [s for s in by_repo.values() if len(s) > 1]
    assert len(monorepos) == 1
    assert sorted((s.path, s.tag_pattern.text) for s in monorepos[0]) == [
        ("services/billing", "billing/v*"),
        ("services/ledger", "ledger/v*"),
    ]
    incidents, runtime, tickets = config.imports
    assert (runtime.kind, runtime.format, runtime.file.name) == ("deployments", "auto", "kubernetes-replicasets.json")
    assert (incidents.kind, incidents.format, incidents.file.name) == (
        "incidents",
        "pagerduty",
        "pagerduty-incidents.csv",
    )
    assert incidents.service_map["checkout-api"] == "checkout"
    assert (tickets.kind, tickets.format, tickets.file.name) == ("tickets", "jira", "jira-tickets.csv")
    assert set(tickets.team_map.values()) == {t.name for t in config.teams}
    assert config_document()["imports"][0]["service_map"] == incidents.service_map


def test_tags_span_eighteen_months_and_mix_kinds(demo: Path) -> None:
    config = load_file(demo)
    latest = []
    for service in config.services:
        if service.name == RUNTIME_SERVICE:  # deployed through Kubernetes: no tags (its own test below)
            assert deployments(service) == []
            continue
        rows = deployments(service)
        assert START <= rows[0][0] <= START + 31 * DAY, service.name
        assert END - 21 * DAY <= rows[-1][0] < END, service.name  # the sliding team is slow
        assert len(rows) > 60, service.name
        latest.append(rows[-1][0])
    assert max(latest) >= END - 4 * DAY
    tags = git(
        config.service("checkout").repo,
        "for-each-ref",
        "refs/tags",
        "--format=%(refname:strip=2)|%(objecttype)|%(contents:subject)",
    ).splitlines()
    kinds = {line.split("|")[1] for line in tags}
    assert kinds == {"tag", "commit"}  # annotated and lightweight
    assert any(line.startswith("v") and "-rc." in line for line in tags)
    assert any("Release v" in line for line in tags)
    all_tags = "\n".join(
        git(s.repo, "for-each-ref", "refs/tags", "--format=%(refname:strip=2) %(contents:subject)")
        for s in config.services
    )
    assert "Hotfix" in all_tags and "Rollback" in all_tags and "-hotfix" in all_tags


def test_the_runtime_service_is_deployed_through_kubernetes_with_a_rollback_and_an_image_by_digest(
    demo: Path,
) -> None:
    config = load_file(demo)
    service = config.service(RUNTIME_SERVICE)
    assert service is not None
    export = json.loads((demo.parent / "exports" / "kubernetes-replicasets.json").read_text())
    sets = export["items"]
    assert export["kind"] == "List" and {s["kind"] for s in sets} == {"ReplicaSet"}
    commits = set(git(service.repo, "rev-list", "--all").split())
    images = [s["spec"]["template"]["spec"]["containers"][0]["image"] for s in sets]
    named = [image.rsplit(":sha-", 1)[1] for image in images if ":sha-" in image]
    assert all(any(c.startswith(sha) for c in commits) for sha in named)  # each names a commit of its repository
    assert sum("@sha256:" in image for image in images) == 1  # one image by digest only: it names no commit
    histories = [s["metadata"]["annotations"].get("deployment.kubernetes.io/revision-history") for s in sets]
    assert sum(1 for h in histories if h) == 1  # one ReplicaSet deployed again: a rollback
    created = sorted(s["metadata"]["creationTimestamp"] for s in sets)
    first = dt.datetime.fromisoformat(created[0].replace("Z", "+00:00")).timestamp()
    assert START <= first <= START + 31 * DAY and len(sets) > 60


def test_history_has_merges_chores_and_markup_lookalikes(demo: Path) -> None:
    config = load_file(demo)
    checkout = config.service("checkout").repo
    assert int(git(checkout, "rev-list", "--merges", "--count", "main")) > 5
    subjects = git(checkout, "log", "--format=%s", "main")
    assert "Escape [bold red] in receipts and [/] tags" in subjects
    assert "[@click=app.quit]x[/]" in subjects
    assert "Merge pull request #" in subjects
    monorepo = config.service("ledger").repo
    touched = git(monorepo, "log", "--no-merges", "--format=commit %h", "--name-only", "main").split("commit ")
    neither = [c for c in touched if c.strip() and not any(p.startswith("services/") for p in c.split())]
    assert len(neither) > 10  # docs, CI, shared libraries


def test_sliding_team_deploys_less_and_its_changes_wait_longer(demo: Path) -> None:
    config = load_file(demo)
    payments = config.services_of("payments")
    recent = before = 0
    waits_recent: list[float] = []
    waits_before: list[float] = []
    for service in payments:
        times = [t for t, _, _ in deployments(service)]
        recent += sum(KNEE <= t < END for t in times)
        before += sum(YEAR_AGO <= t < KNEE for t in times)
        for time, hours in changes(service):
            if KNEE <= time < END:
                waits_recent.append(hours)
            elif YEAR_AGO <= time < KNEE:
                waits_before.append(hours)
    assert recent < 0.8 * before
    assert statistics.median(waits_recent) > 1.5 * statistics.median(waits_before)


def test_improving_team_deploys_more_with_shorter_waits(demo: Path) -> None:
    config = load_file(demo)
    service = config.service("checkout")
    times = [t for t, _, _ in deployments(service)]
    first = sum(START <= t < YEAR_AGO for t in times)
    last = sum(KNEE <= t < END for t in times)
    assert last > 1.4 * first
    waits = changes(service)
    early = [h for t, h in waits if t < YEAR_AGO]
    late = [h for t, h in waits if t >= KNEE]
    assert statistics.median(late) < statistics.median(early) / 3


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_pagerduty_export_tells_the_story(demo: Path) -> None:
    config = load_file(demo)
    rows = read_csv(demo.parent / "exports" / "pagerduty-incidents.csv")
    header, rows = rows[0], rows[1:]
    assert tuple(header) == PAGERDUTY_HEADER
    assert header[:11] == [
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
    ]
    col = {name: i for i, name in enumerate(header)}
    mapped = config.imports[0].service_map
    names = {r[col["service_name"]] for r in rows}
    assert "checkout-api" in names and {s.name for s in config.services} & names
    assert all(n in mapped or config.service(n) or n == "corporate-vpn" for n in names)
    assert len({r[col["id"]] for r in rows}) == len(rows)
    assert sum(1 for r in rows if not r[col["resolved_on"]]) == 1
    payments = {s.name for s in config.services_of("payments")} | {"payment-gateway-prod"}
    recent, before = [], []
    for r in rows:
        opened = dt.datetime.fromisoformat(r[col["created_on"]])
        assert opened.utcoffset() is not None
        if r[col["resolved_on"]]:
            resolved = dt.datetime.fromisoformat(r[col["resolved_on"]])
            assert int(r[col["seconds_to_resolve"]]) == (resolved - opened).total_seconds() > 0
        if r[col["service_name"]] in payments and r[col["resolved_on"]]:
            when = opened.timestamp()
            hours = int(r[col["seconds_to_resolve"]]) / 3600
            (recent if when >= KNEE else before if when >= YEAR_AGO else []).append(hours)
    assert len(recent) > len(before)
    assert statistics.median(recent) > 2 * statistics.median(before)
    ledger_deploys = [t for t, _, _ in deployments(config.service("ledger"))]
    ledger_opened = [
        dt.datetime.fromisoformat(r[col["created_on"]]).timestamp() for r in rows if r[col["service_name"]] == "ledger"
    ]
    assert any(0 < o - d <= 72 * 3600 for o in ledger_opened for d in ledger_deploys)


def test_jira_export_has_real_headers_and_more_unplanned_work_when_sliding(demo: Path) -> None:
    config = load_file(demo)
    rows = read_csv(demo.parent / "exports" / "jira-tickets.csv")
    header, rows = rows[0], rows[1:]
    assert tuple(header) == JIRA_HEADER
    assert header[:3] == ["Summary", "Issue key", "Issue id"] and header.count("Labels") == 3
    col = {name: i for i, name in enumerate(header)}  # the last of repeated names
    labels = [i for i, name in enumerate(header) if name == "Labels"]
    team_map = config.imports[2].team_map
    assert {r[col["Project key"]] for r in rows} == set(team_map)
    assert {r[col["Issue Type"]] for r in rows} == {"Story", "Bug", "Task", "Incident"}
    share: dict[tuple[str, str], list[bool]] = {}
    for r in rows:
        created = dt.datetime.strptime(r[col["Created"]], "%d/%b/%y %I:%M %p")
        if not r[col["Resolved"]]:
            continue
        resolved = dt.datetime.strptime(r[col["Resolved"]], "%d/%b/%y %I:%M %p")
        assert resolved >= created
        when = resolved.timestamp()  # naive, close enough to London for a 6-month split
        period = "recent" if when >= KNEE else "before" if when >= YEAR_AGO else "first"
        tags = {r[i] for i in labels}
        unplanned = r[col["Issue Type"]] in ("Bug", "Incident") or bool(tags & {"unplanned", "hotfix"})
        share.setdefault((team_map[r[col["Project key"]]], period), []).append(unplanned)
    rate = {key: sum(v) / len(v) for key, v in share.items()}
    assert rate["payments", "recent"] > rate["payments", "before"] + 0.1
    assert rate["storefront", "recent"] < rate["storefront", "first"]


def test_a_non_empty_foreign_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    for rebuild in (False, True):
        with pytest.raises(UsageError, match="not empty"):
            build_demo(tmp_path, TODAY, rebuild=rebuild)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    (tmp_path / "dora.toml").write_text('database = "mine.db"\n')
    with pytest.raises(UsageError):
        build_demo(tmp_path, TODAY, rebuild=True)
    afile = tmp_path / "notes.txt"
    with pytest.raises(UsageError, match="not a directory"):
        build_demo(afile, TODAY)


def test_an_existing_demo_is_reused_unless_rebuild(demo: Path, tmp_path: Path) -> None:
    before = tag_table(demo.parent / "repos" / "checkout")
    assert build_demo(demo.parent, TODAY, seed=99) == demo
    assert tag_table(demo.parent / "repos" / "checkout") == before
    old = tmp_path / "old"
    (old / "repos" / "stale").mkdir(parents=True)
    (old / "dora.db").write_text("stale database")
    (old / "keep.txt").write_text("the user's own file")
    (old / "dora.toml").write_text("# dora-tui demo workspace (today=2020-01-01, seed=7)\n")
    assert existing_demo(old).today == dt.date(2020, 1, 1)
    assert build_demo(old, TODAY) == old / "dora.toml"  # kept as it is
    assert (old / "repos" / "stale").is_dir()
    config = build_demo(old, TODAY, rebuild=True)
    assert load_file(config).service("checkout").repo == old / "repos" / "checkout"
    assert not (old / "repos" / "stale").exists() and not (old / "dora.db").exists()
    assert (old / "keep.txt").read_text() == "the user's own file"
    assert existing_demo(old).today == TODAY
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left


def test_months_before_clamps_to_the_month_end() -> None:
    assert months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2024, 8, 31), 6) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2026, 1, 15), 18) == dt.date(2024, 7, 15)


def test_git_environment_shuts_out_user_configuration(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GIT_DIR", "/nowhere")
    env = git_environment(tmp_path)
    assert "GIT_DIR" not in env
    assert env["GIT_CONFIG_NOSYSTEM"] == "1" and env["HOME"] == str(tmp_path)
