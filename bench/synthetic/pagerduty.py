"""The synthetic PagerDuty export of the import benchmark: :func:`write_pagerduty_csv` writes
an incidents report (:data:`PAGERDUTY_HEADER`) of an organisation's services."""

from __future__ import annotations

import csv
import math
import random
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from synthetic.clock import Clock
from synthetic.org import AS_OF, SEED, TIMEZONE, Org
from synthetic.text import ALNUM, random_sentence

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


def write_pagerduty_csv(
    path: str | Path, org: Org, rows: int, *, as_of: date = AS_OF, months: int = 36, seed: int = SEED
) -> dict[str, int]:
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
        """``t`` in ISO 8601 with the account's offset."""
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
                description += f', "{random_sentence(rng, 4)}", see runbook'
            esc = rng.choice((0, 0, 0, 1, 2))
            out.writerow(
                [
                    "Q" + "".join(rng.choice(ALNUM) for _ in range(13)),
                    number,
                    description,
                    "P" + "".join(rng.choice(ALNUM) for _ in range(6)),
                    pd_name,
                    "P" + "".join(rng.choice(ALNUM) for _ in range(6)),
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
