"""The store's queries, one module per group of tables; :class:`dora_tui.store.Store` has them all.

- :mod:`.base`: what every group shares (the connection, the file's path, sqlite-utils over it);
- :mod:`.repos`: repositories and their commits (``collect``);
- :mod:`.deployments`: deployments and the changes they shipped;
- :mod:`.incidents`: incidents and tickets (``import``), and what in them is unmapped;
- :mod:`.events`: when a collect or an import happened.
"""
