"""Write the report: the warehouse's facts as JSON inside one HTML file with plotly.js inlined.

Nothing is fetched when the page opens: plotly.js comes from the ``plotly``
Python package, the boundaries from ``data/admin1.geojson`` (Natural Earth).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from importlib import resources
from pathlib import Path

from flows.report.data import Filters, collect
from flows.warehouse.readers import open_reader

HERE = Path(__file__).resolve().parent
BOUNDARIES = HERE / "data" / "admin1.geojson"


def plotly_js() -> str:
    """plotly.min.js as shipped inside the plotly Python package (no CDN)."""
    return resources.files("plotly").joinpath("package_data", "plotly.min.js").read_text(encoding="utf-8")


def _script_json(value: object) -> str:
    """JSON that cannot close its <script> element early."""
    return json.dumps(value, separators=(",", ":"), default=str).replace("</", "<\\/")


def render(data: dict, warehouse: Path) -> str:
    page = (HERE / "page.html").read_text(encoding="utf-8")
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    # Placeholders are replaced one by one; the big inlined parts go last so that
    # nothing inside them is mistaken for a placeholder.
    for placeholder, value in (
        ("__TITLE__", html.escape(warehouse.name)),
        ("__WAREHOUSE__", html.escape(str(warehouse))),
        ("__FILTERS__", html.escape(data["filters"])),
        ("__GENERATED__", generated),
        ("__DATA__", _script_json(data)),
        ("__BOUNDARIES__", BOUNDARIES.read_text(encoding="utf-8").strip().replace("</", "<\\/")),
        ("__PAGE_JS__", (HERE / "page.js").read_text(encoding="utf-8")),
        ("__PLOTLY_JS__", plotly_js()),
    ):
        page = page.replace(placeholder, value, 1)
    return page


def default_output(warehouse: Path) -> Path:
    """``report.html`` beside the warehouse file (each warehouse its own report)."""
    stem = warehouse.stem
    name = "report.html" if stem == "frontline" else f"{stem}.report.html"
    return warehouse.parent / name


def write_report(warehouse: Path, out_dir: Path | None = None, filters: Filters | None = None) -> Path:
    """Write the report of ``warehouse`` and return its path.

    Default place: beside the warehouse (``report.html`` for the default
    ``frontline.duckdb``, ``<name>.report.html`` for any other), so two
    warehouses in one folder keep their own reports. ``out_dir`` puts it there instead.
    """
    filters = filters or Filters()
    with open_reader(warehouse) as con:
        data = collect(con, filters)
    target = default_output(warehouse)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / target.name
    partial = target.with_suffix(".html.partial")  # a reader never sees half a page
    partial.write_text(render(data, warehouse), encoding="utf-8")
    partial.replace(target)
    return target
