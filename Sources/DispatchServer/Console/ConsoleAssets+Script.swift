extension ConsoleAssets {
    /// Plain JavaScript (no libraries): stop suggestions as an ARIA combobox (type kanji, kana or
    /// romaji; arrows, Enter, Escape), filled from `/console/stops?q=`. Forms work without it:
    /// the server resolves the typed name then.
    static let script = #"""
"use strict";
(function () {
  function combo(input) {
    var hidden = document.getElementById(input.dataset.target);
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var municipality = input.dataset.municipality || "";
    var active = -1, timer = null, last = null;
    function options() { return Array.prototype.slice.call(list.querySelectorAll("li[role=option]")); }
    function close() { list.innerHTML = ""; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function mark(i) {
      var all = options();
      all.forEach(function (li, k) { li.setAttribute("aria-selected", k === i ? "true" : "false"); });
      active = i;
      if (all[i]) { input.setAttribute("aria-activedescendant", all[i].id); all[i].scrollIntoView({ block: "nearest" }); }
    }
    function choose(li) {
      input.value = li.dataset.label;
      hidden.value = li.dataset.stop;
      input.dataset.chosen = li.dataset.label;
      close();
      input.dispatchEvent(new CustomEvent("stopchosen", { bubbles: true }));
    }
    function show(stops) {
      list.innerHTML = "";
      stops.forEach(function (s, k) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + k;
        li.dataset.stop = s.id;
        li.dataset.label = s.local_name + " (" + s.name + ")";
        li.setAttribute("aria-selected", "false");
        li.textContent = s.local_name + " " + s.name;
        var sub = document.createElement("span");
        sub.className = "sub";
        sub.textContent = " · " + s.municipality_name;
        li.appendChild(sub);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(li); });
        list.appendChild(li);
      });
      input.setAttribute("aria-expanded", stops.length ? "true" : "false");
      active = -1;
      if (stops.length) { mark(0); }
    }
    function lookup() {
      var q = input.value.trim();
      if (q === last) { return; }
      last = q;
      if (!q) { close(); return; }
      fetch("/console/stops?q=" + encodeURIComponent(q) + "&municipality=" + encodeURIComponent(municipality), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { stops: [] }; })
        .then(function (body) { if (input.value.trim() === q) { show(body.stops || []); } })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () {
      if (input.value !== input.dataset.chosen) { hidden.value = ""; }
      clearTimeout(timer);
      timer = setTimeout(lookup, 120);
    });
    input.addEventListener("keydown", function (e) {
      var all = options();
      if (e.key === "ArrowDown" && all.length) { e.preventDefault(); mark((active + 1) % all.length); }
      else if (e.key === "ArrowUp" && all.length) { e.preventDefault(); mark((active - 1 + all.length) % all.length); }
      else if (e.key === "Enter" && all.length && active >= 0) { e.preventDefault(); choose(all[active]); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  // The map picker: a click on a stop chooses it, a click elsewhere gives "lat, lon" (the
  // server checks that it lies near a road of a municipality).
  function mapPicker(details) {
    var holder = document.getElementById("map-holder");
    function target() {
      var which = document.getElementById("map-sets-dropoff").checked ? "dropoff" : "pickup";
      return { text: document.getElementById(which), stop: document.getElementById(which + "-stop"), which: which };
    }
    function pick(e) {
      var svg = holder.querySelector("svg");
      if (!svg) { return; }
      var t = target();
      var place = e.target.closest ? e.target.closest("circle.place") : null;
      Array.prototype.forEach.call(svg.querySelectorAll("circle.place.chosen-" + t.which), function (c) { c.classList.remove("chosen", "chosen-" + t.which); });
      if (place) {
        var title = place.querySelector("title");
        t.text.value = title ? title.textContent : place.dataset.stop;
        t.text.dataset.chosen = t.text.value;
        t.stop.value = place.dataset.stop;
        place.classList.add("chosen", "chosen-" + t.which);
      } else {
        var box = svg.getBoundingClientRect(), view = svg.viewBox.baseVal;
        var x = (e.clientX - box.left) * view.width / box.width, y = (e.clientY - box.top) * view.height / box.height;
        var scale = parseFloat(svg.dataset.scale), k = parseFloat(svg.dataset.k);
        var lon = parseFloat(svg.dataset.minLon) + x / (k * scale), lat = parseFloat(svg.dataset.maxLat) - y / scale;
        t.text.value = lat.toFixed(6) + ", " + lon.toFixed(6);
        t.text.dataset.chosen = t.text.value;
        t.stop.value = "";
      }
      if (t.which === "pickup") { document.getElementById("map-sets-dropoff").checked = true; }
    }
    details.addEventListener("toggle", function () {
      if (!details.open || holder.dataset.loaded) { return; }
      holder.dataset.loaded = "1";
      fetch(holder.dataset.src, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (svg) { holder.innerHTML = svg; });
    });
    holder.addEventListener("click", pick);
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-stop-combo]"), combo);
    var picker = document.getElementById("map-picker");
    if (picker) { mapPicker(picker); }
    // A chosen stop moves the focus on, so that a booking is typed without the mouse.
    document.addEventListener("stopchosen", function (e) {
      var next = e.target.dataset.next && document.getElementById(e.target.dataset.next);
      if (next) { next.focus(); }
    });
  });
})();
"""#
}
