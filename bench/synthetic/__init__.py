"""Synthetic data for the benchmarks: a big database, and big CSV exports in the tools' formats.

Everything is deterministic: the same arguments (and seed) give byte-identical files and
the same database rows on every machine, whatever the hash seed.

- :func:`build_database` writes a database through :class:`dora_tui.store.database.Store` (deployments,
  changes, incidents and tickets of many services and teams over many months) and its
  ``dora.toml``; ``bench_report.py`` uses it.
- :func:`write_jira_csv` and :func:`write_pagerduty_csv` write a Jira Cloud "all fields" CSV
  export and a PagerDuty ``incidents.csv`` report; :func:`write_import_config` writes a
  ``dora.toml`` whose teams and services the rows of both map to. ``bench_import.py`` uses
  them.

Names: teams are words (``payments``, ``search``...; with a number once the words run out),
services are ``TEAM-COMPONENT`` (``payments-api``, ``payments-worker``...), spread unevenly
over the teams (4 to 16 services each for the defaults). Only the standard library and
dora-tui (for :func:`build_database`).

The modules: :mod:`synthetic.org` (the shared settings and the organisation),
:mod:`synthetic.text` (random names, sentences and ids), :mod:`synthetic.clock` (working-hours
times), :mod:`synthetic.workspace` (``dora.toml``), :mod:`synthetic.database`,
:mod:`synthetic.jira` and :mod:`synthetic.pagerduty`.
"""

from synthetic.database import build_database, database_stats
from synthetic.jira import JIRA_HEADER, write_jira_csv
from synthetic.org import AS_OF, GENERATOR_VERSION, SEED, TIMEZONE, Org, make_org
from synthetic.pagerduty import PAGERDUTY_HEADER, write_pagerduty_csv
from synthetic.workspace import remove_tree, write_import_config

__all__ = [
    "AS_OF",
    "GENERATOR_VERSION",
    "JIRA_HEADER",
    "PAGERDUTY_HEADER",
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
