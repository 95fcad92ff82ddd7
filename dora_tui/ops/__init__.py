"""The operations: what a command does, putting the configuration, the readers, the store and
the core together. The command line and the dashboard both call these; neither holds a rule.

- :mod:`.collect`: mine the configured repositories into the store;
- :mod:`.imports`: read an export and store its rows, all or nothing (:mod:`.import_settings`
  for the ``[[imports]]`` entry that reads it, :mod:`.deploy_exports` for a JSON export of
  deployments, :mod:`.rejected` for the rows or items it refuses);
- :mod:`.report`: the figures of every service and team, and their JSON, CSV and Markdown;
- :mod:`.doctor`: data-quality findings with what to do about each;
- :mod:`.init`: find repositories and write a config;
- :mod:`.files`: files written whole or not at all.

A new command's work goes in a module here; its words for the command line go in
:mod:`dora_tui.cli`.
"""
