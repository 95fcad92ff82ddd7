"""Readers of the outside world, and the plain records they yield; nothing of ``dora_tui``.

What lives here, and what the rest of dora-tui may import:

- :mod:`collectors.records`: the frozen records (``TagRef``, ``Commit``, ``Deployment``,
  ``Incident``, ``Ticket``, ``Change``) that the readers yield and the store keeps;
- :mod:`collectors.errors`: the errors every part reports (``DoraError``, ``UsageError``,
  ``InputError`` and its ``MissingColumn``, ``GitError``, ``GitMissing``);
- :mod:`collectors.git`: ``GitRepository``, a repository's tags and commits;
- :mod:`collectors.exports`: CSV exports of incidents, tickets and deployments (its public
  names are listed there).

A new reader (a deployment tool's API, a tracker's export) goes in a module or package of
its own here and yields :mod:`collectors.records`. Collectors know no SQL and import no
Textual or Rich.
"""
