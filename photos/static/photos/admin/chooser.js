// The photo desk's chooser: one <dialog> for every picture field of the page and
// for the body editor's buttons (photos/prose_figures.js). Search, filter by usage,
// newest first, thumbnails, "load more", and "upload new" that adds to the library.
// window.PhotoChooser.choose({multiple}) and .chooseStory() resolve with the choice
// (or null when cancelled). No inline script or style: the admin's CSP allows none.
(function () {
  "use strict";
  var USAGES = [
    ["", "Any usage"], ["own", "Our own"], ["agency", "Agency handout"],
    ["licensed", "Licensed"], ["social", "Social post"],
  ];

  function urls() {
    var holder = document.querySelector("[data-photo-chooser]");
    return holder ? holder.dataset : null;
  }

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "text") node.textContent = props[key];
      else if (key === "class") node.className = props[key];
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function openDialog(mode, multiple) {
    return new Promise(function (resolve) {
      var endpoints = urls();
      if (!endpoints) { resolve(null); return; }
      var chosen = [];
      var page = 1;
      var search = el("input", {
        type: "search", class: "photo-dialog__search", "aria-label": "Search",
        placeholder: mode === "story" ? "Search published stories" : "Search alt text, caption, credit, tags, artists…",
      });
      var usage = el("select", { class: "photo-dialog__usage", "aria-label": "Usage" });
      USAGES.forEach(function (pair) { usage.appendChild(el("option", { value: pair[0], text: pair[1] })); });
      var grid = el("ul", { class: "photo-dialog__grid", "aria-live": "polite" });
      var more = el("button", { type: "button", class: "button photo-dialog__more", text: "Load more", hidden: "" });
      var done = el("button", { type: "button", class: "button default photo-dialog__done", text: "Insert the chosen photos", hidden: "" });
      var cancel = el("button", { type: "button", class: "button photo-dialog__cancel", text: "Cancel" });
      var title = mode === "story" ? "Choose a related story" : (multiple ? "Choose photos for a gallery" : "Choose a picture");
      var upload = mode === "story" ? null : uploadForm(endpoints, function (photo) { pick(photo); });
      var dialog = el("dialog", { class: "photo-dialog", "aria-label": title }, [
        el("div", { class: "photo-dialog__head" }, [
          el("h2", { text: title }), search, mode === "story" ? null : usage, cancel,
        ]),
        upload,
        grid, more,
        el("div", { class: "photo-dialog__foot" }, [done]),
      ]);
      document.body.appendChild(dialog);

      function close(value) {
        dialog.close();
        dialog.remove();
        resolve(value);
      }

      function pick(item) {
        if (!multiple) { close(item); return; }
        var index = chosen.findIndex(function (other) { return other.id === item.id; });
        if (index >= 0) chosen.splice(index, 1); else chosen.push(item);
        grid.querySelectorAll("[data-id]").forEach(function (button) {
          var on = chosen.some(function (other) { return String(other.id) === button.dataset.id; });
          button.setAttribute("aria-pressed", on ? "true" : "false");
        });
        done.hidden = chosen.length === 0;
        done.textContent = "Insert " + chosen.length + " photo" + (chosen.length === 1 ? "" : "s");
      }

      function card(item) {
        var label = mode === "story" ? item.headline : (item.alt || "Photo " + item.id);
        var button = el("button", {
          type: "button", class: "photo-dialog__item", "data-id": String(item.id),
          "aria-pressed": "false", title: label,
        }, [
          item.thumbnail ? el("img", { src: item.thumbnail, alt: "", loading: "lazy", width: "160", height: "120" }) : el("span", { class: "photo-dialog__nothumb", text: "No picture" }),
          el("span", { class: "photo-dialog__caption", text: label }),
          mode === "story" ? el("span", { class: "photo-dialog__meta", text: item.dek || "" })
            : el("span", { class: "photo-dialog__meta", text: [item.credit || "no credit", item.usage || "no usage terms", item.uploaded_at].join(" · ") }),
          item.missing && item.missing.length ? el("span", { class: "photo-dialog__warning", text: "Missing " + item.missing.join(" and ") }) : null,
        ]);
        button.addEventListener("click", function () { pick(item); });
        return el("li", {}, [button]);
      }

      var timer = null;
      function load(reset) {
        if (reset) { page = 1; grid.textContent = ""; }
        var base = mode === "story" ? endpoints.storyChooser : endpoints.photoChooser;
        var query = "?q=" + encodeURIComponent(search.value) + "&usage=" + encodeURIComponent(usage.value) + "&page=" + page;
        fetch(base + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            data.results.forEach(function (item) { grid.appendChild(card(item)); });
            if (!grid.children.length) grid.appendChild(el("li", { class: "photo-dialog__empty", text: "Nothing found." }));
            more.hidden = !data.has_more;
          });
      }
      search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { load(true); }, 200); });
      usage.addEventListener("change", function () { load(true); });
      more.addEventListener("click", function () { page += 1; load(false); });
      cancel.addEventListener("click", function () { close(null); });
      done.addEventListener("click", function () { close(chosen.slice()); });
      dialog.addEventListener("cancel", function (event) { event.preventDefault(); close(null); });
      dialog.showModal();
      search.focus();
      load(true);
    });
  }

  function uploadForm(endpoints, onAdded) {
    var file = el("input", { type: "file", name: "file", accept: "image/jpeg,image/png,image/webp", required: "" });
    var alt = el("input", { type: "text", name: "alt_text", required: "", maxlength: "300" });
    var credit = el("input", { type: "text", name: "credit", maxlength: "200" });
    var caption = el("input", { type: "text", name: "caption", maxlength: "500" });
    var usage = el("select", { name: "usage_kind" });
    USAGES.forEach(function (pair) { usage.appendChild(el("option", { value: pair[0], text: pair[0] ? pair[1] : "Usage: not known yet" })); });
    var errors = el("p", { class: "photo-dialog__errors", role: "alert" });
    var send = el("button", { type: "button", class: "button", text: "Upload and use" });
    function field(label, input) { return el("label", { class: "photo-dialog__field" }, [el("span", { text: label }), input]); }
    var box = el("details", { class: "photo-dialog__upload" }, [
      el("summary", { text: "Upload new" }),
      field("Picture", file), field("Alt text (required)", alt), field("Caption", caption),
      field("Credit", credit), field("Usage", usage), send, errors,
    ]);
    send.addEventListener("click", function () {
      var data = new FormData();
      [file, alt, credit, caption, usage].forEach(function (input) {
        if (input.type === "file") { if (input.files[0]) data.append("file", input.files[0]); }
        else data.append(input.name, input.value);
      });
      errors.textContent = "";
      send.disabled = true;
      fetch(endpoints.photoUpload, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        send.disabled = false;
        if (result.ok) { onAdded(result.body.photo); return; }
        errors.textContent = Object.keys(result.body.errors || {}).map(function (name) {
          return name + ": " + result.body.errors[name].map(function (e) { return e.message; }).join(" ");
        }).join(" ");
      }).catch(function () { send.disabled = false; errors.textContent = "The upload failed; try again."; });
    });
    return box;
  }

  function setupField(holder) {
    var input = holder.querySelector("input[type=hidden]");
    var preview = holder.querySelector(".photo-chooser__preview");
    var label = holder.querySelector(".photo-chooser__label");
    var open = holder.querySelector(".photo-chooser__open");
    var clear = holder.querySelector(".photo-chooser__clear");
    function show(photo) {
      input.value = photo ? photo.id : "";
      preview.hidden = !photo;
      preview.src = photo ? photo.thumbnail : "";
      preview.alt = photo ? photo.alt : "";
      label.textContent = photo ? photo.alt : "No picture chosen.";
      clear.hidden = !photo;
      open.textContent = photo ? "Change picture" : "Choose a picture";
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    open.addEventListener("click", function () {
      openDialog("photo", false).then(function (photo) { if (photo) show(photo); });
    });
    clear.addEventListener("click", function () { show(null); });
  }

  window.PhotoChooser = {
    choose: function (options) { return openDialog("photo", Boolean(options && options.multiple)); },
    chooseStory: function () { return openDialog("story", false); },
  };
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".photo-chooser").forEach(setupField);
  });
})();
