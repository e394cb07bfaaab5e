// Search-as-you-type for a text field: <input data-picker="URL">. As the user types,
// URL?q=... answers {"items": [{value, label, text, details}]} (only what they may see): the
// matches are listed under the field (an ARIA combobox: arrows to move, Enter to choose, Escape
// to close), each as its label in bold, its text and its details; choosing one puts its value
// in the field (an exhibit's number, an institution as "Name (RU)"). Without JavaScript the
// field is a plain text field: typing the number or the name works.
(function () {
  "use strict";

  var DELAY_MS = 200;

  function setup(input, index) {
    var url = input.getAttribute("data-picker");
    var empty = input.getAttribute("data-picker-empty") || "";
    var list = document.createElement("ul");
    var timer = null;
    var asked = 0;
    var items = [];
    var active = -1;

    list.id = (input.id || "picker-" + index) + "-options";
    list.className = "picker";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(next) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) {
        return;
      }
      active = (next + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function choose(i) {
      input.value = items[i].value;
      close();
      input.focus();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(found) {
      items = found;
      list.textContent = "";
      active = -1;
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "none";
        none.textContent = empty;
        list.appendChild(none);
      }
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        var number = document.createElement("strong");
        var details = (item.details || []).filter(Boolean).join(" · ");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        number.textContent = item.label;
        option.appendChild(number);
        option.appendChild(document.createTextNode((item.text ? " " + item.text : "") + (details ? " (" + details + ")" : "")));
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
          choose(i);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var text = input.value.trim();
      var mine = ++asked;
      if (text.length < 2) {
        close();
        return;
      }
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { items: [] };
        })
        .then(function (answer) {
          if (mine === asked) {
            show(answer.items || []);
          }
        })
        .catch(function () {
          if (mine === asked) {
            close();
          }
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown" && input.value.trim().length >= 2) {
          ask();
        }
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault(); // choosing is not submitting
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-picker]").forEach(setup);
})();
