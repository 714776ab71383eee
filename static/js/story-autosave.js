/* Never lose work: the story form keeps itself in the writer's working copy every
   few seconds (no revision, no story save), and leaving with unsaved changes asks
   first. The server offers the copy back on the next visit. */
(function () {
  "use strict";

  function fields(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") params.append(name, value);
    });
    return params;
  }

  function withoutToken(params) {
    var copy = new URLSearchParams(params);
    copy.delete("csrfmiddlewaretoken");
    return copy.toString();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("story-editor");
    var form = root && root.closest("form");
    if (!form) return;
    var url = root.getAttribute("data-autosave-url");
    var seconds = parseInt(root.getAttribute("data-autosave-seconds") || "12", 10);
    var status = document.getElementById("autosave-status");
    var restored = root.hasAttribute("data-restored");
    var initial = null, lastSaved = null, submitting = false, saving = false;

    // The rich-text editor sets its textarea up after load; compare from then.
    setTimeout(function () { initial = lastSaved = withoutToken(fields(form)); }, 300);

    function changed() {
      return initial !== null && withoutToken(fields(form)) !== initial;
    }
    function unsaved() { return restored || changed(); }

    function save(useBeacon) {
      if (!url || saving || submitting || initial === null) return;
      var params = fields(form);
      var now = withoutToken(params);
      if (now === lastSaved || (!restored && now === initial)) return;
      params.set("action", "save");
      if (useBeacon && navigator.sendBeacon) {
        if (navigator.sendBeacon(url, params)) lastSaved = now;
        return;
      }
      saving = true;
      fetch(url, { method: "POST", body: params, credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) {
          lastSaved = now;
          var at = new Date(data.saved_at);
          if (status) status.textContent = "Unsaved changes kept at " + at.toLocaleTimeString() + ".";
        })
        .catch(function () {
          if (status) status.textContent = "Could not keep a copy of your changes; they are still in this page.";
        })
        .finally(function () { saving = false; });
    }

    setInterval(function () { save(false); }, Math.max(1, seconds) * 1000);
    // Any form of the page (the story, "discard") leaves on purpose.
    document.addEventListener("submit", function () { submitting = true; }, true);
    window.addEventListener("beforeunload", function (event) {
      if (submitting || !unsaved()) return;
      save(true);
      event.preventDefault();
      event.returnValue = "";
    });
  });
})();
