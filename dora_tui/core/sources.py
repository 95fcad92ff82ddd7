"""Where a service's deployments come from: one source of truth, so that one release is never
counted twice (a tag, and the rollout of that tag a pipeline or a runtime reports).

A service's ``deployments`` setting names the source: ``tags`` (its git tags), ``imports``
(deployments imported from an export), or ``auto``, the default: its imported deployments
when it has any, else its tags. The deployments of the other source are kept, and not counted.
"""

from __future__ import annotations

TAGS = "tags"
"""A service's git tags are its deployments."""
IMPORTS = "imports"
"""A service's imported deployments are its deployments."""


def source_of(setting: str, has_imported: bool) -> str:
    """:data:`TAGS` or :data:`IMPORTS`: the source that counts for a service whose
    ``deployments`` setting is ``setting`` and which has (or has not) imported deployments."""
    if setting == "auto":
        return IMPORTS if has_imported else TAGS
    return setting
