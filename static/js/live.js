/* newsroom: live coverage. Polls the story's updates address every few seconds and
 * applies what it answers: new entries on top, edited ones replaced, removed ones
 * dropped, the pinned entry and the key events list kept in step. Every reader who
 * is up to date asks the same address (the cursor the last answer gave), so a shared
 * cache answers them all. Stops when the coverage ends or the page is hidden for
 * long; without this script a reload shows the latest.
 */
(function () {
  "use strict";

  var INTERVAL = 4000;
  var section = document.querySelector("[data-live-updates]");
  if (!section || !section.hasAttribute("data-live-running") || !window.fetch) return;

  var endpoint = section.getAttribute("data-live-updates");
  var cursor = section.getAttribute("data-live-cursor") || "";
  var stream = section.querySelector("[data-live-entries]");
  var status = section.querySelector("[data-live-status]");
  var pinnedBox = section.querySelector("[data-live-pinned]");
  var pinnedBody = section.querySelector("[data-live-pinned-body]");
  var keysNav = section.querySelector("[data-live-keys]");
  var keysList = section.querySelector("[data-live-keys-list]");
  var seen = {}; // entry id -> the version (updated cursor) applied
  var timer = null;
  var failures = 0;

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html; // server-rendered, sanitized, same origin
    return template.content.firstElementChild;
  }

  function ago(when) {
    var seconds = (Date.now() - when.getTime()) / 1000;
    if (seconds < 60) return "just now";
    if (seconds < 3600) return Math.floor(seconds / 60) + " min ago";
    if (seconds < 86400) return Math.floor(seconds / 3600) + " h ago";
    return when.toLocaleDateString();
  }

  function refreshAges() {
    section.querySelectorAll(".live-entry").forEach(function (entry) {
      var time = entry.querySelector("time[datetime]");
      var label = entry.querySelector("[data-ago]");
      if (time && label) label.textContent = ago(new Date(time.getAttribute("datetime")));
    });
  }

  function setKey(change) {
    var item = keysList.querySelector('[data-key-for="' + change.id + '"]');
    if (!change.key_event) {
      if (item) item.remove();
    } else {
      if (!item) {
        item = document.createElement("li");
        item.setAttribute("data-key-for", change.id);
        keysList.insertBefore(item, keysList.firstChild);
      }
      var link = document.createElement("a");
      link.href = "#" + change.anchor;
      link.textContent = change.key_event;
      item.replaceChildren(link);
    }
    keysNav.hidden = !keysList.children.length;
  }

  function setPinned(change) {
    var current = pinnedBox.getAttribute("data-pinned-id") ||
      (pinnedBody.firstElementChild && pinnedBody.firstElementChild.getAttribute("data-live-entry"));
    if (change.pinned) {
      var copy = fragment(change.html);
      copy.removeAttribute("id");
      pinnedBody.replaceChildren(copy);
      pinnedBox.setAttribute("data-pinned-id", String(change.id));
      pinnedBox.hidden = false;
    } else if (current === String(change.id)) {
      pinnedBody.replaceChildren();
      pinnedBox.removeAttribute("data-pinned-id");
      pinnedBox.hidden = true;
    }
  }

  function apply(change) {
    if (seen[change.id] === change.updated) return 0;
    seen[change.id] = change.updated;
    var existing = document.getElementById(change.anchor);
    setKey(change);
    setPinned(change);
    if (change.removed) {
      if (existing) existing.remove();
      return existing ? 1 : 0;
    }
    var element = fragment(change.html);
    if (existing) {
      existing.replaceWith(element);
      return 0;
    }
    // New: entries are newest first; place it before the first older one.
    var placed = false;
    stream.querySelectorAll(".live-entry").forEach(function (other) {
      if (placed) return;
      var time = other.querySelector("time[datetime]");
      if (time && new Date(time.getAttribute("datetime")) <= new Date(change.created)) {
        other.before(element);
        placed = true;
      }
    });
    if (!placed) {
      // Older than every entry shown: an edit on an older page, not news here.
      if (stream.querySelector(".live-entry")) return 0;
      stream.appendChild(element);
    }
    var empty = stream.querySelector("[data-live-empty]");
    if (empty) empty.remove();
    return 1;
  }

  function stop(message) {
    if (timer) window.clearTimeout(timer);
    timer = null;
    section.removeAttribute("data-live-running");
    document.querySelectorAll("[data-live-badge]").forEach(function (badge) {
      badge.remove();
    });
    if (message) status.textContent = message;
  }

  function schedule() {
    timer = window.setTimeout(poll, INTERVAL * Math.min(8, 1 + failures));
  }

  function poll() {
    if (document.hidden) return schedule();
    fetch(endpoint + "?after=" + encodeURIComponent(cursor), {
      headers: { Accept: "application/json" },
      credentials: "omit",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        if (data.reload) {
          window.location.reload();
          return;
        }
        var changed = 0;
        data.entries.forEach(function (change) {
          changed += apply(change);
        });
        if (changed) status.textContent = changed === 1 ? "1 update" : changed + " updates";
        cursor = data.cursor || cursor;
        refreshAges();
        if (!data.live) return stop("Live coverage has ended.");
        schedule();
      })
      .catch(function () {
        failures += 1;
        schedule();
      });
  }

  section.querySelectorAll(".live-entry").forEach(function (entry) {
    seen[entry.getAttribute("data-live-entry")] = null;
  });
  refreshAges();
  window.setInterval(refreshAges, 30000);
  schedule();
})();
