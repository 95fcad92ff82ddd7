"""The months of a metric card: a month in progress reads as in progress, not as a collapse."""

from __future__ import annotations

from dora_tui.tui.widgets.text import sparkline


def test_one_deployment_so_far_this_month_is_no_collapse_after_full_months() -> None:
    drawn = sparkline([12, 14, 13, 1], width=8, in_progress=True).plain
    assert drawn == "▁▁██▅▅……"  # the bars are scaled on the whole months; the month so far is …


def test_a_month_without_data_is_a_gap_not_a_zero() -> None:
    assert sparkline([3, None, 5], width=3).plain == "▁·█"


def test_whole_months_only_are_all_bars() -> None:
    assert sparkline([1, 2], width=2).plain == "▁█"
