/* A post URL pasted alone on a line of the body shows as its card under the editor
   at once, built from what the address tells (no network). Posts whose words are
   missing are listed, and the story's writer can fill them in here. */
(function () {
  "use strict";
  var WAIT_MS = 300;

  function csrf(form) {
    var field = form.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("story-editor");
    var form = root && root.closest("form");
    var panel = document.getElementById("post-cards");
    var body = document.getElementById("id_body");
    if (!form || !panel || !body) return;
    var url = root.getAttribute("data-post-cards-url");
    var place = body.closest(".form-row") || body.parentNode;
    place.insertAdjacentElement("afterend", panel);
    panel.hidden = !panel.innerHTML.trim();  // the saved story's cards come with the page
    // A restored working copy may hold addresses the saved cards do not show yet.
    var timer = null, last = root.hasAttribute("data-restored") ? null : body.value;

    function show(html) {
      panel.innerHTML = html;  // rendered and escaped by the server's templates
      panel.hidden = !html.trim();
    }
    function refresh() {
      if (body.value === last) return;
      var text = body.value;
      // Only a body with an address can have cards (or lose the ones shown).
      if (text.indexOf("://") < 0 && panel.hidden) { last = text; return; }
      var params = new URLSearchParams({ body: text, csrfmiddlewaretoken: csrf(form) });
      fetch(url, { method: "POST", body: params, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (data) { last = text; show(data.html || ""); })
        .catch(function () {});
    }
    body.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, WAIT_MS); });
    // The rich-text editor writes its textarea on every change (and on paste).
    setInterval(refresh, 1000);

    panel.addEventListener("click", function (event) {
      var button = event.target.closest("[data-fill-save]");
      if (!button) return;
      var box = button.closest("[data-fill-url]");
      var state = box.querySelector("[data-fill-state]");
      var params = new URLSearchParams({ csrfmiddlewaretoken: csrf(form) });
      box.querySelectorAll("input[name], textarea[name]").forEach(function (field) {
        params.append(field.name, field.value);
      });
      button.disabled = true;
      state.textContent = "Saving…";
      fetch(box.getAttribute("data-fill-url"), { method: "POST", body: params, credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (data) { return r.ok ? data : Promise.reject(data); }); })
        .then(function (data) {
          last = null;
          show(data.html || "");
          var note = document.createElement("p");
          note.className = "post-cards__saved";
          note.setAttribute("role", "status");
          note.textContent = data.changed.length ? "Post details saved." : "Nothing new to save.";
          panel.prepend(note);
        })
        .catch(function (data) {
          button.disabled = false;
          state.textContent = (data && data.error) || "Could not save the post details.";
        });
    });
  });
})();
