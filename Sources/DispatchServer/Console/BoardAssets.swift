extension ConsoleAssets {
    /// The day board's script (plain JavaScript, no libraries): selecting a vehicle (its
    /// `button.vehicle`) or a booking row (click, Enter or Space) marks its route or its stops
    /// `selected` on the map and the timeline; the status and search filters hide rows as the
    /// server's `status` and `q` would; a re-plan is sent in the background and followed by
    /// server-sent events, then the board reloads. Without it, every form still works.
    static let boardScript = #"""
"use strict";
(function () {
  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function quoted(value) { return "\"" + String(value).replace(/["\\]/g, "\\$&") + "\""; }

  function clearSelection() {
    all(".selected").forEach(function (el) { el.classList.remove("selected"); });
    all("button.vehicle[aria-pressed=true]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    all("tr.booking[aria-selected=true]").forEach(function (tr) { tr.setAttribute("aria-selected", "false"); });
    var map = document.getElementById("plan-map");
    if (map) { map.classList.remove("has-selection"); }
  }

  function selectVehicle(button) {
    var was = button.getAttribute("aria-pressed") === "true";
    clearSelection();
    if (was) { return; }
    var id = button.dataset.vehicle;
    button.classList.add("selected");
    button.setAttribute("aria-pressed", "true");
    all("g.route[data-vehicle=" + quoted(id) + "], g.timeline-row[data-vehicle=" + quoted(id) + "]").forEach(function (el) {
      el.classList.add("selected");
    });
    var map = document.getElementById("plan-map");
    if (map) { map.classList.add("has-selection"); }
  }

  function selectBooking(row) {
    var was = row.getAttribute("aria-selected") === "true";
    clearSelection();
    if (was) { return; }
    var id = row.dataset.booking;
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    var stops = all("svg [data-booking=" + quoted(id) + "]");
    stops.forEach(function (el) { el.classList.add("selected"); });
    if (stops.length && row.dataset.vehicle) {
      all("g.route[data-vehicle=" + quoted(row.dataset.vehicle) + "]").forEach(function (g) { g.classList.add("selected"); });
      var map = document.getElementById("plan-map");
      if (map) { map.classList.add("has-selection"); }
    }
  }

  function filterRows() {
    var status = document.getElementById("status-filter");
    var search = document.getElementById("booking-search");
    var wanted = status ? status.value : "";
    var q = search ? search.value.trim().toLowerCase() : "";
    var rows = all("tr.booking"), shown = 0;
    rows.forEach(function (row) {
      var visible = (!wanted || row.dataset.status === wanted) && (!q || (row.dataset.search || "").indexOf(q) >= 0);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    var count = document.getElementById("booking-count");
    if (count) {
      count.textContent = (count.dataset.template || "{shown} / {total}").replace("{shown}", shown).replace("{total}", rows.length);
    }
  }

  function replan(form) {
    var button = document.getElementById("replan-submit");
    var progress = document.getElementById("replan-progress");
    var result = document.getElementById("replan-result");
    var text = form.dataset;
    function fail(message) {
      result.textContent = text.failed + " " + message;
      result.classList.add("error");
      progress.textContent = "";
      button.disabled = false;
    }
    button.disabled = true;
    result.textContent = "";
    result.classList.remove("error");
    progress.textContent = text.sending;
    fetch(form.action, {
      method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(new FormData(form)).toString()
    }).then(function (response) {
      if (response.ok) { return response.json(); }
      return response.text().then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var error = page.querySelector("p.error");
        throw new Error(error ? error.textContent : String(response.status));
      });
    }).then(function (run) {
      var events = new EventSource(run.events);
      var finished = false;
      events.addEventListener("started", function () { progress.textContent = text.started; });
      events.addEventListener("progress", function (e) {
        var data = JSON.parse(e.data);
        var line = text.progress.replace("{s}", data.elapsed_s);
        if (data.served !== null && data.served !== undefined) { line += " " + text.served.replace("{n}", data.served); }
        progress.textContent = line;
      });
      events.addEventListener("done", function (e) {
        finished = true;
        events.close();
        var data = JSON.parse(e.data);
        progress.textContent = "";
        result.textContent = data.summary;
        setTimeout(function () { window.location.assign(data.board); }, 1500);
      });
      events.addEventListener("failed", function (e) {
        finished = true;
        events.close();
        fail(JSON.parse(e.data).message);
      });
      events.onerror = function () {
        if (!finished) { events.close(); fail(text.lost); }
      };
    }).catch(function (error) { fail(error.message); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    all("button.vehicle").forEach(function (button) {
      button.addEventListener("click", function () { selectVehicle(button); });
    });
    all("tr.booking").forEach(function (row) {
      row.addEventListener("click", function (e) {
        if (e.target.closest("a, button, input, select, textarea")) { return; }
        selectBooking(row);
      });
      row.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectBooking(row); }
      });
    });
    var status = document.getElementById("status-filter");
    var search = document.getElementById("booking-search");
    if (status) { status.addEventListener("change", filterRows); }
    if (search) { search.addEventListener("input", filterRows); }
    var form = document.getElementById("replan");
    if (form && window.fetch && window.EventSource) {
      form.addEventListener("submit", function (e) { e.preventDefault(); replan(form); });
    }
  });
})();
"""#

    /// The day board's styles (the map, the timeline, selections), beside the console's stylesheet.
    static let boardStylesheet = #"""
.board-map { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.vehicle-list { flex: 0 0 16rem; }
.vehicle-list h3 { margin: 0 0 .3rem; font-size: 1rem; }
#vehicles, #manifests { list-style: none; padding: 0; margin: 0 0 1rem; }
#vehicles li, #manifests li { margin-bottom: .35rem; }
button.vehicle { width: 100%; text-align: left; background: #fff; color: var(--ink); border: 2px solid #767676; }
button.vehicle small { color: var(--muted); }
button.vehicle[aria-pressed=true], button.vehicle.selected { border-color: var(--accent); background: #e6f0fb; font-weight: 700; }
.swatch { display: inline-block; width: 1.2rem; height: .55rem; margin-right: .45rem; vertical-align: middle; border: 1px solid #333; }
.map-wrap { flex: 1 1 480px; min-width: 0; border: 1px solid var(--line); border-radius: 4px; overflow: auto; }
.timeline-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 4px; }
svg path.route { fill: none; stroke-width: 3; stroke-opacity: 0.9; stroke-linejoin: round; }
svg .stop { stroke: #fff; stroke-width: 1; }
#plan-map.has-selection g.route:not(.selected) { opacity: 0.2; }
#plan-map g.route.selected path.route { stroke-width: 5; stroke-opacity: 1; }
#plan-map circle.stop.selected { r: 7px; stroke: #000; stroke-width: 2.5; }
svg line.hour { stroke: #ddd; }
svg text.hour { font-size: 10px; fill: #4a4a4a; }
svg text.vehicle { font-size: 12px; fill: #1a1a1a; }
svg .service { fill: #222; }
svg .service.selected { fill: #e8a200; stroke: #000; stroke-width: 1.5; }
svg .rest { fill: none; stroke: #555; stroke-width: 1.5; stroke-dasharray: 3 2; }
g.timeline-row.selected text.vehicle { font-weight: 700; text-decoration: underline; }
.table-wrap { overflow-x: auto; }
#bookings caption { caption-side: top; text-align: left; color: var(--muted); font-size: .9rem; padding-bottom: .3rem; }
tr.booking { cursor: pointer; }
tr.booking.selected, tr.booking[aria-selected=true] { background: #fff3cd; box-shadow: inset 4px 0 0 #b07800; }
td.num { text-align: center; }
td.id { font-family: ui-monospace, monospace; font-size: .9rem; }
.romaji { color: var(--muted); font-size: .9em; }
.status-rejected, .status-cancelled, .status-no_show { color: var(--bad); }
.status-scheduled, .status-completed { color: var(--good); }
.alert { border: 3px solid var(--bad); background: #fff0f0; padding: .5rem 1rem; margin: 1rem 0; border-radius: 4px; }
.alert h3 { color: var(--bad); margin-top: .3rem; }
.notice { border-left: 4px solid var(--good); background: #eef8f1; padding: .5rem 1rem; }
#replan-progress { min-height: 1.5em; color: var(--ink); }
#replan-result { min-height: 1.5em; font-weight: 600; }
"""#
}
