"""The figures of the README's "What is measured" on hand-made rows: medians, percentiles, tiers,
nulls, unions."""

from __future__ import annotations

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from collectors.records import Deployment, Incident, Ticket
from dora_tui.core.attribution import Outcome, deployment_outcomes, named_rework, own_words
from dora_tui.core.catalog import METRICS
from dora_tui.core.metrics import entity_figures
from dora_tui.core.periods import make_window
from dora_tui.core.tiers import p90_sorted
from support.gitbuilder import epoch

UTC = ZoneInfo("UTC")
H = 3600


def deployment(name: str, when: str, service: str = "shop", **kw) -> Deployment:
    return Deployment(service, name, epoch(when), sha=kw.pop("sha", ""), **kw)


def figures(outcomes, leads=(), incidents=(), tickets=(), as_of=date(2024, 3, 15), months=3):
    window = make_window(as_of, months, UTC)
    return entity_figures(window, list(outcomes), list(leads), list(incidents), list(tickets), 6)


def test_months_without_rows_have_zero_counts_and_null_figures() -> None:
    result = figures([])
    assert [m["deployments"] for m in result.months] == [0, 0, 0]
    assert all(m["lead_time_median_h"] is None and m["change_failure_rate"] is None for m in result.months)
    assert result.window["rework_rate"] is None and result.tiers["lead_time"] is None


def test_median_and_p90_of_lead_times_per_month_and_window() -> None:
    leads = [(epoch("2024-02-10T00:00:00"), h * H) for h in (1, 2, 3, 10)]
    leads.append((epoch("2024-03-02T00:00:00"), 5 * H))
    result = figures([], leads)
    feb = result.months[1]
    assert feb["changes"] == 4
    assert feb["lead_time_median_h"] == 2.5  # the mean of the two middle values
    assert feb["lead_time_p90_h"] == pytest.approx(7.9)  # linear between closest ranks
    assert result.window["lead_time_median_h"] == 3.0  # over all rows, not a mean of months
    assert result.months[2]["lead_time_p90_h"] == 5.0  # one value: itself
    assert p90_sorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == pytest.approx(9.1)


def test_deployment_days_count_distinct_local_days() -> None:
    outs = [
        Outcome(deployment(f"v{i}", t))
        for i, t in enumerate(["2024-02-01T09:00:00", "2024-02-01T15:00:00", "2024-02-02T09:00:00"])
    ]
    feb = figures(outs).months[1]
    assert feb["deployments"] == 3 and feb["deployment_days"] == 2


def test_failed_deployments_by_reference_and_by_attribution_window() -> None:
    deps = [
        deployment("v1", "2024-02-01T00:00:00", sha="abcdef1234"),
        deployment("v2", "2024-02-10T00:00:00"),
        deployment("v3", "2024-02-20T00:00:00"),
        deployment("v4", "2024-02-25T00:00:00"),
    ]
    incidents = [
        Incident("pd", "before-any", epoch("2024-01-15T00:00:00"), epoch("2024-01-15T01:00:00")),
        Incident("pd", "exactly-72h", epoch("2024-02-13T00:00:00"), epoch("2024-02-13T02:00:00")),
        Incident("pd", "72h-and-1s", epoch("2024-02-23T00:00:01"), epoch("2024-02-23T01:00:00")),
        Incident("pd", "by-sha", epoch("2024-02-28T00:00:00"), epoch("2024-02-28T05:00:00"), reference="ABCDEF1"),
    ]
    outs = deployment_outcomes(deps, incidents, 72, epoch("2024-03-16T00:00:00"))
    failed = {o.deployment.name: o.incidents for o in outs if o.failed}
    assert failed == {"v1": ("by-sha",), "v2": ("exactly-72h",)}
    recovered = {o.deployment.name: o.recovered_at for o in outs if o.failed}
    assert recovered["v2"] - deps[1].time == 74 * H
    result = figures(outs)
    feb = result.months[1]
    assert feb["failed_deployments"] == 2 and feb["change_failure_rate"] == 0.5
    assert feb["recovery_time_median_h"] == pytest.approx((74 + 27 * 24 + 5) / 2)


def test_an_incident_opening_after_the_next_deployment_is_not_the_earlier_ones() -> None:
    deps = [deployment("v1", "2024-02-01T00:00:00"), deployment("v2", "2024-02-01T06:00:00")]
    incidents = [Incident("pd", "i", epoch("2024-02-01T07:00:00"), None)]
    outs = deployment_outcomes(deps, incidents, 72, epoch("2024-03-16T00:00:00"))
    assert [o.failed for o in outs] == [False, True]
    assert outs[1].recovered_at is None  # still open: no recovery time yet


def test_rework_during_an_open_incident_or_by_name() -> None:
    deps = [
        deployment("v1", "2024-02-01T00:00:00"),
        deployment("v2", "2024-02-01T03:00:00"),
        deployment("v3", "2024-02-05T00:00:00", rework=True),
    ]
    incidents = [Incident("pd", "i", epoch("2024-02-01T01:00:00"), epoch("2024-02-01T04:00:00"))]
    outs = deployment_outcomes(deps, incidents, 72, epoch("2024-03-16T00:00:00"))
    assert [o.rework for o in outs] == [False, True, True]
    assert figures(outs).months[1]["rework_rate"] == pytest.approx(0.667)


def test_time_to_restore_by_resolution_month_and_unplanned_work() -> None:
    incidents = [
        Incident("pd", "a", epoch("2024-01-31T23:00:00"), epoch("2024-02-01T01:00:00")),
        Incident("pd", "b", epoch("2024-02-05T00:00:00"), epoch("2024-02-05T04:00:00")),
        Incident("pd", "c", epoch("2024-02-06T00:00:00"), None),
    ]
    tickets = [
        Ticket("jira", "T-1", epoch("2024-02-01T00:00:00"), epoch("2024-02-02T00:00:00"), unplanned=True),
        Ticket("jira", "T-2", epoch("2024-02-01T00:00:00"), epoch("2024-02-03T00:00:00")),
        Ticket("jira", "T-3", epoch("2024-02-01T00:00:00"), None, unplanned=True),
    ]
    result = figures([], incidents=incidents, tickets=tickets)
    jan, feb = result.months[0], result.months[1]
    assert (jan["incidents_opened"], jan["incidents_resolved"]) == (1, 0)
    assert (feb["incidents_opened"], feb["incidents_resolved"]) == (2, 2)
    assert feb["time_to_restore_median_h"] == 3.0
    assert (feb["tickets_resolved"], feb["unplanned_tickets"], feb["unplanned_work_rate"]) == (2, 1, 0.5)


@pytest.mark.parametrize(
    "hours, tier", [(23.99, "elite"), (24, "high"), (167.9, "high"), (168, "medium"), (719, "medium"), (720, "low")]
)
def test_lead_time_tier_boundaries(hours: float, tier: str) -> None:
    result = figures([], [(epoch("2024-02-10T00:00:00"), int(hours * H))])
    assert result.tiers["lead_time"] == tier


@pytest.mark.parametrize("failed, tier", [(1, "elite"), (2, "high"), (3, "medium"), (4, "low")])
def test_change_failure_rate_tier_boundaries(failed: int, tier: str) -> None:
    # 20 deployments: 1 failed is 5 %, 2 is 10 %, 3 is 15 %, 4 is 20 %.
    outs = [Outcome(deployment(f"v{i}", f"2024-02-{i + 1:02d}T09:00:00"), failed=i < failed) for i in range(20)]
    assert figures(outs).tiers["change_failure_rate"] == tier


@pytest.mark.parametrize("minutes, tier", [(59, "elite"), (60, "high"), (60 * 24, "medium"), (60 * 24 * 7, "low")])
def test_time_to_restore_tier_boundaries(minutes: int, tier: str) -> None:
    incidents = [Incident("pd", "i", epoch("2024-02-01T00:00:00"), epoch("2024-02-01T00:00:00") + minutes * 60)]
    assert figures([], incidents=incidents).tiers["time_to_restore"] == tier


def test_deployment_frequency_tiers() -> None:
    as_of = date(2024, 3, 31)
    weekdays = [
        f"2024-{m:02d}-{d:02d}T10:00:00" for m in (1, 2, 3) for d in range(1, 29) if date(2024, m, d).weekday() < 5
    ]
    elite = [Outcome(deployment(f"v{i}", t)) for i, t in enumerate(weekdays)]
    assert figures(elite, as_of=as_of).tiers["deployment_frequency"] == "elite"
    mondays = [o for o in elite if date.fromtimestamp(o.deployment.time).weekday() == 0]
    assert figures(mondays, as_of=as_of).tiers["deployment_frequency"] == "high"
    monthly = [Outcome(deployment(f"v{m}", f"2024-{m:02d}-10T10:00:00")) for m in (1, 2, 3)]
    assert figures(monthly, as_of=as_of).tiers["deployment_frequency"] == "medium"
    once = [Outcome(deployment("v1", "2024-01-10T10:00:00"))]
    assert figures(once, as_of=as_of).tiers["deployment_frequency"] == "low"
    assert figures([], as_of=as_of).tiers["deployment_frequency"] is None


def test_team_figures_are_a_union_of_rows_not_a_mean_of_services() -> None:
    a = [(epoch("2024-02-10T00:00:00"), h * H) for h in (1, 2, 3)]
    b = [(epoch("2024-02-11T00:00:00"), 100 * H)]
    service_a = figures([], a).months[1]["lead_time_median_h"]
    service_b = figures([], b).months[1]["lead_time_median_h"]
    team = figures([], a + b).months[1]["lead_time_median_h"]
    assert (service_a, service_b) == (2.0, 100.0)
    assert team == 2.5 and team != (service_a + service_b) / 2


def test_rows_after_the_as_of_day_are_not_counted() -> None:
    outs = [Outcome(deployment("v1", "2024-03-15T23:00:00")), Outcome(deployment("v2", "2024-03-16T00:00:00"))]
    assert figures(outs, as_of=date(2024, 3, 15)).months[2]["deployments"] == 1


def test_tiers_judge_exact_values_not_rounded_ones() -> None:
    # 23 h 59 min 59 s shows as 24.0 but is under a day; 59 min 59 s shows as 1.0 but is under an hour.
    leads = [(epoch("2024-02-10T00:00:00"), 86399)]
    incidents = [Incident("pd", "i", epoch("2024-02-01T00:00:00"), epoch("2024-02-01T00:00:00") + 3599)]
    result = figures([], leads, incidents)
    assert result.window["lead_time_median_h"] == 24.0 and result.tiers["lead_time"] == "elite"
    assert result.window["time_to_restore_median_h"] == 1.0 and result.tiers["time_to_restore"] == "elite"
    # 6 failed of 119 is 5.04 %: shown as 0.05, but above the elite bound.
    outs = [
        Outcome(deployment(f"v{i}", f"2024-02-{i % 28 + 1:02d}T09:{i % 60:02d}:00"), failed=i < 6) for i in range(119)
    ]
    result = figures(outs)
    assert result.window["change_failure_rate"] == 0.05 and result.tiers["change_failure_rate"] == "high"


def test_a_service_s_own_words_are_read_around_never_inside_a_longer_word() -> None:
    rework = re.compile("(?i)urgent|quick-?fix|hotfix|rollback")
    own = own_words(rework, ("services/rollback-controller",), "ui", "rollback-controller", "")
    assert not named_rework(rework, "services/rollback-controller/v2", "Release Rollback-Controller 2", own=own)
    assert named_rework(rework, "ui-v3", "a quickfix for the login page", own=own)  # 'ui' is not in 'quick'
    assert named_rework(rework, "services/rollback-controller/v2-hotfix", own=own)
    assert named_rework(rework, "v2", "rollback-controller: roll back to v1 (rollback)", own=own)
    # a name that is a rework word itself is read around as the tag names' start only
    own = own_words(rework, ("services/rollback",), "rollback", "services/rollback")
    assert not named_rework(rework, "services/rollback/v2", "Release 2", own=own)
    assert named_rework(rework, "services/rollback/v2", "Rollback of v1: it broke logins", own=own)
    assert named_rework(rework, "services/rollback/v2-rollback", own=own)
    assert own_words(rework, (), "", "").words is None
    # a rework_pattern that names the service itself still matches where it finds more than it
    checkout = own_words(re.compile("^checkout-hotfix"), (), "checkout")
    assert named_rework(re.compile("^checkout-hotfix"), "checkout-hotfix-1.1.1", own=checkout)
    assert not named_rework(re.compile("^checkout-hotfix"), "checkout-1.2.0", "Release checkout", own=checkout)
    # a greedy pattern, a zero-width one: what names the service is out of their way too
    greedy = re.compile("(?i).*(hotfix|rollback|revert).*")
    controller = own_words(greedy, ("rollback-controller",), "rollback-controller")
    assert not named_rework(greedy, "rollback-controller/v1.0.0", "release", own=controller)
    assert named_rework(greedy, "rollback-controller/v1.0.1-hotfix", own=controller)
    ahead = re.compile("(?i)^(?=.*hotfix)")
    assert named_rework(ahead, "checkout-1.0.1-hotfix", own=own_words(ahead, ("checkout",), "checkout"))
    # a name beginning with one of the service's names (an imported ReplicaSet) is cut there
    # by position, a rework word or not
    rollback = own_words(rework, ("rollback",), "rollback")
    assert not named_rework(rework, "rollback-5d8f7c9b4", "Deploy", own=rollback)
    assert named_rework(rework, "rollback-hotfix-2", own=rollback)
    assert named_rework(rework, "rollbacks-7", own=rollback)  # not its name: a longer word
    # a message repeating the deployment's name (git tag -a X -m X) tells no more than the name
    assert not named_rework(rework, "rollback-1.0.0", "rollback-1.0.0", "Release rollback-1.0.0", own=rollback)
    assert named_rework(rework, "rollback-1.0.1", "Rollback of rollback-1.0.0", own=rollback)
    # the start in any case: a service Rollback, its workload rollback-5d8f7c9b4
    assert not named_rework(rework, "rollback-5d8f7c9b4", own=own_words(rework, ("Rollback",), "Rollback"))
    # a long message is read in linear time
    long = "rollback-controller: bump deps\n" * 20000
    assert not named_rework(rework, "rollback-controller/v2", long, own=controller)


def test_a_new_service_is_judged_from_its_first_deployment_not_by_the_months_before() -> None:
    # Deploying every weekday since April 1st 2025, seen in a 12-month window: the nine
    # months before it are no data on its chart and in its trend, so not zeros for its tier
    # (it was 'low') nor for its deployments a month (54 over 12 months was 4.5).
    as_of = date(2025, 6, 15)
    days = [date(2025, 4, 1) + timedelta(days=n) for n in range(75)]
    weekdays = [d for d in days if d.weekday() < 5 and d <= date(2025, 6, 14)]
    outs = [Outcome(deployment(f"v{i}", f"{d.isoformat()}T10:00:00")) for i, d in enumerate(weekdays)]
    result = figures(outs, as_of=as_of, months=12)
    assert result.tiers["deployment_frequency"] == "elite"
    frequency = METRICS[0]
    # 54 over the 2.48 months from April 1st 10:00 to the end of June 15th
    assert len(weekdays) == 54 and result.detail(frequency, make_window(as_of, 12, UTC)) == "21.7 a month"


def test_the_week_a_service_began_in_is_not_a_week_of_its_history() -> None:
    # first deployed on a Friday, then every weekday: its first, partial week (1 day) made the
    # median of [1, 5] 3, 'high'; and 6 deployments in its first ten days are not '3 a month'
    as_of = date(2026, 11, 8)
    days = ["2026-10-30", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"]
    outs = [Outcome(deployment(f"v{i}", f"{d}T10:00:00")) for i, d in enumerate(days)]
    result = figures(outs, as_of=as_of, months=3)
    assert result.tiers["deployment_frequency"] == "elite"
    assert result.detail(METRICS[0], make_window(as_of, 3, UTC)) == "6 a month"  # not a month old yet: so far


def test_a_service_that_never_deployed_has_no_data_in_any_month_not_a_zero_this_month() -> None:
    window = make_window(date(2025, 6, 15), 6, UTC)
    result = figures([], as_of=date(2025, 6, 15), months=6)
    assert result.charted(METRICS[0], window) == [None] * 6
    assert result.tiers["deployment_frequency"] is None


def test_a_service_younger_than_a_whole_week_of_history_is_judged_by_the_week_it_began_in() -> None:
    # first deployed on Tuesday October 20th, then every weekday: no whole week began after
    # that by October 31st, and the monthly test alone made a daily deployer 'medium'
    days = [date(2026, 10, 20) + timedelta(days=n) for n in range(11)]
    outs = [Outcome(deployment(f"v{i}", f"{d.isoformat()}T10:00:00")) for i, d in enumerate(days) if d.weekday() < 5]
    assert figures(outs, as_of=date(2026, 10, 31), months=1).tiers["deployment_frequency"] == "high"
