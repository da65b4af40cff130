"""A run says what it does: progress lines while it works, an aligned summary at the end."""

from __future__ import annotations

import io
import time

from flows import progress
from flows.pipeline import RunSummary


def test_plain_progress_prints_stage_changes_and_a_heartbeat(monkeypatch):
    monkeypatch.setattr(progress, "HEARTBEAT_SECONDS", 0.3)
    out = io.StringIO()
    with progress.Progress(stream=out, live=False, started=time.time()):
        progress.report("reading files", files="0/3")
        progress.report(files="3/3")  # counts alone: no line of their own
        progress.report("parsing", articles="0/3")
        time.sleep(1.2)  # nothing new: heartbeats
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("frontline:") and lines[0].endswith("starting")
    assert "reading files  (files 0/3)" in lines[1]
    assert "parsing  (files 3/3, articles 0/3)" in lines[2]
    assert len(lines) >= 5 and all("parsing" in line for line in lines[3:])
    progress.report("after the display closed")  # reporting without a display is a no-op
    assert out.getvalue().splitlines() == lines


def test_live_progress_on_a_terminal_draws_a_status_line():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    with progress.Progress(stream=out, started=time.time()) as display:
        assert display.live
        progress.report("dbt build", dbt_nodes_done=3)
        time.sleep(0.6)
    assert "dbt build" in out.getvalue() and "dbt nodes done 3" in out.getvalue()


def test_summary_is_aligned_and_counts_duplicates_and_wall_time():
    summary = RunSummary(
        files_read=5,
        files_unchanged=1,
        files_duplicate=2,
        files_rejected=1,
        new_documents=1,
        documents_parsed=1,
        facts={"fct_strikes": 8, "fct_territorial_claims": 2},
        report_path="warehouse/report.html",
        stage_seconds={"ingest": 1.0, "dbt_build": 20.0},
        elapsed_seconds=23.0,
        wall_seconds=53.2,
    )
    lines = summary.as_text().splitlines()
    column = lines[0].index("5")
    assert all(len(line) > column and line[column - 1] == " " and line[column] != " " for line in lines)
    assert "  duplicates" in summary.as_text() and "2 (content already stored)" in summary.as_text()
    assert lines[-1].startswith("wall time") and "53.2 s (flow 23.0 s: ingest 1.0, dbt_build 20.0)" in lines[-1]
    markdown = summary.as_markdown()
    assert "| wall time | 53.2 s" in markdown and "| fct_strikes | 8 |" in markdown
