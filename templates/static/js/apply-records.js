/* The application's records and ids (/host/apply/): what the form's answers become. A hub's id
   made from its name as hubsite/content/slugs.py id_from_name makes it (with the table Python
   hands the page), the YAML of a record, and the dates a session meets, as
   hubsite/content/dates.py counts them, for the checks the schema cannot express. No DOM here.

   The YAML quotes every string with double quotes and escapes it, so that quotes, colons, '#', a
   leading '-', non-Latin text and values like NO are read back by our loader exactly as typed.

   The second of three classic scripts sharing window.hubsiteApply (after the schema checks,
   whose typeOf it uses; before the form). */
(function (apply) {
  "use strict";
  var typeOf = apply.schema.typeOf;
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

  /* --- ids made from names: what hubsite/content/slugs.py id_from_name does, with its `letters` --- */

  function romanised(value, letters) {
    var out = "";
    Array.from(value.normalize("NFC")).forEach(function (ch) {
      var c = ch.codePointAt(0);
      if (c < 0x80) out += ch;
      else if (c >= 0xac00 && c <= 0xd7a3) {  /* a Hangul syllable: its three letters */
        var s = c - 0xac00, h = letters.hangul;
        out += h.initial[Math.floor(s / 588)] + h.medial[Math.floor((s % 588) / 28)] + h.final[s % 28];
      } else out += letters.table[ch] || "";
    });
    return out;
  }

  function idFromName(value, letters) {
    var slug = romanised(value, letters).replace(/['\u2019\u02bc`]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (slug.length > 60) {
      var cut = slug.slice(0, 61).lastIndexOf("-");
      slug = cut > 0 ? slug.slice(0, cut) : slug.slice(0, 60);
    }
    return letters.reserved.indexOf(slug) >= 0 ? "" : slug;
  }

  /* --- records: empty answers left out ------------------------------------------------------------ */

  function prune(record) {
    Object.keys(record).forEach(function (key) {
      var value = record[key];
      if (value === undefined || (Array.isArray(value) && !value.length) || (typeOf(value) === "object" && !Object.keys(value).length)) delete record[key];
    });
    return record;
  }

  /* --- YAML that our strict loader reads back exactly ------------------------------------------- */

  function quote(value) {
    var out = '"';
    Array.from(value).forEach(function (ch) {
      var c = ch.codePointAt(0);
      if (ch === '"') out += '\\"';
      else if (ch === "\\") out += "\\\\";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\t") out += "\\t";
      else if (ch === "\r") out += "\\r";
      else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) {
        out += "\\u" + c.toString(16).padStart(4, "0");  /* YAML line breaks, BOMs and non-printables */
      } else out += ch;
    });
    return out + '"';
  }

  function scalar(value) { return typeof value === "number" ? String(value) : quote(String(value)); }

  function emit(record, indent, lines) {
    var pad = " ".repeat(indent);
    Object.keys(record).forEach(function (key) {
      var value = record[key];
      if (Array.isArray(value)) {
        lines.push(pad + key + ":");
        value.forEach(function (item) {
          if (typeOf(item) !== "object") { lines.push(pad + "  - " + scalar(item)); return; }
          var inner = emit(item, indent + 4, []);
          inner[0] = pad + "  - " + inner[0].slice(indent + 4);
          lines.push.apply(lines, inner);
        });
      } else if (typeOf(value) === "object") {
        lines.push(pad + key + ":");
        emit(value, indent + 2, lines);
      } else lines.push(pad + key + ": " + scalar(value));
    });
    return lines;
  }

  function toYaml(record, ref) {
    return emit(record, 0, ["# yaml-language-server: $schema=" + ref]).join("\n") + "\n";
  }

  /* --- the dates a session meets ------------------------------------------------------------------ */

  var DAY = 86400000;

  function meetingDates(session) {
    /* every date the pattern meets on, as hubsite/content/dates.py pattern_dates: every other week
       counts weeks from the first meeting's week, Monday to Sunday */
    var days = session.days || [session.day];
    var start = Date.parse(session.starts + "T00:00:00Z"), end = Date.parse(session.ends + "T00:00:00Z");
    var first = null;
    for (var t = start; t <= end && t < start + 7 * DAY; t += DAY) {
      if (days.indexOf(WEEKDAYS[(new Date(t).getUTCDay() + 6) % 7]) >= 0) { first = t; break; }
    }
    if (first === null) return [];
    var out = [], step = session.frequency === "biweekly" ? 14 : 7;
    for (var week = first - ((new Date(first).getUTCDay() + 6) % 7) * DAY; week <= end && out.length < 1200; week += step * DAY) {
      for (var offset = 0; offset < 7; offset++) {
        var day = week + offset * DAY;
        if (day >= first && day <= end && days.indexOf(WEEKDAYS[offset]) >= 0) out.push(new Date(day).toISOString().slice(0, 10));
      }
    }
    return out;
  }

  function overlaps(a, b) {
    if (!a.starts || !a.ends || !b.starts || !b.ends || a.starts > b.ends || b.starts > a.ends) return false;
    var ta = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(a.time || ""), tb = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(b.time || "");
    if (!ta || !tb || ta[1] >= tb[2] || tb[1] >= ta[2]) return false;
    var da = meetingDates(a);
    return meetingDates(b).some(function (day) { return da.indexOf(day) >= 0; });
  }

  function weekdayOf(isoDate) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
    return WEEKDAYS[(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay() + 6) % 7];
  }

  apply.records = {
    SLUG: SLUG, idFromName: idFromName, prune: prune, toYaml: toYaml,
    meetingDates: meetingDates, overlaps: overlaps, weekdayOf: weekdayOf
  };
})(window.hubsiteApply = window.hubsiteApply || {});
