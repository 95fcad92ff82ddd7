"""Trend classification: Theil–Sen slope and Mann–Kendall on short monthly series."""

from __future__ import annotations

import pytest

from dora_tui.core import trends


@pytest.mark.parametrize(
    "values, better, expected",
    [
        ([1, 2, 3, 4, 5, 6], "up", "improving"),  # rising deployments
        ([6, 5, 4, 3, 2, 1], "up", "worsening"),  # falling deployments
        ([10, 12, 15, 19, 30, 41], "down", "worsening"),  # lead time growing
        ([40, 30, 20, 12, 10, 9], "down", "improving"),  # lead time shrinking
        ([5, 5, 5, 5, 5, 5], "up", "flat"),
        ([5, 9, 4, 8, 5, 7], "up", "flat"),  # noisy, no direction
        ([1, 2, 3], "up", "insufficient"),  # fewer than 4 months
        ([], "down", "insufficient"),
    ],
)
def test_classify(values, better, expected) -> None:
    assert trends.classify(values, better) == expected


def test_exact_p_value_without_ties() -> None:
    # Four strictly rising values: 1 ordering in 24 either way -> p = 2/24.
    assert trends.mann_kendall_p([1, 2, 3, 4]) == pytest.approx(2 / 24)
    # One swap: S = 4; |S| >= 4 happens for 0 or 1 inversions either way -> (1 + 3) * 2 / 24.
    assert trends.mann_kendall_p([1, 3, 2, 4]) == pytest.approx(8 / 24)


def test_ties_use_the_normal_approximation() -> None:
    p = trends.mann_kendall_p([1, 1, 2, 2, 3, 3])
    assert 0 < p < 0.1


def test_theil_sen_is_robust_to_one_outlier() -> None:
    assert trends.theil_sen_slope([1, 2, 3, 100, 5, 6]) == pytest.approx(1.0)


def test_run_length_counts_the_latest_worse_months() -> None:
    assert trends.run_length([10, 12, 11, 13, 15, 18], "down") == 3
    assert trends.run_length([3, 2, 1], "up") == 2
