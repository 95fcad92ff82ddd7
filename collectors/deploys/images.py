"""The commit a container image names: its tag read by a pattern (README, ``dora-tui import``).

An image reference is ``[registry/]path/name[:tag][@digest]``. Only the tag can name a
commit: an image given by its digest alone names none (its deployment is stored with no
commit, and ``collect`` reports it unresolved). The tag is read by the ``[[imports]]``
entry's ``image_pattern`` (a regular expression searched in the tag, with a group named
``commit`` or ``version``), else by these forms, first match wins:

- ``sha-abc1234``: the commit (7 to 40 hex digits);
- ``v1.2.3-4-gabc1234`` (``git describe``): the commit after ``-g``;
- ``1.4.2-abc1234``, ``main-abc1234``, a bare ``abc1234``: the hex digits at the end;
- ``1.15.0``, ``v2.0.0-rc.1``: a version, which names a git tag: the stored ``sha`` is the
  entry's ``version_tag`` with ``{version}`` (and ``{service}``) filled in, ``{version}``
  by default, and ``collect`` resolves it as a tag's name;
- anything else (``latest``, ``main``): no commit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from collectors.items.values import Bad, obj

_HEX = "[0-9a-f]{7,40}"
DEFAULT_PATTERNS = (
    re.compile(rf"^sha-(?P<commit>{_HEX})$", re.IGNORECASE),
    re.compile(rf"-g(?P<commit>{_HEX})$", re.IGNORECASE),
    re.compile(rf"^(?:.+[-_.])?(?P<commit>{_HEX})$", re.IGNORECASE),
    re.compile(r"^(?P<version>v?\d+(?:\.\d+)*(?:[-+][0-9A-Za-z][0-9A-Za-z.+-]*)?)$"),
)
"""The forms of an image tag read when no ``image_pattern`` is given (the module docstring)."""


def image_tag(image: str) -> str:
    """The tag of image reference ``image`` ('' when it has none: a digest alone, or no tag)."""
    name = image.split("@", 1)[0]
    colon = name.rfind(":")
    return name[colon + 1 :] if colon > name.rfind("/") else ""


def image_name(image: str) -> str:
    """The last part of ``image``'s path, without tag or digest (``ghcr.io/acme/checkout:1.2`` → ``checkout``)."""
    name = image.split("@", 1)[0]
    colon = name.rfind(":")
    if colon > name.rfind("/"):
        name = name[:colon]
    return name.rsplit("/", 1)[-1]


class Commits:
    """What names the commit an image or a tag carries, by ``pattern`` (else the default forms)
    and ``version_tag`` (see the module docstring); answers are kept per image and service."""

    def __init__(self, pattern: str = "", version_tag: str = "{version}") -> None:
        self.patterns = (re.compile(pattern),) if pattern else DEFAULT_PATTERNS
        self.version_tag = version_tag or "{version}"
        self._known: dict[tuple[str, str], str] = {}

    def of_image(self, image: str, service: str) -> str:
        """What names the commit ``image`` carries for ``service``: a sha or its prefix, a git
        tag's name, or '' for none."""
        key = (image, service)
        try:
            return self._known[key]
        except KeyError:
            found = self._known[key] = self.of_tag(image_tag(image), service)
            return found

    def of_tag(self, tag: str, service: str) -> str:
        """What names the commit of an image tagged ``tag`` for ``service`` ('' for none)."""
        if not tag:
            return ""
        for pattern in self.patterns:
            match = pattern.search(tag)
            if match is None:
                continue
            groups = match.groupdict()
            if groups.get("commit"):
                return groups["commit"].lower()
            if groups.get("version"):
                return self.version_tag.format(version=groups["version"], service=service)
        return ""


def pick_image(containers: object, names: Sequence[str], what: str = "spec.template.spec.containers") -> str:
    """The image of the container that is the service's: the one named like one of ``names``
    (the container's name, or its image's last path part), else the first (sidecars come
    after it). Bad when there is no container with an image."""
    if not isinstance(containers, list) or not containers:
        raise Bad(f"no {what}")
    images = []
    for container in containers:
        fields = obj(container, what)
        image = fields.get("image")
        if not isinstance(image, str) or not image:
            raise Bad(f"a container of {what} has no image")
        if fields.get("name") in names or image_name(image) in names:
            return image
        images.append(image)
    return images[0]
