/* Schedules, enhanced: show each meeting time in the visitor's own zone ("18:00 in Kyiv = 11:00
   your time") and re-evaluate "Next:" against the visitor's clock, so a page built weeks ago is
   still right. Without this script the page already shows local times and the build-day answer.

   Reads the data-* attributes of each .when block (templates/partials/schedule.html): data-zone
   (the hub's IANA zone), data-city, data-time (local start, HH:MM), data-minutes (length),
   data-meetings (UTC starts of the coming meetings, from the build's next meeting on) and
   data-more (the list was cut short). Text is set with textContent only. The one rule of the
   visitor's own clock (an instant read in the browser's zone: `yours`) is window.hubsiteTimes,
   which the finder's "in my own time zone" reads too (find.js). */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";

  function parts(date, zone, options, locale) {
    var found = {};
    var format = new Intl.DateTimeFormat(locale || lang, Object.assign({ timeZone: zone }, options));
    format.formatToParts(date).forEach(function (part) { found[part.type] = part.value; });
    return found;
  }

  /* A time as the page's language writes it: "6:00 PM" in English, "18:00" in Spanish. */
  function clock(date, zone) {
    return new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit", timeZone: zone }).format(date);
  }

  var WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], ownClock = null;

  /* An instant on the visitor's own clock: its weekday (Monday 0) and minutes after midnight (one
     format made once: the finder reads thousands of instants). */
  function yours(date) {
    ownClock = ownClock || new Intl.DateTimeFormat("en", { weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    var p = {};
    ownClock.formatToParts(date).forEach(function (part) { p[part.type] = part.value; });
    return { day: WEEKDAYS.indexOf(p.weekday), minutes: (Number(p.hour) % 24) * 60 + Number(p.minute) };
  }
  window.hubsiteTimes = {
    yours: yours,
    clock: function (date) { return clock(date, undefined); },  /* as the page's language writes it, on the visitor's clock */
    weekday: function (date) { return weekday(date, undefined); }
  };

  function weekday(date, zone) {
    return parts(date, zone, { weekday: "short" }).weekday;
  }

  /* As the build writes a meeting's date (CLDR's full date): "Thursday, December 3, 2026". */
  function longDate(date, zone) {
    return new Intl.DateTimeFormat(lang, { dateStyle: "full", timeZone: zone }).format(date);
  }

  function isoDate(date, zone) {
    var p = parts(date, zone, { year: "numeric", month: "2-digit", day: "2-digit" }, "en");
    return p.year + "-" + p.month + "-" + p.day;
  }

  /* "{time} in {city}" with values, in one pass (a city named "{yours}" stays as written). */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  /* The first meeting that has not ended by `now`: its index, or -1 when every listed one is over. */
  function coming(meetings, minutes, now) {
    for (var i = 0; i < meetings.length; i++) {
      if (meetings[i].getTime() + minutes * 60000 > now) return i;
    }
    return -1;
  }

  function showNext(next, meetings, index, now, when) {
    if (index === -1) {
      if (when.dataset.more === "true") next.hidden = true;  /* more meetings exist, unlisted: say nothing wrong */
      else next.textContent = next.dataset.none;
      return;
    }
    var meeting = meetings[index];
    var time = next.querySelector("time");
    if (index > 0 && time) {
      time.textContent = longDate(meeting, when.dataset.zone);
      time.dateTime = isoDate(meeting, when.dataset.zone);
    }
    if (meeting.getTime() <= now) {
      var flag = document.createElement("span");
      flag.className = "now";
      flag.textContent = " " + next.dataset.now;
      next.appendChild(flag);
    }
  }

  function showYours(slot, meeting, when) {
    var zone = when.dataset.zone;
    var mine = clock(meeting, undefined);
    var day = weekday(meeting, undefined);
    if (mine === clock(meeting, zone) && day === weekday(meeting, zone)) return;  /* same wall clock here and there */
    if (day !== weekday(meeting, zone)) mine = day + " " + mine;
    slot.textContent = fill(slot.dataset.text, { time: clock(meeting, zone), city: when.dataset.city, yours: mine });
    slot.hidden = false;
  }

  function enhance(when, now) {
    var meetings = (when.dataset.meetings || "").split(" ").filter(Boolean).map(function (text) { return new Date(text); });
    if (!meetings.length) return;
    var index = coming(meetings, Number(when.dataset.minutes) || 0, now);
    var next = when.querySelector(".next");
    if (next) showNext(next, meetings, index, now, when);
    var slot = when.querySelector(".yours");
    if (slot) showYours(slot, meetings[index === -1 ? meetings.length - 1 : index], when);
  }

  var now = Date.now();
  Array.prototype.forEach.call(document.querySelectorAll(".when[data-meetings]"), function (when) {
    try {
      enhance(when, now);
    } catch (error) {  /* a zone this browser does not know: leave the build's text as it is */
      if (window.console) console.warn("times.js:", error);
    }
  });
})();
