// Draws the report from the JSON embedded in the page: no network, no other files.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const boundaries = JSON.parse(document.getElementById("boundaries").textContent);
  const SIDE_COLOURS = { RU: "#c62828", UA: "#1565c0", unknown: "#888888" };
  const colour = (side) => SIDE_COLOURS[side] || "#7b1fa2";
  const config = { displaylogo: false, responsive: true };
  const MID_LATITUDE = 48.5; // equirectangular map: one degree of longitude is cos(lat) of one of latitude

  function text(tag, value, className) {
    const element = document.createElement(tag);
    element.textContent = value === null || value === undefined ? "" : String(value);
    if (className) element.className = className;
    return element;
  }

  function fillSelect(id, values) {
    const select = document.getElementById(id);
    for (const value of values) select.appendChild(text("option", value)).value = value;
    select.addEventListener("change", drawFiltered);
  }

  function distinct(rows, key) {
    return [...new Set(rows.map((row) => row[key]).filter((v) => v !== null && v !== undefined))].sort();
  }

  function boundaryTrace() {
    const x = [], y = [], names = [];
    for (const feature of boundaries.features) {
      for (const polygon of feature.geometry.coordinates) {
        for (const ring of polygon) {
          for (const [lon, lat] of ring) { x.push(lon); y.push(lat); names.push(feature.properties.admin1); }
          x.push(null); y.push(null); names.push(null);
        }
      }
    }
    return { type: "scatter", mode: "lines", x, y, text: names, hoverinfo: "text", name: "oblasts",
             line: { color: "#9e9e9e", width: 0.8 }, fill: "toself", fillcolor: "rgba(240,240,235,0.6)", showlegend: false };
  }

  function pointTraces(rows, kind, size, symbol, hover) {
    const located = rows.filter((row) => row.latitude !== null && row.longitude !== null);
    const bySide = {};
    for (const row of located) (bySide[row.side] = bySide[row.side] || []).push(row);
    return Object.keys(bySide).sort().map((side) => ({
      type: "scatter", mode: "markers", name: `${kind} (${side})`, legendgroup: kind,
      x: bySide[side].map((r) => r.longitude), y: bySide[side].map((r) => r.latitude),
      text: bySide[side].map(hover), hoverinfo: "text",
      marker: { color: colour(side), size: bySide[side].map(size), symbol: bySide[side].map(symbol),
                opacity: 0.75, line: { color: "white", width: 0.5 } },
    }));
  }

  function drawMap(strikes, casualties, claims) {
    const claimRows = claims.map((c) => ({ ...c, side: c.claimant_side || "unknown" }));
    const traces = [
      boundaryTrace(),
      ...pointTraces(strikes, "strikes", (r) => 6 + 3 * Math.sqrt(r.n_reports || 1), () => "circle",
        (r) => `${r.date || "undated"} strike, ${r.place} (${r.admin1 || "?"})<br>${r.side}, ${r.weapon || ""}, ${r.n_reports} report(s)`),
      ...pointTraces(casualties, "casualties", (r) => 6 + 2.5 * Math.sqrt(r.killed_best || 0), () => "square",
        (r) => `${r.date || "undated"} ${r.place}: killed ${r.killed_best ?? "?"}, injured ${r.injured_best ?? "?"}`),
      ...pointTraces(claimRows, "claims", () => 11, (r) => (r.verification === "verified" ? "diamond" : "diamond-open"),
        (r) => `${r.date || "undated"} claim: ${r.place}<br>${r.claimant || "?"} (${r.claimant_side}), ${r.claim_type}, ${r.verification}`),
    ];
    const unplaced = [...strikes, ...casualties, ...claims].filter((r) => r.latitude === null || r.longitude === null).length;
    document.getElementById("map-note").textContent = unplaced ? `${unplaced} fact(s) without coordinates are not drawn.` : "";
    Plotly.react("map", traces, {
      margin: { l: 30, r: 10, t: 10, b: 30 }, hovermode: "closest", dragmode: "pan",
      xaxis: { range: [21.5, 42.5], showgrid: false, zeroline: false, title: { text: "" } },
      yaxis: { range: [44, 53.5], scaleanchor: "x", scaleratio: 1 / Math.cos((MID_LATITUDE * Math.PI) / 180),
               showgrid: false, zeroline: false },
      legend: { orientation: "h", y: -0.08 }, plot_bgcolor: "#e8f1f8",
    }, { ...config, scrollZoom: true });
  }

  function perDay(rows, fields) {
    const days = {};
    for (const row of rows) {
      if (!row.date) continue;
      const day = (days[row.date] = days[row.date] || { n: 0 });
      day.n += 1;
      for (const f of fields) day[f] = (day[f] || 0) + (row[f] || 0);
    }
    return days;
  }

  function drawTimeline(strikes, casualties) {
    const s = perDay(strikes, []);
    const c = perDay(casualties, ["killed_low", "killed_best", "killed_high", "injured_low", "injured_best", "injured_high"]);
    const dates = Object.keys(c).sort();
    const band = (what, rgba, line) => [
      { x: dates, y: dates.map((d) => c[d][`${what}_high`]), yaxis: "y2", type: "scatter", mode: "lines",
        line: { width: 0 }, showlegend: false, hoverinfo: "skip", name: `${what} high` },
      { x: dates, y: dates.map((d) => c[d][`${what}_low`]), yaxis: "y2", type: "scatter", mode: "lines",
        line: { width: 0 }, fill: "tonexty", fillcolor: rgba, name: `${what} low-high` },
      { x: dates, y: dates.map((d) => c[d][`${what}_best`]), yaxis: "y2", type: "scatter", mode: "lines+markers",
        line: { color: line }, name: `${what} (best)` },
    ];
    const strikeDates = Object.keys(s).sort();
    const allDates = [...new Set([...dates, ...strikeDates])].sort();
    const DAY = 86400000;
    // A day's bar is a day wide; one day alone still gets a readable axis around it.
    const range = allDates.length
      ? [new Date(Date.parse(allDates[0]) - DAY).toISOString().slice(0, 10),
         new Date(Date.parse(allDates[allDates.length - 1]) + DAY).toISOString().slice(0, 10)]
      : undefined;
    Plotly.react("timeline", [
      { x: strikeDates, y: strikeDates.map((d) => s[d].n), type: "bar", name: "strikes", width: 0.8 * DAY,
        marker: { color: "#455a64" } },
      ...band("killed", "rgba(198,40,40,0.2)", "#c62828"),
      ...band("injured", "rgba(239,108,0,0.2)", "#ef6c00"),
    ], {
      margin: { l: 50, r: 10, t: 10, b: 30 }, hovermode: "x unified", legend: { orientation: "h", y: -0.1 },
      // Up to a month: one tick a day, named by its date (plotly would tick hours around one day).
      xaxis: { type: "date", anchor: "y2", range,
               ...(allDates.length && Date.parse(range[1]) - Date.parse(range[0]) <= 33 * DAY
                 ? { dtick: DAY, tickformat: "%b %d" } : {}) },
      yaxis: { domain: [0.58, 1], title: { text: "strikes" } },
      yaxis2: { domain: [0, 0.48], anchor: "x", title: { text: "people" } },
    }, config);
  }

  function toll(e) {
    const part = (what, low, best, high) =>
      best === null || best === undefined ? null : `${what} ${best}${low !== high ? ` (${low}-${high})` : ""}`;
    return [part("killed", e.killed_low, e.killed_best, e.killed_high),
            part("injured", e.injured_low, e.injured_best, e.injured_high)].filter(Boolean).join(", ") || "no count given";
  }

  function drawLatest() {
    const reports = {};
    for (const r of data.reports) (reports[r.event_id] = reports[r.event_id] || []).push(r);
    const body = document.querySelector("#latest tbody");
    for (const e of data.latest) {
      const row = body.appendChild(document.createElement("tr"));
      row.className = "event";
      row.appendChild(text("td", e.date || "undated"));
      row.appendChild(text("td", e.kind));
      row.appendChild(text("td", e.place));
      row.appendChild(text("td", e.admin1));
      row.appendChild(text("td", e.side, `side-${e.side}`));
      row.appendChild(text("td", e.kind === "strike" ? [e.weapon, e.target_type].filter(Boolean).join(", ") : toll(e)));
      const cell = row.appendChild(document.createElement("td"));
      const details = cell.appendChild(document.createElement("details"));
      details.appendChild(text("summary", `${e.n_reports} report(s)`));
      for (const r of reports[e.id] || []) {
        details.appendChild(text("blockquote", r.evidence));
        details.appendChild(text("div", `${r.source_file || "?"} · reported by ${r.reported_by || "not said"}`, "note"));
      }
    }
    document.getElementById("latest-note").textContent =
      `${data.latest.length} of ${data.latest_total} events, newest first; open a row's reports for the evidence.`;
  }

  function drawClaims() {
    const body = document.querySelector("#claims tbody");
    let place = null;
    for (const c of data.claims) {
      if (c.place !== place) {
        place = c.place;
        const header = body.appendChild(document.createElement("tr"));
        header.className = "place";
        const cell = header.appendChild(text("td", `${place || "unknown place"}${c.admin1 && c.admin1 !== place ? ` (${c.admin1})` : ""}`));
        cell.colSpan = 7;
      }
      const row = body.appendChild(document.createElement("tr"));
      row.className = "claim";
      for (const value of [c.date || "undated", c.claimant, c.claimant_side, c.gaining_side, c.claim_type, c.verification])
        row.appendChild(text("td", value));
      const cell = row.appendChild(document.createElement("td"));
      const details = cell.appendChild(document.createElement("details"));
      details.appendChild(text("summary", c.source_file || "evidence"));
      details.appendChild(text("blockquote", c.evidence));
      details.appendChild(text("div", `reported by ${c.reported_by || "not said"}`, "note"));
    }
  }

  function drawHealth() {
    const h = data.health;
    const body = document.querySelector("#health tbody");
    const line = (label, value) => {
      const row = body.appendChild(document.createElement("tr"));
      row.appendChild(text("td", label));
      row.appendChild(text("td", value));
    };
    line("articles (distinct texts)", h.articles);
    line("files read", h.files_read);
    line("files rejected", h.rejected.reduce((n, r) => n + r.files, 0));
    for (const r of h.rejected) line(`  rejected: ${r.reason}`, r.files);
    line("quarantined rows", h.quarantined.reduce((n, r) => n + r.rows, 0));
    for (const q of h.quarantined) line(`  quarantined: ${q.table_name}: ${q.failed_checks}`, q.rows);
    for (const [table, count] of Object.entries(h.facts)) line(table, count);
    line("last ingest", h.last_ingest || "never");
    line("last build of the marts", h.last_build || "never");
  }

  function drawFiltered() {
    const admin1 = document.getElementById("filter-admin1").value;
    const side = document.getElementById("filter-side").value;
    const keep = (row, rowSide) => (!admin1 || row.admin1 === admin1) && (!side || rowSide === side);
    const strikes = data.strikes.filter((r) => keep(r, r.side));
    const casualties = data.casualties.filter((r) => keep(r, r.side));
    const claims = data.claims.filter((r) => keep(r, r.claimant_side));
    document.getElementById("filter-note").textContent =
      `${strikes.length} strikes, ${casualties.length} casualty events, ${claims.length} claims`;
    drawMap(strikes, casualties, claims);
    drawTimeline(strikes, casualties);
  }

  fillSelect("filter-admin1", distinct([...data.strikes, ...data.casualties, ...data.claims], "admin1"));
  fillSelect("filter-side", distinct([...data.strikes, ...data.casualties], "side"));
  drawFiltered();
  drawLatest();
  drawClaims();
  drawHealth();
  document.body.dataset.drawn = "yes"; // for tests: every part above ran without an error
})();
