/* newsroom: the site's one small deferred script. Everything works without it;
 * it only improves two things on story pages.
 *
 * 1. Embedded posts: swap a YouTube placeholder for the privacy-enhanced player on
 *    click, and drop "Expand" where a post's text already fits.
 * 2. Fan reactions: the story page may come from a shared cache, so its form carries
 *    no CSRF token. Fetch a fresh one from an uncached endpoint just before sending,
 *    post with fetch and show the answer in the form's live region. Without this
 *    script the server asks the reader to confirm once, with a valid token.
 * 3. On every page, the header search box suggests artists, releases, songs and
 *    stories as a reader types; without the script it is a plain form to /search/.
 */
(function () {
  "use strict";

  /* ---- Embedded posts ---- */
  var VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;

  function play(event) {
    var link = event.currentTarget;
    var id = link.getAttribute("data-video-id") || "";
    if (!VIDEO_ID.test(id)) return; // follow the link to YouTube instead
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1";
    frame.title = link.getAttribute("data-title") || "YouTube video";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.className = "embed__frame";
    var player = link.closest("[data-embed-player]");
    player.replaceChildren(frame);
    player.classList.add("is-playing");
    frame.focus();
  }

  function fitExpand(details) {
    var text = details.previousElementSibling;
    if (!text || details.open) return;
    // Keep the control only where the clamp really hides something.
    details.hidden = text.scrollHeight <= text.clientHeight + 1;
  }

  function initEmbeds() {
    document.querySelectorAll("[data-embed-play]").forEach(function (link) {
      link.addEventListener("click", play);
    });
    var more = document.querySelectorAll("[data-embed-more]");
    more.forEach(fitExpand);
    var pending = 0;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () { more.forEach(fitExpand); }, 150);
    });
  }

  /* ---- Fan reactions ---- */
  function errorBox(form, name) {
    return form.querySelector('[data-reactions-error="' + name + '"]');
  }

  function clearErrors(form) {
    form.querySelectorAll("[data-reactions-error]").forEach(function (box) {
      box.textContent = "";
      box.hidden = true;
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (field) {
      field.removeAttribute("aria-invalid");
      var described = (field.getAttribute("aria-describedby") || "")
        .split(" ")
        .filter(function (id) { return id && !/-error$/.test(id); });
      field.setAttribute("aria-describedby", described.join(" "));
    });
    form.querySelectorAll(".has-error").forEach(function (el) {
      el.classList.remove("has-error");
    });
  }

  function showErrors(form, errors) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var box = errorBox(form, name) || errorBox(form, "__all__");
      if (!box) { return; }
      box.textContent = errors[name].join(" ");
      box.hidden = false;
      var field = form.elements[name];
      if (field && field.nodeType === 1) {
        field.setAttribute("aria-invalid", "true");
        var described = field.getAttribute("aria-describedby") || "";
        field.setAttribute("aria-describedby", (described + " " + box.id).trim());
        if (field.parentNode) { field.parentNode.classList.add("has-error"); }
        first = first || field;
      }
    });
    if (first) { first.focus(); }
  }

  function setStatus(form, text) {
    var status = form.querySelector("[data-reactions-status]");
    if (status) { status.textContent = text; }
  }

  function fetchToken(form) {
    return fetch(form.dataset.tokenUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("token"); }
      return response.json();
    }).then(function (data) { return data.token; });
  }

  function post(form, token) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json().then(function (data) {
        data.httpStatus = response.status;
        return data;
      });
    });
  }

  function send(form, isRetry) {
    return fetchToken(form).then(function (token) {
      return post(form, token);
    }).then(function (data) {
      if (data.status === "csrf" && !isRetry) { return send(form, true); }
      return data;
    });
  }

  function updateCount(form) {
    var field = form.elements.message;
    var count = form.querySelector("[data-reactions-count]");
    if (!field || !count) { return; }
    var left = Number(field.getAttribute("maxlength") || 500) - field.value.length;
    count.textContent = " (" + left + " left)";
  }

  function enhance(form) {
    var button = form.querySelector('button[type="submit"]');
    updateCount(form);
    form.addEventListener("input", function () { updateCount(form); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.dataset.busy) { return; }
      form.dataset.busy = "1";
      if (button) { button.disabled = true; }
      clearErrors(form);
      setStatus(form, "Sending…");
      send(form, false).then(function (data) {
        if (data.status === "accepted") {
          form.reset();
          updateCount(form);
          setStatus(form, data.message);
        } else if (data.status === "invalid") {
          setStatus(form, "");
          showErrors(form, data.errors || {});
        } else {
          setStatus(form, "");
          showErrors(form, { __all__: [data.message || "Something went wrong."] });
        }
      }).catch(function () {
        setStatus(form, "");
        showErrors(form, {
          __all__: ["We couldn't reach the newsroom. Your text is still here; please try again."]
        });
      }).then(function () {
        delete form.dataset.busy;
        if (button) { button.disabled = false; }
      });
    });
  }

  function init() {
    initEmbeds();
    document.querySelectorAll("form[data-reactions-form]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* ---- Search box suggestions ----
 * The header search box's suggestions: an ARIA combobox (WAI-ARIA APG "list
 * autocomplete"). Without this script the box is a plain form to /search/.
 * After two characters it asks /search/suggest/?q= and lists artists, releases,
 * tracks and stories; arrows move, Enter opens the chosen one (or searches),
 * Escape closes, a tap or click opens.
 */
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
    status.setAttribute("aria-live", "polite");
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

/* What readers come back for (issue 24), in the same file so a page still loads one
 * script:
 * 1. Counting a read. A story page marks its <article> with data-read-beacon (where
 *    to send) and data-story (which story). Once the page has been visible for two
 *    seconds (not while prerendered or in a background tab), one small POST goes to
 *    our own address: no cookie is set, no third party is involved, and the page
 *    never waits for it. The server decides what counts (articles/reads.py).
 * 2. <time data-relative> shows "5 minutes ago"; the page may come from a cache,
 *    so the words are recomputed from its datetime when the page is shown.
 * 3. Sharing: "Copy link" where the clipboard can be written, and the phone's own
 *    share sheet (Web Share API) on touch screens. The share links themselves are
 *    plain links that work without this script.
 */
(function () {
  "use strict";

  var VISIBLE_FOR_MS = 2000;

  function initBeacon() {
    var story = document.querySelector("[data-read-beacon][data-story]");
    if (!story || !navigator.sendBeacon) return;
    var sent = false;
    var timer = 0;
    function send() {
      if (sent) return;
      sent = true;
      var body = new URLSearchParams();
      body.set("story", story.getAttribute("data-story"));
      navigator.sendBeacon(story.getAttribute("data-read-beacon"), body);
    }
    function watch() {
      window.clearTimeout(timer);
      if (document.visibilityState === "visible" && !document.prerendering) {
        timer = window.setTimeout(send, VISIBLE_FOR_MS);
      }
    }
    document.addEventListener("visibilitychange", watch);
    if (document.prerendering) {
      document.addEventListener("prerenderingchange", watch, { once: true });
    }
    watch();
  }

  function ago(seconds) {
    if (seconds < 60) return "just now";
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes === 1 ? "1 minute ago" : minutes + " minutes ago";
    var hours = Math.floor(minutes / 60);
    return hours === 1 ? "1 hour ago" : hours + " hours ago";
  }

  function refreshTimes() {
    var now = Date.now();
    document.querySelectorAll("time[data-relative]").forEach(function (time) {
      var at = Date.parse(time.getAttribute("datetime") || "");
      if (isNaN(at)) return;
      var seconds = Math.max(0, (now - at) / 1000);
      // Older than a day, the server's exact date stays: it is already right.
      if (seconds < 86400) time.textContent = ago(seconds);
    });
  }

  function initShare() {
    var status = document.querySelector("[data-share-status]");
    function say(text) {
      if (status) status.textContent = text;
    }
    var copy = document.querySelector("[data-share-copy]");
    if (copy && navigator.clipboard && window.isSecureContext) {
      copy.closest("[data-share-copy-item]").hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(copy.getAttribute("data-share-copy")).then(
          function () { say("Link copied."); },
          function () { say("Could not copy the link."); }
        );
      });
    }
    var native = document.querySelector("[data-share-native]");
    var phone = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    if (native && navigator.share && phone) {
      native.closest("[data-share-native-item]").hidden = false;
      native.addEventListener("click", function () {
        navigator.share({
          title: native.getAttribute("data-share-title"),
          url: native.getAttribute("data-share-url")
        }).catch(function () { /* the reader closed the sheet */ });
      });
    }
  }

  initBeacon();
  refreshTimes();
  initShare();
})();

// The comeback calendar: write each event's time in the reader's own time zone.
// The page already prints the announced time and UTC; this only adds "Your time".
(function () {
  "use strict";
  var format;
  try {
    format = new Intl.DateTimeFormat(undefined, {
      weekday: "short", day: "numeric", month: "short",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
  } catch (error) {
    return;
  }
  var times = document.querySelectorAll("time[data-local-time]");
  for (var i = 0; i < times.length; i++) {
    var moment = new Date(times[i].getAttribute("datetime"));
    var out = times[i].parentNode.querySelector("[data-local-out]");
    if (!out || isNaN(moment.getTime())) continue;
    out.textContent = "Your time: " + format.format(moment);
    out.hidden = false;
  }
})();
