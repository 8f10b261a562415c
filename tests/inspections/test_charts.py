import datetime
from decimal import Decimal

import pytest

from inspections import charts


def chart(values_by_measure, series=("London CRC", "NPS London")):
    groups = [
        charts.Group(label, tuple(charts.Datum(None if v is None else Decimal(v)) for v in values))
        for label, values in values_by_measure.items()
    ]
    return charts.bar_chart(series=series, groups=groups, title="Scores", description="Bars.")


def contrast(foreground: str, background: str) -> float:
    def luminance(colour):
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_bar_lengths_are_proportional_to_the_values():
    result = chart({"Protecting the public": ["25", "50"], "Reducing reoffending": ["100", "0"]})
    widths = [bar.width for group in result.groups for bar in group.bars]
    assert widths == [
        result.plot_width * 0.25,
        result.plot_width * 0.5,
        result.plot_width,
        0,
    ]
    assert all(bar.x == result.plot_x for group in result.groups for bar in group.bars)


def test_each_bar_carries_its_number_and_its_organisation_as_text():
    result = chart({"Work of sufficient quality": ["48", "33.5"]})
    bars = result.groups[0].bars
    assert [bar.value.text for bar in bars] == ["48%", "33.5%"]
    assert [bar.series_label[0].text for bar in bars] == ["London CRC", "NPS London"]
    assert [item.label.text for item in result.legend] == ["London CRC", "NPS London"]
    assert [item.colour for item in result.legend] == [bar.colour for bar in bars]


def test_long_bars_hold_their_number_inside_in_white_short_ones_beside_in_ink():
    result = chart({"Measure": ["90", "2"]})
    long, short = result.groups[0].bars
    assert long.value_inside and long.value.fill == charts.PAPER
    assert long.value.x < long.x + long.width
    assert not short.value_inside and short.value.fill == charts.INK
    assert short.value.x > short.x + short.width


def test_missing_values_are_labelled_not_drawn():
    result = chart({"Measure": ["40", None]})
    missing = result.groups[0].bars[1]
    assert missing.missing and missing.width == 0
    assert missing.value.text == "—"


def test_approximate_values_are_marked():
    groups = [charts.Group("Home visits", (charts.Datum(Decimal("33"), approximate=True),))]
    result = charts.bar_chart(series=["CRC"], groups=groups, title="t", description="d")
    assert result.groups[0].bars[0].value.text == "≈33%"


@pytest.mark.parametrize("groups", [[], [charts.Group("Measure", (charts.Datum(None),))]])
def test_no_values_means_no_chart(groups):
    assert charts.bar_chart(series=["CRC"], groups=groups, title="t", description="d") is None


def test_bars_and_groups_never_overlap_and_fit_the_height():
    result = chart(
        {f"Measure {n} with a long name that wraps " * 3: ["10", "90"] for n in range(4)}
    )
    bars = [bar for group in result.groups for bar in group.bars]
    for upper, lower in zip(bars, bars[1:], strict=False):
        assert upper.y + upper.height <= lower.y
    assert bars[-1].y + bars[-1].height < result.height
    assert len(result.groups[0].label) > 1  # long labels wrap onto several lines


def test_axis_runs_0_to_100_percent():
    result = chart({"Measure": ["10", "20"]})
    assert [label.text for label in result.axis_labels] == ["0%", "25%", "50%", "75%", "100%"]
    assert result.axis_labels[-1].x == result.plot_x + result.plot_width


def test_palette_passes_wcag_contrast_for_bars_and_white_numbers():
    for colour in charts.PALETTE:
        assert contrast(colour, charts.PAPER) >= 4.5, colour
    assert contrast(charts.INK, charts.PAPER) >= 4.5
    assert contrast(charts.INK_SOFT, charts.PAPER) >= 4.5
    assert len(set(charts.PALETTE)) == len(charts.PALETTE)


def test_wrap_keeps_lines_within_the_width_and_can_truncate():
    lines = charts.wrap("Cumbria and Lancashire Community Rehabilitation Company", 100)
    assert all(len(line) * charts.CHAR_WIDTH <= 100 for line in lines)
    truncated = charts.wrap("one two three four five six seven eight", 60, max_lines=2)
    assert len(truncated) == 2 and truncated[-1].endswith("…")


@pytest.mark.parametrize(
    "value, text", [("48.00", "48%"), ("33.50", "33.5%"), ("0", "0%"), ("100", "100%")]
)
def test_percent_format(value, text):
    assert charts.format_percent(Decimal(value)) == text


def test_timeline_places_events_in_date_order_and_proportionally():
    events = [
        charts.Event(datetime.date(2019, 8, 1), "Aug 2019", "Requires improvement", True),
        charts.Event(datetime.date(2016, 12, 14), "14 Dec 2016", "not rated", False),
        charts.Event(datetime.date(2018, 3, 1), "Mar 2018", "not rated", False),
    ]
    result = charts.timeline(events=events, title="t", description="d")
    xs = [marker.x for marker in result.markers]
    assert xs == sorted(xs)
    assert [marker.filled for marker in result.markers] == [False, False, True]
    assert result.axis_x1 <= xs[0] and xs[-1] <= result.axis_x2
    gap_2017 = xs[1] - xs[0]  # 14 Dec 2016 → 1 Mar 2018: 442 days
    gap_2018 = xs[2] - xs[1]  # 1 Mar 2018 → 1 Aug 2019: 518 days
    assert gap_2018 / gap_2017 == pytest.approx(518 / 442, rel=0.01)
    assert [tick.label.text for tick in result.ticks] == ["2016", "2017", "2018", "2019", "2020"]
    assert " ".join(line.text for line in result.markers[2].lines[1:]) == "Requires improvement"


def test_timeline_stacks_labels_of_close_events_instead_of_overlapping():
    events = [
        charts.Event(datetime.date(2018, 1, 10), "10 Jan 2018", "", False),
        charts.Event(datetime.date(2018, 2, 10), "10 Feb 2018", "", False),
    ]
    first, second = charts.timeline(events=events, title="t", description="d").markers
    assert first.lines[0].y != second.lines[0].y


def test_no_events_means_no_timeline():
    assert charts.timeline(events=[], title="t", description="d") is None
