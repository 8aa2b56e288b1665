/* The application's records and ids (/host/apply/): what the form's answers become. A hub's id
   made from its name as hubsite/content/slugs.py id_from_name makes it (with the table Python
   hands the page), the YAML of a record, and the dates a session meets, as
   hubsite/content/dates.py counts them, for the checks the schema cannot express; and a
   correction: the visitor's changes put onto a hub's own record. No DOM here.

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

  /* --- a correction: the visitor's changes put onto a hub's own record --------------------------- */

  /* A correction changes only what the visitor changed: the form is read once as it opened on the
     record and again when sent, and the fields that differ are put onto the record as its file has
     them. Whatever the form does not show (the status, a zone, a group's sign-up page) or the
     visitor left alone (a text in several languages) stays as the file has it. Rows of course
     groups and facilitators are compared by their row key, which is the record's index for the
     rows the form opened with. */
  var ROWS = ["sessions", "facilitators"];
  var KEPT = ["status", "last_verified"];  /* the maintainers' to say, not a visitor's */

  function copyOf(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function isGroup(value) { return typeOf(value) === "object"; }

  /* What the form read ({hub, rows}) with its rows by key: {sessions: {"0": {...}, "3": {...}}}. */
  function keyedReading(reading) {
    var hub = copyOf(reading.hub);
    ROWS.forEach(function (kind) {
      var byKey = {};
      (reading.rows[kind] || []).forEach(function (key, i) { byKey[key] = hub[kind][i]; });
      hub[kind] = byKey;
    });
    KEPT.forEach(function (key) { delete hub[key]; });
    return hub;
  }

  /* Each field that differs between two keyed readings: {path, was, now}; a row added or removed whole. */
  function changedFields(before, after, path, out) {
    path = path || [];
    out = out || [];
    var keys = Object.keys(before || {});
    Object.keys(after || {}).forEach(function (key) { if (keys.indexOf(key) < 0) keys.push(key); });
    keys.forEach(function (key) {
      var was = before ? before[key] : undefined, now = after ? after[key] : undefined;
      if (same(was, now)) return;
      if (isGroup(was) && isGroup(now)) changedFields(was, now, path.concat(key), out);
      else out.push({ path: path.concat(key), was: was, now: now });
    });
    return out;
  }

  /* The text of several languages the form showed: the page's language, else the default, else the first. */
  function shownLanguage(texts, languages) {
    if (languages.page in texts) return languages.page;
    return languages.fallback in texts ? languages.fallback : Object.keys(texts)[0];
  }

  function shownText(value, languages) {
    return isGroup(value) ? value[shownLanguage(value, languages)] : value;
  }

  function setField(target, key, now, languages) {
    if (now === undefined) delete target[key];
    else if (typeof now === "string" && isGroup(target[key])) target[key][shownLanguage(target[key], languages)] = now;  /* one language's text */
    else target[key] = copyOf(now);
  }

  /* A field's change put onto the record: into a group (address, contact) or a row it names. */
  function putChange(record, change, languages) {
    var path = change.path, target = record;
    if (ROWS.indexOf(path[0]) >= 0) target = (record[path[0]] || [])[Number(path[1])];
    var inner = ROWS.indexOf(path[0]) >= 0 ? path.slice(2) : path;
    for (var i = 0; target && i < inner.length - 1; i++) {
      if (!isGroup(target[inner[i]])) target[inner[i]] = {};
      target = target[inner[i]];
    }
    if (target) setField(target, inner[inner.length - 1], change.now, languages);
  }

  /* The hub's record with the changes: rows removed and added whole, fields set, emptied groups gone. */
  function corrected(original, changes, languages) {
    var record = copyOf(original), removed = [], added = { sessions: [], facilitators: [] };
    changes.forEach(function (change) {
      var whole = ROWS.indexOf(change.path[0]) >= 0 && change.path.length === 2;
      var known = whole && Number(change.path[1]) < (original[change.path[0]] || []).length;
      if (whole && change.now === undefined) removed.push(change.path.join("."));
      else if (whole && !known) added[change.path[0]].push(copyOf(change.now));
      else if (whole) record[change.path[0]][Number(change.path[1])] = copyOf(change.now);
      else putChange(record, change, languages);
    });
    ROWS.forEach(function (kind) {
      var kept = (record[kind] || []).filter(function (row, i) { return removed.indexOf(kind + "." + i) < 0; }).concat(added[kind]);
      if (kept.length) record[kind] = kept; else delete record[kind];
    });
    Object.keys(record).forEach(function (key) {
      if (isGroup(record[key])) prune(record[key]);
    });
    return prune(record);
  }

  apply.records = {
    SLUG: SLUG, idFromName: idFromName, prune: prune, toYaml: toYaml,
    meetingDates: meetingDates, overlaps: overlaps, weekdayOf: weekdayOf,
    keyedReading: keyedReading, changedFields: changedFields, corrected: corrected, shownText: shownText
  };
})(window.hubsiteApply = window.hubsiteApply || {});
