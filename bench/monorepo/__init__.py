"""The parts of ``make_monorepo.py``, the generator of the synthetic monorepo the git
collection benchmark mines:

- :mod:`monorepo.vocabulary`: the seed, the dates, the services, names, words and files;
- :mod:`monorepo.people`: the developers and how git writes them;
- :mod:`monorepo.plan`: when the commits happen and where the tags go;
- :mod:`monorepo.stream`: the ``git fast-import`` process and its stream;
- :mod:`monorepo.writer` and :mod:`monorepo.history`: the commits and tags, event by event;
- :mod:`monorepo.manifest`: ``dora.toml``, ``monorepo.json``, the fingerprints, the summary.
"""
