// The dossier page (templates/dossiers/_page.html), for long dossiers:
// - <div data-filter="SELECTOR" data-filter-label="TEXT"> becomes a search field that shows only
//   the lines (SELECTOR, within the field's section) containing what is typed, in any case, and
//   says how many are shown; lines in a collapsed list are opened while a filter is on.
// - For print, every collapsed list is opened and every filter cleared (restored afterwards),
//   so the printed dossier is whole.
// Without JavaScript there is no field, and collapsed lists open by hand.
(function () {
  "use strict";

  var HIDDEN = "filtered-out";

  function setupFilter(holder, index) {
    var scope = holder.closest("section") || document;
    var selector = holder.getAttribute("data-filter");
    var field = document.createElement("input");
    var label = document.createElement("label");
    var status = document.createElement("span");

    field.type = "search";
    field.id = "filter-" + index;
    field.autocomplete = "off";
    label.htmlFor = field.id;
    label.textContent = holder.getAttribute("data-filter-label") || "";
    status.className = "meta";
    status.setAttribute("role", "status");
    holder.className = "filter";
    holder.appendChild(label);
    holder.appendChild(field);
    holder.appendChild(status);

    function apply() {
      var wanted = field.value.trim().toLocaleLowerCase();
      var lines = scope.querySelectorAll(selector);
      var shown = 0;
      for (var i = 0; i < lines.length; i++) {
        var keep = !wanted || lines[i].textContent.toLocaleLowerCase().indexOf(wanted) >= 0;
        lines[i].classList.toggle(HIDDEN, !keep);
        if (keep) shown++;
        if (keep && wanted) {
          var details = lines[i].closest("details");
          if (details) details.open = true;
        }
      }
      status.textContent = wanted ? shown + " / " + lines.length : "";
    }

    field.addEventListener("input", apply);
    return function clear() {
      if (field.value) {
        field.value = "";
        apply();
      }
    };
  }

  var clears = [];
  var holders = document.querySelectorAll("[data-filter]");
  for (var i = 0; i < holders.length; i++) clears.push(setupFilter(holders[i], i));

  var closed = null; // the lists opened for print, while printing
  window.addEventListener("beforeprint", function () {
    if (closed) return;
    clears.forEach(function (clear) { clear(); });
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    if (!closed) return;
    closed.forEach(function (d) { d.open = false; });
    closed = null;
  });
})();
