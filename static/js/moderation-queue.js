// The moderation queue at keyboard speed: each row's buttons decide in place.
// Without this script the same buttons post the changelist form and come back.
// Loaded in the admin's <head>, so it waits for the list.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const table = document.getElementById("result_list");
  if (!table) return;
  const form = document.getElementById("changelist-form");
  const status = document.querySelector("[data-queue-status]");
  const help = document.getElementById("queue-help");
  const undoUrl = status.dataset.undo;
  const token = () => form.querySelector("[name=csrfmiddlewaretoken]").value;
  const rows = Array.from(table.tBodies[0].rows);
  let current = null;
  let lastDecision = null; // {id, row, timer}
  const KEY_FOR = { approve: "a", reject: "r", spam: "s", feature: "f", dismiss: "d" };

  rows.forEach((row) => {
    row.tabIndex = -1;
    row.classList.add("queue-row");
    const state = row.querySelector("[data-status]");
    if (state) row.dataset.status = state.dataset.status;
  });

  function focusRow(row) {
    if (!row) return;
    if (current) current.classList.remove("is-current");
    current = row;
    row.classList.add("is-current");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function step(delta) {
    const index = current ? rows.indexOf(current) : -1;
    focusRow(rows[Math.min(Math.max(index + delta, 0), rows.length - 1)]);
  }

  function nextPending(row) {
    const start = rows.indexOf(row);
    const later = rows.slice(start + 1).concat(rows.slice(0, start));
    return later.find((r) => r.dataset.status === "pending") || row;
  }

  function announce(text, undoable) {
    status.textContent = text;
    if (undoable) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button queue-undo";
      button.textContent = "Undo (u)";
      button.addEventListener("click", undo);
      status.append(" ", button);
    }
  }

  function showState(row, data) {
    row.dataset.status = data.status;
    const state = row.querySelector("[data-status]");
    state.dataset.status = data.status;
    state.className = "queue-state queue-state--" + data.status;
    state.textContent = data.label;
    row.classList.toggle("is-decided", data.status !== "pending");
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token() },
    });
    const data = await response.json().catch(() => ({ error: "The server did not answer." }));
    if (!response.ok) throw new Error(data.error || "Refused.");
    return data;
  }

  async function decide(row, decision) {
    if (row.getAttribute("aria-busy") === "true") return; // one decision at a time
    const controls = row.querySelector(".queue-controls");
    if (!controls) return;
    // Reported rows carry Remove (r) and Dismiss (d) instead of the four decisions.
    const button =
      controls.querySelector('button[value="' + decision + '"]') ||
      controls.querySelector('button[aria-keyshortcuts="' + KEY_FOR[decision] + '"]');
    if (!button) return;
    decision = button.value;
    const body = new FormData();
    body.append("decision", decision);
    if (decision === "reject") {
      const reason = controls.querySelector(".queue-reason");
      if (!reason.value) {
        announce("Pick why it is rejected (1–5 or the arrows), then Enter.");
        reason.focus();
        return;
      }
      body.append("reason", reason.value);
    }
    row.setAttribute("aria-busy", "true");
    try {
      const data = await post(button.formAction, body);
      showState(row, data);
      if (lastDecision) clearTimeout(lastDecision.timer);
      lastDecision = null;
      if (!data.decision) {
        announce(data.decision_label + ": " + rowName(row) + ".");
        focusRow(nextPending(row));
        return;
      }
      lastDecision = {
        id: data.decision,
        row: row,
        timer: setTimeout(() => {
          lastDecision = null;
          status.querySelector(".queue-undo")?.remove();
        }, data.undo_seconds * 1000),
      };
      announce(data.decision_label + ": " + rowName(row) + ".", true);
      focusRow(nextPending(row));
    } catch (error) {
      announce(error.message);
    } finally {
      row.removeAttribute("aria-busy");
    }
  }

  async function undo() {
    if (!lastDecision) return;
    const { id, row, timer } = lastDecision;
    clearTimeout(timer);
    lastDecision = null;
    const body = new FormData();
    body.append("decision", id);
    try {
      const data = await post(undoUrl, body);
      showState(row, data);
      announce("Undone: " + rowName(row) + " is " + data.label.toLowerCase() + " again.");
      focusRow(row);
    } catch (error) {
      announce(error.message);
    }
  }

  function rowName(row) {
    const name = row.querySelector(".queue-name");
    return name ? "the reaction from " + name.textContent.trim() : "the reaction";
  }

  function toggleHelp() {
    if (help.open) help.close();
    else help.showModal();
  }

  table.addEventListener("click", (event) => {
    const button = event.target.closest(".queue-button");
    if (!button) {
      const row = event.target.closest("tr");
      if (row && !event.target.closest("a, input, select, button")) focusRow(row);
      return;
    }
    event.preventDefault();
    const row = button.closest("tr");
    focusRow(row);
    decide(row, button.value);
  });

  table.addEventListener("keydown", (event) => {
    const reason = event.target.closest(".queue-reason");
    if (!reason) return;
    const choice = Number(event.key);
    if (choice >= 1 && choice < reason.options.length) {
      reason.selectedIndex = choice;
    } else if (event.key !== "Enter") {
      if (event.key === "Escape") focusRow(reason.closest("tr"));
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (reason.value) decide(reason.closest("tr"), "reject");
  });

  const KEYS = { a: "approve", r: "reject", s: "spam", f: "feature", d: "dismiss" };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "?") {
      event.preventDefault();
      toggleHelp();
      return;
    }
    if (help.open) return;
    if (event.key === "j") step(1);
    else if (event.key === "k") step(-1);
    else if (event.key === "u") undo();
    else if (event.key === "x" && current) {
      current.querySelector("input.action-select")?.click();
    } else if (KEYS[event.key] && current) decide(current, KEYS[event.key]);
    else return;
    event.preventDefault();
  });

  document.querySelectorAll("[data-queue-help]").forEach((b) => b.addEventListener("click", toggleHelp));
  help.querySelector("[data-queue-help-close]").addEventListener("click", () => help.close());
  focusRow(rows.find((r) => r.dataset.status === "pending") || rows[0]);
});
