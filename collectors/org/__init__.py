"""Readers of an organization's own records: Backstage catalog files, CODEOWNERS files, and
the shape of a repository's tags (monorepo modules, pre-releases).

Each reads text or names it is given (or, in :mod:`collectors.org.tree`, a repository's
committed files) and returns plain frozen records of :mod:`collectors.org.records`.
"""
