"""``frontline report``: one self-contained HTML page (map, timeline, ledgers, run health)."""

from flows.report.render import write_report

__all__ = ["write_report"]
