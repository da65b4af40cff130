"""Run reporting: what a run did (``RunSummary``), as text for the terminal and as
Prefect artifacts for the UI."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class RunSummary:
    """What a run did, for the command line, the flow's return value and its Prefect artifacts."""

    files_read: int = 0
    files_unchanged: int = 0
    files_rejected: int = 0
    files_missing: int = 0
    #: Files read whose content was already stored (another file, or an earlier version).
    files_duplicate: int = 0
    new_documents: int = 0
    documents_parsed: int = 0
    quarantined_rows: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    docs_path: str | None = None
    #: The snapshot readers now see, when this run published one.
    published: str | None = None
    report_path: str | None = None
    task_runner: str = "threads"
    flow_run_id: str | None = None
    #: Wall seconds per stage: ingest, parse, validate_load, dbt_build, docs, report.
    #: ``parse`` is the time during which at least one parse batch was running
    #: on the task runner's workers; it overlaps ``validate_load`` of earlier batches.
    stage_seconds: dict[str, float] = field(default_factory=dict)
    #: Seconds inside the flow.
    elapsed_seconds: float = 0.0
    #: Seconds since the process started (set by ``frontline run``: start-up included).
    wall_seconds: float | None = None

    @contextmanager
    def timed(self, stage: str):
        """Add the wall time of the block to ``stage_seconds[stage]``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add_time(stage, time.perf_counter() - started)

    def add_time(self, stage: str, seconds: float) -> None:
        self.stage_seconds[stage] = round(self.stage_seconds.get(stage, 0.0) + seconds, 3)

    def add_raw(self, counts) -> None:
        """Count what one ingest slice added (``load.RawCounts``)."""
        self.files_read += counts.files_seen
        self.files_rejected += counts.rejected
        self.new_documents += counts.new_documents
        self.files_duplicate += counts.files_seen - counts.rejected - counts.new_documents

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) lines of the summary, in order."""
        stages = ", ".join(f"{name} {seconds:.1f}" for name, seconds in self.stage_seconds.items())
        wall = self.wall_seconds if self.wall_seconds is not None else self.elapsed_seconds
        lines = [
            ("files read", f"{self.files_read}"),
            ("  unchanged", f"{self.files_unchanged} (not read again)"),
            ("  duplicates", f"{self.files_duplicate} (content already stored)"),
            ("  rejected", f"{self.files_rejected}"),
            ("  gone", f"{self.files_missing} (since the last run)"),
            ("new documents", f"{self.new_documents}"),
            ("documents parsed", f"{self.documents_parsed} (task runner: {self.task_runner})"),
            ("quarantined rows", f"{self.quarantined_rows}"),
            *[(name, f"{count}") for name, count in self.facts.items()],
        ]
        if self.docs_path:
            lines.append(("docs", self.docs_path))
        if self.published:
            lines.append(("published", self.published))
        if self.report_path:
            lines.append(("report", self.report_path))
        lines.append(
            ("wall time", f"{wall:.1f} s" + (f" (flow {self.elapsed_seconds:.1f} s: {stages})" if stages else ""))
        )
        return lines

    def as_text(self) -> str:
        width = max(len(label) for label, _ in self.rows()) + 2
        return "\n".join(f"{label:<{width}}{value}" for label, value in self.rows())

    def as_markdown(self) -> str:
        lines = ["# Frontline run", "", "| | |", "| --- | --- |"]
        lines += [f"| {label.strip()} | {value} |" for label, value in self.rows()]
        return "\n".join(lines) + "\n"


def covered_seconds(spans: list[tuple[float, float]]) -> float:
    """Wall time during which at least one span was running (batches in flight overlap)."""
    total, reached = 0.0, float("-inf")
    for start, end in sorted(spans):
        total += max(0.0, end - max(start, reached))
        reached = max(reached, end)
    return total


def publish_artifacts(summary: RunSummary) -> None:
    """The run's summary (markdown) and fact counts (table) as Prefect artifacts, so the
    UI shows each run's report."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    create_markdown_artifact(
        key="frontline-run-summary", markdown=summary.as_markdown(), description="What this run did"
    )
    create_table_artifact(
        key="frontline-fact-counts",
        table=[{"table": name, "rows": count} for name, count in summary.facts.items()],
        description="Rows per mart after this run",
    )
