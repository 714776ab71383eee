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
