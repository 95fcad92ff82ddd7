"""Which deployments are rework by their name or their message, by the config's rules: each
service's ``rework_pattern``, what names the service itself put out of the way
(:func:`dora_tui.core.attribution.named_rework`, :meth:`dora_tui.config.Config.own_words`).

A tag's flag is worked out at every collect that recomputes its repository (the lineage).
An imported deployment's is worked out when it is imported, and again by every collect that
recomputes the repository of its service (:func:`refresh_imported`): a rule or a config that
changed since (a ``service_map`` naming its workload, a new ``rework_pattern``) is taken,
never only by the deployments imported after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dora_tui.config import Config, Service
from dora_tui.core.attribution import OwnWords, named_rework, own_words
from dora_tui.store.database import Store


class NamedRework:
    """``named(service, name, *messages)``: whether a deployment of ``service`` is rework by
    its name or its messages, by the rules of ``config``."""

    def __init__(self, config: Config) -> None:
        self._rules: dict[str, tuple[re.Pattern[str] | None, OwnWords]] = {}
        for service in config.services:
            pattern = re.compile(service.rework_pattern) if service.rework_pattern else None
            starts, names = config.own_words(service)
            self._rules[service.name] = (pattern, own_words(pattern, starts, *names))

    def __call__(self, service: str, name: str, *messages: str) -> bool:
        pattern, own = self._rules.get(service, (None, None))
        return named_rework(pattern, name, *messages, own=own)


def refresh_imported(named: NamedRework, store: Store, services: Iterable[Service]) -> int:
    """Work out again, by ``named``, the rework flag of ``services``' imported deployments (in
    the caller's transaction); returns how many changed."""
    changed = 0
    for service in services:
        flips = [
            (name, now)
            for name, message, was in store.imported_rework(service.name)
            if (now := named(service.name, name, message)) != was
        ]
        if flips:
            store.set_rework(service.name, flips)
            changed += len(flips)
    return changed
