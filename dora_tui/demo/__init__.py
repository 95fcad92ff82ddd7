"""The demo workspace that ``dora-tui demo`` builds: a made-up shop with a story to tell.

The README (``dora-tui demo``) promises three teams, seven services, one monorepo holding
two services and 18 months of history up to today: one team improving, one steady, one
quietly sliding. The workspace is real: git repositories, a PagerDuty and a Jira CSV
export and a ``dora.toml``, which ``dora-tui demo`` then collects and imports like any
other. The same day and seed always give the same shas and the same CSV bytes.

How it is built, module by module:

- :mod:`~dora_tui.demo.cast`: the people, teams (each with the profile it plays),
  projects and services; :mod:`~dora_tui.demo.words`: the words they write (commit
  messages, ticket summaries). Static data.
- :mod:`~dora_tui.demo.model`: the rows the story is made of (commits, tags, incidents,
  tickets), its calendar and seeded random source, and how each profile behaves over time.
- :mod:`~dora_tui.demo.story`: the whole story for a day and a seed, drawing in a fixed
  order; :mod:`~dora_tui.demo.service` tells one service's part (deployments, what they
  carry, what breaks), :mod:`~dora_tui.demo.tickets` the Jira tickets.
- :mod:`~dora_tui.demo.git`: a story's repository as a ``git fast-import`` stream;
  :mod:`~dora_tui.demo.exports`: its incidents and tickets as the two CSV exports.
- :mod:`~dora_tui.demo.workspace`: writes it all into a folder (atomically, never over
  files it did not write) and the ``dora.toml`` that describes it.
"""

from __future__ import annotations

from dora_tui.demo.workspace import (
    DEFAULT_SEED,
    DemoStamp,
    build_demo,
    config_document,
    default_directory,
    existing_demo,
)

__all__ = ["DEFAULT_SEED", "DemoStamp", "build_demo", "config_document", "default_directory", "existing_demo"]
