// Print every occurrence of every VEVENT in the given .ics files as Mozilla's ical.js
// (the parser of Thunderbird and Nextcloud) reads them: one line
// "FILE<TAB>UID<TAB>YYYYMMDDTHHMMSSZ" per start from WINDOW_START (inclusive) to
// WINDOW_END (exclusive), both UTC like 20260101T000000Z.
//
//   NODE_PATH=.tools/node_modules node icaljs_occurrences.cjs WINDOW_START WINDOW_END FILE...
//
// Events' TZIDs resolve to the VTIMEZONEs of their own file (ical.js has no zones of its own).
"use strict";
const fs = require("node:fs");
const ICAL = require("ical.js");

function unixSeconds(stamp) {  // 20260101T000000Z -> seconds since 1970
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(stamp);
  return Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) / 1000;
}

function utcStamp(seconds) {  // seconds since 1970 -> 20260101T000000Z
  return new Date(seconds * 1000).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

function printFile(path, start, end) {
  const calendar = new ICAL.Component(ICAL.parse(fs.readFileSync(path, "utf8")));
  const lines = [];
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    const occurrences = event.iterator();
    for (let next = occurrences.next(); next; next = occurrences.next()) {
      const seconds = next.toUnixTime();
      if (seconds >= end) break;
      if (seconds >= start) lines.push(`${path}\t${event.uid}\t${utcStamp(seconds)}\n`);
    }
  }
  process.stdout.write(lines.join(""));
}

const [windowStart, windowEnd, ...files] = process.argv.slice(2);
for (const path of files) printFile(path, unixSeconds(windowStart), unixSeconds(windowEnd));
