"use strict";
// Drag the handle of a row in a tabular inline marked "sortable-inline" to reorder
// it; the rows' position fields are renumbered in their new order (per disc where
// a disc field exists). Typing positions by hand keeps working for keyboard users.
(function () {
  var dragged = null;

  function rows(tbody) {
    return Array.prototype.filter.call(
      tbody.querySelectorAll("tr.form-row"),
      function (row) { return !row.classList.contains("empty-form"); }
    );
  }

  function renumber(tbody) {
    var inputs = rows(tbody)
      .map(function (row) { return row.querySelector('input[name$="-position"]'); })
      .filter(Boolean);
    var values = inputs
      .map(function (input) { return parseInt(input.value, 10); })
      .filter(function (value) { return !isNaN(value); });
    var hasDisc = inputs.some(function (input) {
      return input.closest("tr").querySelector('input[name$="-disc"]');
    });
    var base = values.length ? Math.min.apply(null, values) : (hasDisc ? 1 : 0);
    if (hasDisc && base < 1) { base = 1; }
    var next = {};
    inputs.forEach(function (input) {
      var disc = input.closest("tr").querySelector('input[name$="-disc"]');
      var key = disc ? disc.value : "";
      if (!(key in next)) { next[key] = base; }
      input.value = String(next[key]);
      next[key] += 1;
    });
  }

  function addHandle(row) {
    if (row.classList.contains("empty-form") || row.querySelector(".drag-handle")) {
      return;
    }
    var cell = row.querySelector("td");
    if (!cell) { return; }
    var handle = document.createElement("span");
    handle.className = "drag-handle";
    handle.setAttribute("draggable", "true");
    handle.setAttribute("title", "Drag to reorder");
    handle.setAttribute("aria-hidden", "true");
    handle.textContent = "\u2630";
    cell.insertBefore(handle, cell.firstChild);
  }

  function setUp(root) {
    root.querySelectorAll(".sortable-inline tbody tr.form-row").forEach(addHandle);
  }

  document.addEventListener("dragstart", function (event) {
    var handle = event.target.closest && event.target.closest(".drag-handle");
    if (!handle) { return; }
    dragged = handle.closest("tr");
    dragged.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "");
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    var target = event.target.closest && event.target.closest("tr.form-row");
    if (!target || target === dragged || target.parentNode !== dragged.parentNode) {
      return;
    }
    if (target.classList.contains("empty-form")) { return; }
    event.preventDefault();
    var box = target.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    target.parentNode.insertBefore(dragged, after ? target.nextSibling : target);
  });

  function finish(event) {
    if (!dragged) { return; }
    if (event.type === "drop") { event.preventDefault(); }
    var tbody = dragged.parentNode;
    dragged.classList.remove("is-dragging");
    dragged = null;
    renumber(tbody);
  }
  document.addEventListener("drop", finish);
  document.addEventListener("dragend", finish);

  document.addEventListener("formset:added", function (event) {
    if (event.target && event.target.closest && event.target.closest(".sortable-inline")) {
      addHandle(event.target);
    }
  });
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
})();
