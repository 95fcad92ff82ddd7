"""What every deployment reader shares: its settings, and the :class:`Context` it reads into.

A reader walks the export's items and, for each, either adds deployments
(:meth:`Context.add`), leaves the item out on purpose and counts why
(:meth:`Context.leave_out`: another kind of object, not production, a service that is not
configured, a redeploy that changes nothing, a draft), or finds it bad (a field its format
needs is missing or unreadable: it raises :class:`~collectors.items.values.Bad`, and the
reader records it with :meth:`Context.fail`). Items left out are never errors; bad items are, unless the caller
skips them.

Only production counts (README, ``dora-tui import``): an environment, namespace, application
or service named like staging, stage, dev, test, qa, preview, sandbox or ``pr-N`` is left
out, unless the settings name the production ones (``production``), which then are the only
ones that count. "Named like" means the name, or one of its words (parts between ``-``,
``_``, ``.``, ``/`` and the like), is one of those names, case ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, tzinfo

from collectors.deploys.images import Commits
from collectors.exports.fields import Mapper
from collectors.items.context import ItemTally
from collectors.items.values import Bad, obj
from collectors.records import Deployment

NOT_PRODUCTION = ("staging", "stage", "dev", "test", "qa", "preview", "sandbox")
"""Words that name an environment that is not production, unless the settings name the production ones."""


@dataclass(frozen=True)
class DeploySettings:
    """How to read one JSON deployments export.

    ``format``: a name of :data:`collectors.deploys.formats.FORMATS`, or ``auto`` (told from
    the items). ``source`` (default: the format's name) is stored on every deployment.
    ``service`` names the service of every item; else an item's own service value maps
    through ``service_map``, else names one of ``services`` (exact, then ignoring case).
    ``production`` names the environments that count (default: all but those named like
    :data:`NOT_PRODUCTION`). ``image_pattern``: a regular expression with a group named
    ``commit`` or ``version``, searched in an image's tag (default: the forms of
    :mod:`collectors.deploys.images`); ``version_tag`` makes a version the name of a git tag
    (``{version}``, ``{service}``). Times without an offset are read in ``tz``. ``from_entry``:
    the export is read with its own ``[[imports]]`` entry and no ``--format`` was given (an
    error's advice names the entry's ``format`` key: :func:`collectors.formats.telling`).
    """

    format: str = "auto"
    source: str = ""
    service: str | None = None
    service_map: Mapping[str, str] = field(default_factory=dict)
    services: Mapping[str, str | None] = field(default_factory=dict)
    production: tuple[str, ...] = ()
    image_pattern: str = ""
    version_tag: str = "{version}"
    tz: tzinfo = UTC
    from_entry: bool = False


LEFT_OUT = {
    "kind": "{n} item{s} of other kinds left out: {values}",
    "owner": "{n} ReplicaSet{s} of no Deployment left out: {values}",
    "production": (
        "{n} item{s} not of production left out: {values} "
        "(name the production environments with `production` in the [[imports]] entry)"
    ),
    "service": (
        "{n} item{s} of no configured service left out: {values} (map them with service_map in the [[imports]] entry)"
    ),
    "redeploy": "{n} redeploy{s} of the running version left out (a restart or a re-sync: nothing changed): {values}",
    "draft": "{n} draft{s} left out: {values}",
    "prerelease": "{n} prerelease{s} left out: {values}",
    "twice": "{n} deployment{s} named twice in the file with other values, the last kept: {values}",
}
"""Why items are left out, as the import's summary says it: how many (``{n}``) and the values
left out most often (``{values}``)."""


class Context(ItemTally):
    """One read under way: its settings, what it found, and the shared rules (see the module
    docstring); its bad items and the items it left out (:class:`~collectors.items.context.ItemTally`)."""

    def __init__(self, settings: DeploySettings, format: str) -> None:
        super().__init__(LEFT_OUT)
        self.settings = settings
        self.source = settings.source or format
        self.deployments: list[Deployment] = []
        self._added: dict[tuple[str, str], Deployment] = {}  # by (service, name): a repeat is the last
        self.mapper = Mapper(settings.service_map, {}, settings.services, frozenset())
        self.commits = Commits(settings.image_pattern, settings.version_tag)
        names = settings.production or NOT_PRODUCTION
        words = "|".join(re.escape(name.casefold()) for name in names)
        if not settings.production:
            words += r"|pr-?\d+"
        self._named = re.compile(rf"(?<![^\W_])(?:{words})(?![^\W_])")
        self._judged: dict[str, bool] = {}

    def of_kind(self, item: object, kind: str, what: str) -> tuple[dict[str, object], dict[str, object]] | None:
        """The fields and the ``metadata`` of ``item`` when it is a ``kind`` (``what``: how a
        bad item without a kind is named, "a Kubernetes ReplicaSet"); None, and counted, when
        it is of another kind. Raises :class:`~collectors.items.values.Bad`."""
        fields = obj(item, "the item")
        found = fields.get("kind")
        if found != kind:
            if found is None:
                raise Bad(f"not {what} (no kind)")
            self.leave_out("kind", str(found))
            return None
        return fields, obj(fields.get("metadata"), "metadata")

    def production(self, environment: str) -> bool:
        """Whether ``environment`` counts as production (see the module docstring)."""
        try:
            return self._judged[environment]
        except KeyError:
            named = self._named.search(environment.casefold()) is not None
            counts = self._judged[environment] = named if self.settings.production else not named
            return counts

    def service(self, *candidates: str) -> str | None:
        """The service of an item: the settings' ``service``, else the first of ``candidates``
        (the item's own values, best first) that maps to one; None when none does."""
        if self.settings.service is not None:
            return self.settings.service
        return self.mapper.first_service(candidates)

    def add(self, service: str, name: str, time: int, sha: str, message: str, *, dated: bool = True) -> None:
        """Add a deployment of ``service`` called ``name`` at ``time``, carrying the commit ``sha`` names
        (``dated``: false when the export does not say when it happened, ``time`` being a placement)."""
        found = Deployment(service, name, time, sha, message, self.source, dated=dated)
        before = self._added.get((service, name))
        if before is not None and before != found:  # one stored, the other counted and named, never lost unsaid
            self.leave_out("twice", name)
        self._added[(service, name)] = found
        self.deployments.append(found)
