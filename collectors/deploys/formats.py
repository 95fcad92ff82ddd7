"""The names of the JSON deployment formats, and nothing else: a configuration checks a
``format`` against them without loading a reader."""

from __future__ import annotations

FORMATS: dict[str, str] = {
    "kubernetes": "a Kubernetes ReplicaSet",
    "argocd": "an Argo CD Application",
    "cloud-run": "a Cloud Run revision",
    "github-deployments": "a GitHub deployment",
    "github-releases": "a GitHub release",
}
"""Each format's name and what one of its items is (the commands that write them: README,
``dora-tui import``)."""

ALIASES = {"k8s": "kubernetes", "kubectl": "kubernetes", "argo": "argocd", "argo-cd": "argocd", "cloudrun": "cloud-run"}
"""Other names a person may write for a format."""


def json_format(name: str | None) -> str | None:
    """The JSON format called ``name`` (any case, ``_`` or a space for ``-``, or an alias), or None."""
    if not name:
        return None
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    key = ALIASES.get(key, key)
    return key if key in FORMATS else None
