/* The live preview: the unsaved story in the reader's template, beside the form,
   at phone or desktop width, refreshed within a second of typing. The page comes
   back from a staff-only endpoint that saves nothing; it is shown in a sandboxed
   frame (no scripts run in it). */
(function () {
  "use strict";
  var DESKTOP = 1280, PHONE = 375, WAIT_MS = 500;

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("story-editor");
    var form = root && root.closest("form");
    var panel = document.getElementById("live-preview");
    if (!form || !panel) return;
    var url = root.getAttribute("data-preview-url");
    var frame = null;
    var stage = panel.querySelector(".live-preview__stage");
    var state = panel.querySelector("[data-preview-state]");
    var toggle = document.getElementById("live-preview-toggle");
    var timer = null, pending = false, busy = false, width = PHONE, lastBody = null;

    // Made on first opening, so a page nobody previews holds no frame at all.
    function makeFrame() {
      frame = document.createElement("iframe");
      frame.title = "The story as readers would see it";
      frame.setAttribute("sandbox", "allow-same-origin");  // no scripts run inside
      frame.setAttribute("referrerpolicy", "no-referrer");
      stage.appendChild(frame);
    }
    function fit() {
      if (!frame) return;
      var room = stage.clientWidth || PHONE;
      var scale = Math.min(1, room / width);
      frame.style.width = width + "px";
      frame.style.height = Math.round(stage.clientHeight / scale) + "px";
      frame.style.transform = "scale(" + scale + ")";
    }
    function body() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string") params.append(name, value);
      });
      return params;
    }
    function refresh() {
      if (panel.hidden) return;
      if (busy) { pending = true; return; }
      var params = body();
      var text = params.toString();
      if (text === lastBody) return;
      busy = true;
      state.textContent = "Updating…";
      fetch(url, { method: "POST", body: params, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          lastBody = text;
          var scroll = frame.contentWindow ? frame.contentWindow.scrollY : 0;
          frame.addEventListener("load", function restore() {
            frame.removeEventListener("load", restore);
            if (frame.contentWindow) frame.contentWindow.scrollTo(0, scroll);
          });
          frame.srcdoc = html;
          state.textContent = "Up to date · " + new Date().toLocaleTimeString();
        })
        .catch(function () { state.textContent = "The preview could not be updated."; })
        .finally(function () {
          busy = false;
          if (pending) { pending = false; refresh(); }
        });
    }
    function soon() { clearTimeout(timer); timer = setTimeout(refresh, WAIT_MS); }

    panel.querySelectorAll("[data-preview-width]").forEach(function (button) {
      button.addEventListener("click", function () {
        width = button.getAttribute("data-preview-width") === "desktop" ? DESKTOP : PHONE;
        panel.querySelectorAll("[data-preview-width]").forEach(function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
        fit();
      });
    });
    function open(show) {
      panel.hidden = !show;
      document.body.classList.toggle("live-preview-open", show);
      toggle.setAttribute("aria-expanded", show ? "true" : "false");
      toggle.textContent = show ? "Hide live preview" : "Live preview";
      if (show) { if (!frame) makeFrame(); fit(); lastBody = null; refresh(); }
    }
    toggle.hidden = false;
    toggle.addEventListener("click", function () { open(panel.hidden); });
    panel.querySelector("[data-preview-close]").addEventListener("click", function () { open(false); toggle.focus(); });
    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    window.addEventListener("resize", fit);
  });
})();
