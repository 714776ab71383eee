/* Embedded posts: swap a YouTube placeholder for the privacy-enhanced player on click,
   and drop "Expand" where a post's text already fits. Everything else works without JS. */
(function () {
  "use strict";
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

  function init() {
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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
