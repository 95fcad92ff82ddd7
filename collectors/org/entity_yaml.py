"""The YAML reader of catalog files: PyYAML's safe loader (plain data, never objects), made to
read entities as Backstage reads them, and to fail only with a :class:`yaml.YAMLError`.

- A timestamp (``2024-01-01``, ``2024-01-01 10:00:00``, or a value tagged ``!!timestamp``)
  is kept as the text written: Backstage reads entity YAML without turning dates into date
  objects, and PyYAML's safe loader would refuse an impossible one (``2024-02-30``,
  ``2024-13-45``, ``25:00:00``) with a ``ValueError``, as if the document were not YAML.
- Booleans are YAML 1.2's, as Backstage's reader has them: ``true`` and ``false``; ``yes``,
  ``no``, ``on`` and ``off`` (YAML 1.1's) are text, so ``metadata.name: on`` names ``on``.
- Merge keys (``<<: *base``) copy every key of their base into the mapping: a file of a few
  hundred KB can ask for billions of copies (minutes of work, far under the size cap). Past
  :data:`MERGED_KEYS` copied keys in a document, it is not valid YAML, said at its line.
- A value the loader cannot build (``!!bool maybe``, ``!!int abc``, an integer of more
  digits than Python reads) is a :class:`yaml.constructor.ConstructorError` at its line, so a
  document is either read or said to be not valid YAML, never an exception of another kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.constructor import ConstructorError

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SHOWN = 20  # characters of a value shown in a message


MERGED_KEYS = 100_000
"""How many keys the merge keys (``<<: *base``) of one document may copy in all: each merge
copies every key of its base, so a small file can ask for billions (module docstring)."""


class EntityLoader(yaml.SafeLoader):
    """PyYAML's safe loader with timestamps kept as text, YAML 1.2's booleans, merge keys
    within a budget, and every failure a YAML error (module docstring)."""

    merged = 0  # keys merged in the document being read

    def construct_document(self, node: yaml.Node) -> Any:
        """One document, its merge budget fresh."""
        self.merged = 0
        return super().construct_document(node)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge ``<<`` keys as YAML does, refused once they would copy over
        :data:`MERGED_KEYS` keys in the document (counted before the copying)."""
        for key, value in node.value:
            if key.tag == "tag:yaml.org,2002:merge":
                sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
                self.merged += sum(len(s.value) for s in sources if isinstance(s, yaml.MappingNode))
        if self.merged > MERGED_KEYS:
            raise ConstructorError(None, None, f"merge keys (<<) copy over {MERGED_KEYS:,} keys", node.start_mark)
        super().flatten_mapping(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """The value of ``node``; a value that cannot be built is a ConstructorError at it."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, LookupError, TypeError, ArithmeticError) as exc:  # a constructor's own error
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            value = node.value if isinstance(node.value, str) else ""
            shown = f" {value if len(value) <= _SHOWN else value[:_SHOWN] + '...'!r}" if value else ""
            why = f": {exc}" if isinstance(exc, ValueError) else ""
            raise ConstructorError(None, None, f"{tag}{shown} cannot be read{why}", node.start_mark) from None


_BOOL = "tag:yaml.org,2002:bool"
EntityLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_TIMESTAMP, _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
EntityLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _as_text(loader: EntityLoader, node: yaml.Node) -> str:
    """A timestamp's value: the text written (a ``!!timestamp`` on a collection is refused)."""
    if not isinstance(node, yaml.ScalarNode):
        raise ConstructorError(None, None, "!!timestamp on a collection", node.start_mark)
    return loader.construct_scalar(node)


EntityLoader.add_constructor(_TIMESTAMP, _as_text)  # copies the table for the subclass: SafeLoader's is kept


def load_all(text: str) -> Iterator[Any]:
    """The documents of ``text``, one at a time (:class:`EntityLoader`)."""
    return yaml.load_all(text, Loader=EntityLoader)  # a SafeLoader: plain data only
