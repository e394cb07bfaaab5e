// The viewer (templates/viewer/view.html): search in the document's text layer, and choosing a
// passage to link as support. Search marks every match in the text of each page and lists the
// pages holding one, each a link to its page. Selecting text inside one page's text layer fills
// the form that links the exhibit as support with the passage (W3C Web Annotation
// TextQuoteSelector: exact, prefix, suffix; the server checks them against the stored page).
// Without JavaScript the text is still there to read and to search with the browser's own find.
(function () {
  "use strict";

  var CONTEXT = 32; // characters of prefix and suffix kept around a selected passage
  var MAX_EXACT = 2000;

  function layers() {
    return Array.prototype.slice.call(document.querySelectorAll(".text-layer"));
  }

  // --- search in the document ---------------------------------------------------------------

  function clearMarks(layer) {
    var marks = layer.querySelectorAll("mark.hit");
    for (var i = 0; i < marks.length; i++) {
      var mark = marks[i];
      mark.parentNode.replaceChild(document.createTextNode(mark.textContent), mark);
    }
    layer.normalize();
  }

  function markText(layer, needle) {
    // Marks every case-insensitive occurrence of needle in the layer's text nodes; the count.
    var walker = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT, null);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var found = 0;
    var lower = needle.toLocaleLowerCase();
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      var haystack = text.toLocaleLowerCase();
      if (haystack.length !== text.length) return; // a case mapping that changes lengths: leave it
      var at = haystack.indexOf(lower);
      if (at < 0) return;
      var fragment = document.createDocumentFragment();
      var from = 0;
      while (at >= 0) {
        fragment.appendChild(document.createTextNode(text.slice(from, at)));
        var mark = document.createElement("mark");
        mark.className = "hit";
        mark.textContent = text.slice(at, at + needle.length);
        fragment.appendChild(mark);
        found += 1;
        from = at + needle.length;
        at = haystack.indexOf(lower, from);
      }
      fragment.appendChild(document.createTextNode(text.slice(from)));
      node.parentNode.replaceChild(fragment, node);
    });
    return found;
  }

  function setupSearch() {
    var form = document.getElementById("viewer-search");
    if (!form) return;
    var input = document.getElementById("viewer-query");
    var status = document.getElementById("viewer-search-status");
    var hits = document.getElementById("viewer-hits");
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var needle = input.value.trim();
      hits.textContent = "";
      var pages = [];
      layers().forEach(function (layer) {
        clearMarks(layer);
        if (needle && markText(layer, needle)) pages.push(layer.getAttribute("data-page"));
      });
      if (!needle) {
        status.textContent = "";
        return;
      }
      status.textContent = pages.length ? status.getAttribute("data-some") : status.getAttribute("data-none");
      pages.forEach(function (page) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#page-" + page;
        link.textContent = page;
        item.appendChild(link);
        hits.appendChild(item);
      });
      if (pages.length) {
        var first = document.querySelector("#page-" + pages[0] + " mark.hit");
        if (first) first.scrollIntoView({ block: "center" });
      }
    });
  }

  // --- a passage chosen to link as support ----------------------------------------------------

  function layerOf(node) {
    while (node && !(node.nodeType === 1 && node.classList.contains("text-layer"))) node = node.parentNode;
    return node;
  }

  function offsetIn(layer, container, offset) {
    var range = document.createRange();
    range.selectNodeContents(layer);
    range.setEnd(container, offset);
    return range.toString().length;
  }

  function setupPinpoint() {
    var form = document.getElementById("pinpoint-link");
    if (!form) return;
    var chosen = document.getElementById("pinpoint-chosen");
    function field(name) {
      return form.querySelector("input[name=" + name + "]");
    }
    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
      var range = selection.getRangeAt(0);
      var layer = layerOf(range.startContainer);
      if (!layer || layer !== layerOf(range.endContainer)) return; // one page at a time
      var text = layer.textContent;
      var start = offsetIn(layer, range.startContainer, range.startOffset);
      var end = offsetIn(layer, range.endContainer, range.endOffset);
      var exact = text.slice(start, end);
      if (!exact.trim() || exact.length > MAX_EXACT) return;
      field("quote_page").value = layer.getAttribute("data-page");
      field("quote_exact").value = exact;
      field("quote_prefix").value = text.slice(Math.max(0, start - CONTEXT), start);
      field("quote_suffix").value = text.slice(end, end + CONTEXT);
      chosen.textContent =
        chosen.getAttribute("data-label").replace("{page}", field("quote_page").value) + " “" + exact + "”";
      form.hidden = false;
    });
  }

  // --- a time range of a recording: "Now" takes the player's current time ---------------------

  function setupTimes() {
    var player = document.querySelector("[data-viewer-media]");
    if (!player) return;
    var buttons = document.querySelectorAll("button[data-time-from]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        document.getElementById(button.getAttribute("data-time-from")).value = player.currentTime.toFixed(1);
      });
    });
  }

  setupSearch();
  setupPinpoint();
  setupTimes();
})();
