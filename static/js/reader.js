/* newsroom: count a read, first-party, and keep "2 hours ago" true on cached pages.
 *
 * 1. A story page marks its <article> with data-read-beacon (where to send) and
 *    data-story (which story). Once the page has been visible for two seconds (not
 *    while prerendered or in a background tab), one small POST goes to our own
 *    address: no cookie is set, no third party is involved, and the page never
 *    waits for it. The server decides what counts (articles/reads.py).
 * 3. Sharing: "Copy link" where the clipboard can be written, and the phone's own
 *    share sheet (Web Share API) on touch screens. The share links themselves are
 *    plain links that work without this script.
 * 2. <time data-relative> shows "5 minutes ago"; the page may come from a cache,
 *    so the words are recomputed from its datetime when the page is shown.
 */
(function () {
  "use strict";

  var VISIBLE_FOR_MS = 2000;

  function initBeacon() {
    var story = document.querySelector("[data-read-beacon][data-story]");
    if (!story || !navigator.sendBeacon) return;
    var sent = false;
    var timer = 0;
    function send() {
      if (sent) return;
      sent = true;
      var body = new URLSearchParams();
      body.set("story", story.getAttribute("data-story"));
      navigator.sendBeacon(story.getAttribute("data-read-beacon"), body);
    }
    function watch() {
      window.clearTimeout(timer);
      if (document.visibilityState === "visible" && !document.prerendering) {
        timer = window.setTimeout(send, VISIBLE_FOR_MS);
      }
    }
    document.addEventListener("visibilitychange", watch);
    if (document.prerendering) {
      document.addEventListener("prerenderingchange", watch, { once: true });
    }
    watch();
  }

  function ago(seconds) {
    if (seconds < 60) return "just now";
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes === 1 ? "1 minute ago" : minutes + " minutes ago";
    var hours = Math.floor(minutes / 60);
    return hours === 1 ? "1 hour ago" : hours + " hours ago";
  }

  function refreshTimes() {
    var now = Date.now();
    document.querySelectorAll("time[data-relative]").forEach(function (time) {
      var at = Date.parse(time.getAttribute("datetime") || "");
      if (isNaN(at)) return;
      var seconds = Math.max(0, (now - at) / 1000);
      // Older than a day, the server's exact date stays: it is already right.
      if (seconds < 86400) time.textContent = ago(seconds);
    });
  }

  function initShare() {
    var status = document.querySelector("[data-share-status]");
    function say(text) {
      if (status) status.textContent = text;
    }
    var copy = document.querySelector("[data-share-copy]");
    if (copy && navigator.clipboard && window.isSecureContext) {
      copy.closest("[data-share-copy-item]").hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(copy.getAttribute("data-share-copy")).then(
          function () { say("Link copied."); },
          function () { say("Could not copy the link."); }
        );
      });
    }
    var native = document.querySelector("[data-share-native]");
    var phone = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    if (native && navigator.share && phone) {
      native.closest("[data-share-native-item]").hidden = false;
      native.addEventListener("click", function () {
        navigator.share({
          title: native.getAttribute("data-share-title"),
          url: native.getAttribute("data-share-url")
        }).catch(function () { /* the reader closed the sheet */ });
      });
    }
  }

  initBeacon();
  refreshTimes();
  initShare();
})();
