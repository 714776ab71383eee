/* newsroom: the site's one small deferred script. Everything works without it;
 * it only improves two things on story pages.
 *
 * 1. Embedded posts: swap a YouTube placeholder for the privacy-enhanced player on
 *    click, and drop "Expand" where a post's text already fits.
 * 2. Fan reactions: the story page may come from a shared cache, so its form carries
 *    no CSRF token. Fetch a fresh one from an uncached endpoint just before sending,
 *    post with fetch and show the answer in the form's live region. Without this
 *    script the server asks the reader to confirm once, with a valid token.
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
