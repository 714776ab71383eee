/* The header search box's suggestions: an ARIA combobox (WAI-ARIA APG "list
   autocomplete"). Without this script the box is a plain form to /search/.
   After two characters it asks /search/suggest/?q= and lists artists, releases,
   tracks and stories; arrows move, Enter opens the chosen one (or searches),
   Escape closes, a tap or click opens. */
(function () {
  "use strict";
  var MIN_CHARS = 2;
  var WAIT_MS = 120;
  var KINDS = { artist: "Artist", release: "Release", track: "Track", article: "Story" };

  function setUp(form) {
    var input = form.querySelector("input[type=search]");
    var endpoint = form.getAttribute("data-suggest");
    if (!input || !endpoint) return;
    var list = document.createElement("ul");
    var listId = input.id + "-suggestions";
    list.id = listId;
    list.className = "typeahead__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    form.appendChild(list);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var timer = null;
    var pending = null;
    var active = -1;
    var lastQuery = "";

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      for (var i = 0; i < all.length; i++) {
        all[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function render(data) {
      list.textContent = "";
      active = -1;
      var items = data.suggestions || [];
      items.forEach(function (item, n) {
        var li = document.createElement("li");
        li.id = listId + "-" + n;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "typeahead__option typeahead__option--" + item.kind;
        li.dataset.url = item.url;
        var label = document.createElement("span");
        label.className = "typeahead__label";
        label.textContent = item.label;
        var kind = document.createElement("span");
        kind.className = "typeahead__kind";
        kind.textContent = KINDS[item.kind] || item.kind;
        li.appendChild(label);
        li.appendChild(kind);
        list.appendChild(li);
      });
      var all = document.createElement("li");
      all.id = listId + "-all";
      all.setAttribute("role", "option");
      all.setAttribute("aria-selected", "false");
      all.className = "typeahead__option typeahead__option--all";
      all.dataset.url = data.search_url;
      all.textContent = "Search for “" + data.query + "”";
      list.appendChild(all);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = items.length
        ? items.length + " suggestion" + (items.length === 1 ? "" : "s") + ", use the arrow keys to choose"
        : "No suggestions";
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS) {
        close();
        lastQuery = "";
        return;
      }
      if (query === lastQuery && !list.hidden) return;
      lastQuery = query;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(endpoint + "?q=" + encodeURIComponent(query), {
        signal: pending.signal,
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && input.value.trim() === query) render(data);
        })
        .catch(function () {});
    }

    function go(option) {
      if (option && option.dataset.url) window.location.assign(option.dataset.url);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, WAIT_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) fetchSuggestions();
        else highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(active - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          go(options()[active]);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      }
    });
    // pointerdown, not click: the input would lose focus (and the list close)
    // before a click arrives; works for touch, pen and mouse alike.
    list.addEventListener("pointerdown", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        event.preventDefault();
        go(option);
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
  }

  var forms = document.querySelectorAll("form[data-suggest]");
  for (var i = 0; i < forms.length; i++) setUp(forms[i]);
})();
