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
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-stop-combo]"), combo);
    // A chosen stop moves the focus on, so that a booking is typed without the mouse.
    document.addEventListener("stopchosen", function (e) {
      var next = e.target.dataset.next && document.getElementById(e.target.dataset.next);
      if (next) { next.focus(); }
    });
  });
})();
"""#
}
