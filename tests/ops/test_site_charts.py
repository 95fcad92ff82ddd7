"""A metric's chart: months without data are gaps, the month in progress is marked, values stay in words."""

from __future__ import annotations

from dora_tui.ops.site.charts import bar_chart


def test_a_month_without_data_is_a_gap_and_a_zero_is_a_hairline() -> None:
    chart = bar_chart("Lead time", "hours", ["2026-09", "2026-10", "2026-11"], [5.0, None, 0.0], [True, True, False])
    gap, zero = chart.bars[1], chart.bars[2]
    assert (gap.state, gap.height, gap.value) == ("missing", 0.0, "no data")
    assert zero.state == "progress" and zero.value == "0 min"
    assert "1 month without data" in chart.summary and "the last month is in progress" in chart.summary
    drawn = {kind: path.count("M") for kind, path in chart.paths.items()}
    assert drawn == {"complete": 1, "progress": 0, "zero": 1}  # the gap draws nothing; the zero, a hairline
    assert chart.gaps == (gap,)


def test_the_month_in_progress_is_not_drawn_as_a_collapse_alone() -> None:
    chart = bar_chart(
        "Deployment frequency", "count", ["2026-10", "2026-11", "2026-12"], [30, 31, 1], [True, True, False]
    )
    assert [b.state for b in chart.bars] == ["complete", "complete", "progress"]
    assert chart.bars[1].height > chart.bars[2].height > 0
    assert chart.paths["complete"].count("M") == 2 and chart.paths["progress"].count("M") == 1  # drawn dashed


def test_month_labels_sit_under_the_axis_with_the_year_under_january() -> None:
    keys = [f"{2025 + (m // 12)}-{m % 12 + 1:02d}" for m in range(10, 14)]  # Nov 2025 .. Feb 2026
    chart = bar_chart("Rework rate", "rate", keys, [0.1, 0.2, 0.0, 0.05], [True] * 4)
    assert [b.label for b in chart.bars] == ["Nov", "Dec", "Jan", "Feb"]
    assert [b.year for b in chart.bars] == ["2025", "", "2026", ""]
    assert chart.top_value == "20 %"


def test_with_many_months_the_last_is_labelled_and_every_year_is_said() -> None:
    # 15 months, Oct 2025 to Dec 2026: every second month labelled, counted back from December,
    # so January is skipped: the first labelled month of 2026 says its year (it read "Oct" twice).
    keys = [f"{2025 + (m // 12)}-{m % 12 + 1:02d}" for m in range(9, 24)]
    chart = bar_chart("Deployment frequency", "count", keys, [1] * 15, [True] * 14 + [False])
    shown = [(b.label, b.year) for b in chart.bars if b.labelled]
    assert shown == [
        ("Oct", "2025"),
        ("Dec", ""),
        ("Feb", "2026"),
        ("Apr", ""),
        ("Jun", ""),
        ("Aug", ""),
        ("Oct", ""),
        ("Dec", ""),
    ]
    assert chart.bars[-1].labelled and not chart.bars[-2].labelled  # no two labels side by side
