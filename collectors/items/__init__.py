"""JSON exports read item by item: what every JSON reader shares (deployments, tickets, incidents).

- :mod:`~collectors.items.load`: a file's bytes into its items, whatever encoding, pages or
  wrapper the tool wrote;
- :mod:`~collectors.items.values`: one value of an item (an object, a string, a time), and
  :class:`~collectors.items.values.Bad` when an item cannot be read;
- :mod:`~collectors.items.context`: the bad items (``FILE: item N (NAME): reason``) and the
  items left out on purpose, counted by reason and said in the import's summary.

The readers built on them: :mod:`collectors.deploys` (deployments) and
:mod:`collectors.trackers` (tickets and incidents). Importing this package loads none of its
modules.
"""
