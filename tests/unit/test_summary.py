from flows.summary import RunSummary, covered_seconds


def test_covered_seconds_counts_overlapping_spans_once():
    assert covered_seconds([]) == 0
    assert covered_seconds([(0, 2), (1, 3), (5, 6)]) == 4  # [0, 3] and [5, 6]
    assert covered_seconds([(4, 5), (0, 10)]) == 10  # one span inside another


def test_stage_timer_adds_up():
    summary = RunSummary()
    summary.add_time("parse", 1.25)
    with summary.timed("parse"):
        pass
    assert 1.25 <= summary.stage_seconds["parse"] < 1.3
    assert "parse 1.2" in summary.as_text() or "parse 1.3" in summary.as_text()
