/* The story change form: character counts, tag autocomplete with story counts.
   Everything reads its addresses from #story-editor's data attributes; no inline
   script (the admin's CSP allows scripts from 'self' only). */
(function () {
  "use strict";

  function counters() {
    document.querySelectorAll("[data-count-limit]").forEach(function (field) {
      var limit = parseInt(field.getAttribute("data-count-limit"), 10);
      var ideal = parseInt(field.getAttribute("data-count-ideal") || "0", 10);
      var out = document.createElement("span");
      out.className = "char-count";
      out.setAttribute("aria-live", "polite");
      out.id = field.id + "_count";
      field.insertAdjacentElement("afterend", out);
      field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + out.id).trim());
      function update() {
        var n = Array.from(field.value).length;
        out.textContent = n + " / " + (ideal || limit) + " characters";
        out.classList.toggle("char-count--over", ideal ? n > ideal : n > limit);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  function splitLast(value) {
    var at = value.lastIndexOf(",");
    return { head: at < 0 ? "" : value.slice(0, at + 1), last: value.slice(at + 1).trim() };
  }

  function tagAutocomplete(root) {
    var input = document.getElementById("id_tags");
    var url = root.getAttribute("data-tags-url");
    if (!input || !url) return;
    var list = document.createElement("ul");
    list.id = "id_tags_suggestions";
    list.className = "tag-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Existing tags");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    var timer = null, active = -1, asked = "";

    function close() {
      list.hidden = true; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function choose(name) {
      var parts = splitLast(input.value);
      var quoted = /[,"]/.test(name) ? '"' + name.replace(/"/g, "") + '"' : name;
      input.value = (parts.head ? parts.head.trim() + " " : "") + quoted + ", ";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      close();
      input.focus();
    }
    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (items[index]) input.setAttribute("aria-activedescendant", items[index].id);
    }
    function show(tags) {
      list.textContent = "";
      tags.forEach(function (tag, i) {
        var item = document.createElement("li");
        item.id = "id_tags_option_" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.name = tag.name;
        var name = document.createElement("span");
        name.textContent = tag.name;
        var count = document.createElement("small");
        count.textContent = tag.stories + (tag.stories === 1 ? " story" : " stories");
        item.append(name, " ", count);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(tag.name); });
        list.appendChild(item);
      });
      list.hidden = tags.length === 0;
      input.setAttribute("aria-expanded", tags.length ? "true" : "false");
      active = -1;
    }
    function ask() {
      var text = splitLast(input.value).last.replace(/^"|"$/g, "");
      if (!text) { close(); return; }
      asked = text;
      fetch(url + "?q=" + encodeURIComponent(text), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { tags: [] }; })
        .then(function (data) { if (asked === text) show(data.tags || []); })
        .catch(close);
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 150); });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (event) {
      var items = list.querySelectorAll("[role=option]");
      if (list.hidden || !items.length) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(items[active].dataset.name); }
      else if (event.key === "Escape") { close(); }
    });
  }

  function clip(text, limit) {
    var chars = Array.from(text);
    return chars.length > limit ? chars.slice(0, limit - 1).join("").trim() + "…" : text;
  }

  // Search snippet and social card, from the SEO fields or the headline and dek.
  function seoPreview() {
    var preview = document.getElementById("seo-preview");
    var fieldset = document.querySelector(".seo-fieldset");
    if (!preview || !fieldset) return;
    fieldset.appendChild(preview);
    preview.hidden = false;
    var ids = ["id_seo_title", "id_seo_description", "id_headline", "id_dek"];
    var fields = ids.map(function (id) { return document.getElementById(id); });
    function value(field) { return field ? field.value.replace(/\s+/g, " ").trim() : ""; }
    function update() {
      var title = value(fields[0]) || value(fields[2]) || "Untitled story";
      var desc = value(fields[1]) || value(fields[3]) || value(fields[2]);
      preview.querySelectorAll("[data-seo-title]").forEach(function (el) { el.textContent = clip(title, 60); });
      preview.querySelectorAll("[data-seo-desc]").forEach(function (el) { el.textContent = clip(desc, 155); });
    }
    fields.forEach(function (field) { if (field) field.addEventListener("input", update); });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("story-editor");
    if (!root) return;
    counters();
    tagAutocomplete(root);
    seoPreview();
  });
})();
