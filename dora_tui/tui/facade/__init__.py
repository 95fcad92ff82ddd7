"""The dashboard's view of the data, in plain Python (no Textual, no Rich).

The only way the app, its screens and its widgets reach the configuration, the store and
the operations: :mod:`.dashboard` (the :class:`~.dashboard.Dashboard` a screen asks), and
what it returns, in :mod:`.views` (built by :mod:`.rows`, the rows behind a figure read by
:mod:`.drilldown`).
"""
