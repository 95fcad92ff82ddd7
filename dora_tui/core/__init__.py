"""The pure core: rows and a clock in, figures out. No I/O, no SQL, no Textual.

- :mod:`.catalog`: the one metric catalog (every figure and metric: unit, label, definition,
  tier bounds, the rows behind it); a new metric starts here;
- :mod:`.attribution`: the rules tying incidents to deployments (references, the window,
  recovery) and calling deployments rework;
- :mod:`.lineage`: which deployment first carried each commit (changes and lead times);
- :mod:`.periods`: calendar months of a window in a time zone;
- :mod:`.metrics`: monthly figures of a service or team, from their rows;
- :mod:`.tiers` and :mod:`.trends`: DORA tiers and trends (Mann–Kendall, Theil–Sen);
- :mod:`.inert`: untrusted text made inert for each place it is printed or written.
"""
