/* The application to host a hub (/host/apply/), the form: read the answers into records, check
   them (apply-schema.js against the published JSON Schema, embedded in the page as JSON so this
   works opened from disk too, and here the models' own rules), show each error next to its
   field, and write the hub's YAML record (and a new organisation's), which go with the
   applicant's details in an e-mail to the maintainers. Languages and courses are chosen by
   name, the venue's point on a map or from a pasted openstreetmap.org link, the id is made from
   the name (apply-records.js). No framework, no third-party code but Leaflet for the map.

   The last of three classic scripts sharing window.hubsiteApply, loaded with defer after the
   schema checks and the records and ids. */
(function (apply) {
  "use strict";
  var form = document.getElementById("apply-form");
  if (!form || !window.Array.from || !apply.schema || !apply.records) return;
  var data = JSON.parse(document.getElementById("apply-data").textContent);
  var text = JSON.parse(document.getElementById("apply-messages").textContent);
  var NEW_PARTNER = "+new";
  var records = apply.records, SLUG = records.SLUG, prune = records.prune;

  function say(key, values) {
    return (text[key] || key).replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  var schemaErrors = apply.schema.validator(say);
  /* --- reading the form into records ------------------------------------------------------------ */

  function control(name) { return form.elements.namedItem(name); }

  function textOf(name, root) {
    var el = root ? root.querySelector('[name="' + name + '"]') : control(name);
    var value = el ? el.value.trim() : "";
    return value === "" ? undefined : value;
  }

  function numberOf(name) {
    var el = control(name);
    if (el && el.validity && el.validity.badInput) return "?";  /* typed, but not a number: the schema says so */
    var value = textOf(name);
    return value === undefined ? undefined : Number(value);
  }

  function checked(name) {
    return Array.from(form.querySelectorAll('input[name="' + name + '"]:checked')).map(function (el) { return el.value; });
  }

  function languageCode(name) {
    var key = name.trim().toLowerCase();
    return data.languageNames[key] || (/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(key) ? name.trim() : null);
  }

  function rowKeys(kind) {
    return Array.from(document.querySelectorAll('[data-rows-box="' + kind + '"] > [data-row]')).map(function (row) { return row.getAttribute("data-row"); });
  }

  function readSession(key, problems) {
    var p = "sessions." + key + ".";
    var days = checked(p + "days");
    var from = textOf(p + "from"), to = textOf(p + "to");
    var exceptions = Array.from(form.querySelectorAll('input[name="' + p + 'exceptions"]'))
      .map(function (el) { return el.value; }).filter(Boolean);
    exceptions = exceptions.filter(function (day, i) { return exceptions.indexOf(day) === i; }).sort();
    var language = textOf(p + "language");
    var code = language && languageCode(language);
    if (language && !code) problems.push({ path: ["sessions", key, "language"], message: say("unknownLanguage", { name: language }), row: true });
    var session = prune({
      course: textOf(p + "course"),
      course_url: textOf(p + "course_url"),
      starts: textOf(p + "starts"),
      ends: textOf(p + "ends"),
      day: days.length === 1 ? days[0] : undefined,
      days: days.length > 1 ? days : undefined,
      time: from || to ? (from || "") + "-" + (to || "") : undefined,
      frequency: textOf(p + "frequency") === "biweekly" ? "biweekly" : undefined,
      exceptions: exceptions,
      language: code || undefined,
      facilitator: textOf(p + "facilitator"),
      capacity: numberOf(p + "capacity")
    });
    prune(Object.assign(session, howItMeets(p), signUp(p)));
    if (!Object.keys(session).length) return null;
    session.time = session.time || undefined;
    return session;
  }

  /* How a group meets, the default (in person) left out as frequency's is; the video call's link
     only for a group that meets by one, whatever the hidden field still holds. */
  function howItMeets(p) {
    var mode = textOf(p + "mode");
    var byCall = mode !== undefined && mode !== "in-person";
    return { mode: byCall ? mode : undefined, online_url: byCall ? textOf(p + "online_url") : undefined };
  }

  /* Whether learners can sign up (the default, open, left out), and the dates that bound it. */
  function signUp(p) {
    var signup = textOf(p + "signup");
    return {
      signup: signup === "open" ? undefined : signup,
      signup_opens: textOf(p + "signup_opens"), signup_closes: textOf(p + "signup_closes"), join_until: textOf(p + "join_until")
    };
  }

  function today() {
    var d = new Date();
    return [d.getFullYear(), String(d.getMonth() + 1).padStart(2, "0"), String(d.getDate()).padStart(2, "0")].join("-");
  }

  function readLanguages(problems) {
    var codes = checked("languages");
    (textOf("languages.other") || "").split(/[,;\u060c\u3001\uff0c\uff1b]+/).map(function (name) { return name.trim(); }).filter(Boolean).forEach(function (name) {
      var code = languageCode(name);
      if (!code) problems.push({ path: ["languages", "other"], message: say("unknownLanguage", { name: name }) });
      else if (codes.indexOf(code) < 0) codes.push(code);
    });
    return codes;
  }

  function readForm() {
    var problems = [];  /* what reading found: names that are no language */
    var sessions = [], rows = { sessions: [], facilitators: [] };
    rowKeys("sessions").forEach(function (key) {
      var session = readSession(key, problems);
      if (session) { sessions.push(session); rows.sessions.push(key); }
    });
    var facilitators = [];
    rowKeys("facilitators").forEach(function (key) {
      var p = "facilitators." + key + ".";
      var person = prune({ name: textOf(p + "name"), bio: textOf(p + "bio") });
      if (Object.keys(person).length) { facilitators.push(person); rows.facilitators.push(key); }
    });
    var host = textOf("host");
    var isNew = host === NEW_PARTNER;
    var partnerId = textOf("partner.id");
    var started = sessions.some(function (s) { return s.starts && s.starts <= today(); });
    var hub = prune({
      name: textOf("name"),
      status: started ? undefined : "upcoming",
      host: isNew ? partnerId : host,
      address: prune({
        line1: textOf("address.line1"), line2: textOf("address.line2"), city: textOf("address.city"),
        region: textOf("address.region"), postal_code: textOf("address.postal_code"), country: textOf("address.country")
      }),
      location: prune({ lat: numberOf("location.lat"), lon: numberOf("location.lon") }),
      languages: readLanguages(problems),
      facilities: checked("facilities"),
      contact: prune({ email: textOf("contact.email"), phone: textOf("contact.phone"), url: textOf("contact.url") }),
      signup_url: textOf("signup_url"),
      summary: textOf("summary"),
      last_verified: today(),
      description: textOf("description"),
      facilitators: facilitators,
      sessions: sessions
    });
    if (!hub.address) hub.address = {};
    var partner = isNew ? prune({ name: textOf("partner.name"), kind: textOf("partner.kind"), website: textOf("partner.website") }) : null;
    var applicant = { name: textOf("applicant.name"), role: textOf("applicant.role"), email: textOf("applicant.email"), phone: textOf("applicant.phone") };
    var how = (form.querySelector('input[name="location.how"]:checked') || {}).value;
    return {
      hub: hub, partner: partner, slug: textOf("slug"), partnerId: partnerId, isNew: isNew, rows: rows, problems: problems,
      applicant: applicant, message: textOf("message"), agreed: control("agree").checked, how: how, link: textOf("location.link")
    };
  }

  /* --- where the venue is: a point picked on the map, or read from a pasted link --------------- */

  function pointOf(link) {
    var number = "(-?\\d{1,3}(?:\\.\\d+)?)";
    var url;
    try { url = new URL(link); } catch (e) { url = null; }
    var params = url ? url.searchParams : new URLSearchParams("");
    var hash = url ? new URLSearchParams(url.hash.replace(/^#/, "")) : new URLSearchParams("");
    var pairs = [
      [params.get("mlat"), params.get("mlon")],  /* a marker: the point itself */
      (new RegExp("^\\s*" + number + "\\s*,\\s*" + number + "\\s*$").exec(params.get("query") || "") || []).slice(1),  /* "Show address" */
      [params.get("lat"), params.get("lon")],
      (new RegExp("^\\d+/" + number + "/" + number + "$").exec(hash.get("map") || "") || []).slice(1),  /* the view's centre */
      (new RegExp("^geo:" + number + "," + number).exec(link) || []).slice(1),
      (new RegExp("@" + number + "," + number).exec(link) || []).slice(1)
    ];
    for (var i = 0; i < pairs.length; i++) {
      var lat = Number(pairs[i][0]), lon = Number(pairs[i][1]);
      if (pairs[i][0] && pairs[i][1] && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) return [round(lat), round(lon)];
    }
    return null;
  }

  function round(value) { return Math.round(value * 1e5) / 1e5; }  /* about a metre */

  function setPoint(lat, lon) {
    control("location.lat").value = String(lat);
    control("location.lon").value = String(lon);
    document.getElementById("picked").textContent = say("picked", { lat: lat, lon: lon });
  }

  var pickMap = null, pickMarker = null;

  /* Leaflet is fetched only when the map is asked for: most applicants never open it. */
  function withLeaflet(ready) {
    if (window.L) return ready();
    var box = document.getElementById("pick-map");
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = box.getAttribute("data-load-css");
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = box.getAttribute("data-load-js");
    script.onload = ready;
    document.head.appendChild(script);
  }

  function showPicker() {
    document.getElementById("location-picker").hidden = false;
    if (pickMap) return;
    pickMap = "loading";
    withLeaflet(makePicker);
  }

  function makePicker() {
    var cfg = data.map;
    pickMap = L.map("pick-map", cfg.options);
    L.tileLayer(cfg.tiles.url, cfg.tiles.options).addTo(pickMap);
    var lat = Number(control("location.lat").value), lon = Number(control("location.lon").value);
    if (control("location.lat").value && control("location.lon").value) {
      pickMarker = L.marker([lat, lon], { keyboard: false }).addTo(pickMap);
      pickMap.setView([lat, lon], 17);
    }
    pickMap.on("click", function (event) {
      var point = [round(event.latlng.lat), round(event.latlng.wrap().lng)];
      if (pickMarker) pickMarker.setLatLng(point); else pickMarker = L.marker(point, { keyboard: false }).addTo(pickMap);
      setPoint(point[0], point[1]);
      form.dispatchEvent(new Event("change"));
    });
  }

  function showLocationWay() {
    var how = (form.querySelector('input[name="location.how"]:checked') || {}).value;
    document.getElementById("location-link").hidden = how !== "link";
    if (how === "map") showPicker(); else document.getElementById("location-picker").hidden = true;
  }

  /* --- checks the schema cannot express (the models' cross-field checks, ids that exist) ------- */

  var EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;

  function formChecks(r) {
    var errors = r.problems.slice();
    function add(path, key, values) { errors.push({ path: path, message: say(key, values) }); }
    if (!r.applicant.name) add(["applicant", "name"], "required");
    if (!r.applicant.email) add(["applicant", "email"], "required");
    else if (!EMAIL.test(r.applicant.email)) add(["applicant", "email"], "email");
    if (!r.slug) add(["slug"], r.hub.name ? "slugEmpty" : "required");
    else if (!SLUG.test(r.slug)) add(["slug"], "slugPattern");
    else if (data.hubs.indexOf(r.slug) >= 0 && !(correction && r.slug === correction.slug)) add(["slug"], "slugTaken");
    if (r.isNew && !r.partner.name) add(["partner", "name"], "partnerName");
    if (r.isNew && !r.partnerId) add(["partner", "id"], r.partner.name ? "slugEmpty" : "partnerId");
    else if (r.isNew && !SLUG.test(r.partnerId)) add(["partner", "id"], "slugPattern");
    else if (r.isNew && data.partners.indexOf(r.partnerId) >= 0) add(["partner", "id"], "partnerTaken");
    var lat = textOf("location.lat"), lon = textOf("location.lon");
    if (r.how === "link" && !r.link) add(["location", "link"], "required");
    else if (r.how === "link" && !pointOf(r.link)) add(["location", "link"], "linkNoPoint");
    else if (r.how === "map" && !lat && !lon) add(["location"], "mapNoPoint");
    else if (!lat !== !lon) add(["location"], "coordinatesBoth");
    var names = (r.hub.facilitators || []).map(function (f) { return f.name; });
    (r.hub.sessions || []).forEach(function (s, i) {
      var at = ["sessions", i];
      if (!s.day && !s.days) add(at.concat("days"), "days");
      if (s.time && !/^\d\d:\d\d-\d\d:\d\d$/.test(s.time)) add(at.concat("time"), "timeBoth");
      var times = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(s.time || "");
      if (times && times[2] <= times[1]) add(at.concat("time"), "timeOrder");
      if (s.facilitator && names.length && names.indexOf(s.facilitator) < 0) add(at.concat("facilitator"), "unknownFacilitator");
      signUpChecks(s, at, add);
      if (!apply.schema.isDate(s.starts || "") || !apply.schema.isDate(s.ends || "")) return;
      if (s.ends < s.starts) { add(at.concat("ends"), "endsBefore"); return; }
      var dates = (s.day || s.days) ? records.meetingDates(s) : null;
      if (dates && !dates.length) add(at.concat("days"), "neverMeets");
      (s.exceptions || []).forEach(function (day) {
        if (day < s.starts || day > s.ends) add(at.concat("exceptions"), "exceptionOutside", { date: day });
        else if (dates && dates.length && dates.indexOf(day) < 0) add(at.concat("exceptions"), "exceptionNotMeeting", { date: day, weekday: weekdayName(records.weekdayOf(day)), days: dayList(s.days || [s.day]) });
      });
      for (var j = 0; j < i; j++) {
        var other = r.hub.sessions[j];
        if (courseName(other) === courseName(s) && records.overlaps(other, s)) { add(at.concat("course"), "duplicateCourse"); break; }
      }
    });
    if (!r.agreed && !correction) add(["agree"], "agree");  /* a correction is no application to host */
    if (correction && !r.changes.length && !r.message) add([], "correctionNothing");  /* "it has closed" may be a message alone */
    return errors;
  }

  /* A course's name to compare, case aside: a corrected record may hold it in several languages. */
  function courseName(session) { return String(records.shownText(session.course || "", languages)).toLowerCase(); }
  /* The sign-up dates' order, as the Session model checks it: opens before it closes, both by the
     last meeting, and a newcomer's last day to join within the group's dates. */
  function signUpChecks(s, at, add) {
    var isDate = apply.schema.isDate;
    var opens = isDate(s.signup_opens || "") && s.signup_opens, closes = isDate(s.signup_closes || "") && s.signup_closes;
    var ends = isDate(s.ends || "") && s.ends, starts = isDate(s.starts || "") && s.starts;
    if (opens && closes && closes < opens) add(at.concat("signup_closes"), "signupOrder");
    else if (ends && closes && closes > ends) add(at.concat("signup_closes"), "signupAfterEnd", { date: closes });
    if (ends && opens && opens > ends) add(at.concat("signup_opens"), "signupAfterEnd", { date: opens });
    var until = isDate(s.join_until || "") && s.join_until;
    if (until && starts && ends && (until < starts || until > ends)) add(at.concat("join_until"), "exceptionOutside", { date: until });
  }

  /* The video call's field, for a group that meets by one: shown as its row's mode says. */
  function showOnlineLink(row) {
    var mode = row.querySelector("[data-mode]"), link = row.querySelector("[data-online-link]");
    if (mode && link) link.hidden = mode.value === "in-person";
  }

  function validateAll(r) {
    var hubSchema = data.schemas.hub, partnerSchema = data.schemas.partner;
    var errors = schemaErrors(hubSchema, r.hub).filter(function (e) {
      return !(r.isNew && e.path[0] === "host") && !(e.path[0] === "status");  /* the new organisation's id is checked as partner.id */
    });
    if (r.partner) {
      errors = errors.concat(schemaErrors(partnerSchema, r.partner).map(function (e) {
        return { path: ["partner"].concat(e.path), message: e.message };
      }));
    }
    var seen = {};
    /* One message per field, the first: the form's own wording before the schema's. */
    return formChecks(r).concat(errors).filter(function (e) {
      var key = slotKey(e.path, r.rows, e.row) + " " + e.message;
      var field = slotKey(e.path, r.rows, e.row);
      if (seen[field] && !/exception/.test(field)) return false;
      if (seen[key]) return false;
      seen[key] = seen[field] = true;
      return true;
    });
  }

  /* --- showing errors next to fields ------------------------------------------------------------ */

  var summary = document.getElementById("apply-errors");

  /* A record path -> the form's data-path: row indexes become row keys, day-level rules the days box. */
  function slotKey(path, rows, byKey) {
    var parts = path.slice();
    if ((parts[0] === "sessions" || parts[0] === "facilitators") && parts.length > 1) {
      if (!byKey) parts[1] = rows[parts[0]][parts[1]];
      if (parts[0] === "sessions" && (parts.length === 2 || parts[2] === "day" || parts[2] === "days")) parts = parts.slice(0, 2).concat("days");
      if (parts[2] === "exceptions") parts = parts.slice(0, 3);
    }
    if (parts[0] === "languages" && parts[1] !== "other") parts = parts.slice(0, 1);
    if (parts[0] === "facilities") parts = parts.slice(0, 1);
    return parts.join(".");
  }

  function slotFor(key) {
    var parts = key.split(".");
    while (parts.length) {
      var slot = form.querySelector('[data-path="' + parts.join(".") + '"]');
      if (slot) return slot;
      parts.pop();
    }
    return null;
  }

  function ownError(slot) {
    return Array.from(slot.children).filter(function (el) { return el.classList.contains("field-error"); })[0];
  }

  function controlsOf(slot) {
    return slot.hasAttribute("data-row") ? [] : Array.from(slot.querySelectorAll("input, select, textarea"));
  }

  function setError(slot, message) {
    var p = ownError(slot);
    if (!p) return;
    p.textContent = message;
    p.hidden = !message;
    controlsOf(slot).forEach(function (el) {
      var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id !== p.id; });
      if (message) { el.setAttribute("aria-invalid", "true"); ids.push(p.id); } else el.removeAttribute("aria-invalid");
      if (ids.length) el.setAttribute("aria-describedby", ids.join(" ")); else el.removeAttribute("aria-describedby");
    });
  }

  function labelOf(slot) {
    var label = slot.querySelector("label, legend");
    if (!label) return "";
    var copy = label.cloneNode(true);
    copy.querySelectorAll(".required, input").forEach(function (el) { el.remove(); });  /* "(required)" is said by the message */
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function showErrors(errors, r, moveFocus) {
    form.querySelectorAll("[data-path]").forEach(function (slot) { setError(slot, ""); });
    var messages = new Map();
    errors.map(function (e) { return { slot: slotFor(slotKey(e.path, r.rows, e.row)) || form, message: e.message }; })
      .sort(function (a, b) {  /* in page order; errors without a field first */
        return a.slot === b.slot ? 0 : a.slot.compareDocumentPosition(b.slot) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      })
      .forEach(function (e) { messages.set(e.slot, (messages.has(e.slot) ? messages.get(e.slot) + " " : "") + e.message); });
    messages.forEach(function (message, slot) {
      if (slot === form) return;
      setError(slot, message);
      var details = slot.closest("details");
      if (details) details.open = true;
    });
    summary.hidden = !errors.length;
    if (!errors.length) return;
    summary.querySelector("h2").textContent = messages.size === 1 ? say("summaryOne") : say("summaryMany", { n: messages.size });
    var list = summary.querySelector("ul");
    list.textContent = "";
    messages.forEach(function (message, slot) {
      var target = controlsOf(slot)[0] || slot.querySelector("input, select, textarea");
      var item = document.createElement("li");
      var link = document.createElement(target ? "a" : "span");
      if (target) link.href = "#" + target.id;
      link.textContent = (slot === form ? "" : labelOf(slot) + ": ") + message;
      item.appendChild(link);
      list.appendChild(item);
    });
    if (moveFocus) summary.focus();
  }

  /* --- weekdays by name, in the page's language (the names come from Python, with the page) ----- */

  function weekdayName(day) { return data.weekdayNames[day] || day; }

  function dayList(days) {
    var names = days.map(weekdayName);
    try { return new Intl.ListFormat(document.documentElement.lang, { type: "conjunction" }).format(names); } catch (e) { return names.join(", "); }
  }

  /* --- the result: e-mail, a form handler, copy, download, GitHub ------------------------------- */

  var result = document.getElementById("apply-result");
  var GITHUB_LIMIT = 8000;  /* longer URLs risk "414 URI Too Long" */
  var downloads = [];
  var copies = {};  /* texts to copy that no field on the page shows: the whole application */

  function githubLink(path, yaml) {
    return data.githubNew + "?filename=" + encodeURIComponent(path).replace(/%2F/g, "/") + "&value=" + encodeURIComponent(yaml);
  }

  /* The applicant's details and message are in the e-mail only: never in a record, never in a link to GitHub. */
  function mailBody(r, files) {
    var a = r.applicant;
    var lines = [correction ? say("correctionIntro", { name: correction.name, url: correction.url }) : say("mailIntro"), "", say("mailFrom", { name: a.name })];
    if (a.role) lines.push(say("mailRole", { role: a.role }));
    lines.push(say("mailEmail", { email: a.email }));
    if (a.phone) lines.push(say("mailPhone", { phone: a.phone }));
    if (r.message) lines.push("", say("mailMessage"), r.message);
    if (r.how === "link" && r.link) lines.push("", say("mailLocation", { link: r.link }));
    if (correction) {
      lines.push("", say("correctionChanges"));
      changeLines(r.changes).forEach(function (line) { lines.push("- " + line); });
    }
    lines.push("", say("mailRecord"));
    files.forEach(function (file) { lines.push("", file.path, "", file.yaml); });
    return lines.join("\n");
  }

  /* The whole application as one text, for webmail and shared computers: who it goes to, then the e-mail's subject and body. */
  function applicationText(r, files) {
    return [say("mailTo", { email: data.contactEmail }), subjectOf(r), "", mailBody(r, files)].join("\n");
  }

  function subjectOf(r) {
    return correction ? say("correctionSubject", { name: correction.name }) : say("mailSubject", { name: r.hub.name });
  }

  function mailLink(r, files) {
    var at = data.contactEmail.lastIndexOf("@");
    var address = encodeURIComponent(data.contactEmail.slice(0, at)) + data.contactEmail.slice(at);
    return "mailto:" + address + "?subject=" + encodeURIComponent(subjectOf(r)) +
      "&body=" + encodeURIComponent(mailBody(r, files).replace(/\n/g, "\r\n"));
  }

  function showFile(kind, file) {
    var box = document.getElementById(kind + "-record");
    box.hidden = !file;
    if (!file) return;
    box.querySelector("[data-file]").textContent = file.path;
    document.getElementById(kind + "-yaml").value = file.yaml;
    var download = document.getElementById(kind + "-download");
    var url = URL.createObjectURL(new Blob([file.yaml], { type: "application/yaml" }));
    downloads.push(url);
    download.href = url;
    download.setAttribute("download", file.path.split("/").pop());
  }

  function showGithub(files) {
    var hubLink = document.getElementById("send-github");
    if (!hubLink) return;
    var partnerLink = document.getElementById("send-github-partner");
    var links = files.map(function (file) { return githubLink(file.path, file.yaml); });
    var tooLong = links.some(function (link) { return link.length > GITHUB_LIMIT; });
    document.getElementById("github-too-long").hidden = !tooLong;
    hubLink.href = tooLong ? data.githubNew : links[0];
    partnerLink.hidden = files.length < 2;
    if (files.length > 1) partnerLink.href = tooLong ? data.githubNew : links[1];
  }

  function recordFiles(r) {
    var slug = correction ? correction.slug : r.slug;
    var files = [{ path: data.folders.hub + slug + ".yaml", yaml: records.toYaml(r.hub, data.refs.hub) }];
    if (r.partner) files.push({ path: data.folders.partner + r.partnerId + ".yaml", yaml: records.toYaml(r.partner, data.refs.partner) });
    return files;
  }

  function showApplication(r, files) {
    var whole = applicationText(r, files);
    var url = URL.createObjectURL(new Blob([whole], { type: "text/plain;charset=utf-8" }));
    downloads.push(url);
    var download = document.getElementById("application-download");
    download.href = url;
    download.setAttribute("download", "learning-hub-application-" + r.slug + ".txt");
    copies.application = whole;
  }

  /* With application_endpoint, the answers go to it as posted fields: the records and the whole text in hidden fields. */
  function fillPosted(r, files) {
    control("application").value = applicationText(r, files);
    control("hub_record").value = files[0].yaml;
    control("partner_record").value = files[1] ? files[1].yaml : "";
  }

  function showRecord(r, moveFocus) {
    downloads.forEach(function (url) { URL.revokeObjectURL(url); });
    downloads = [];
    var files = recordFiles(r);
    showFile("hub", files[0]);
    showFile("partner", files[1]);
    showApplication(r, files);
    document.getElementById("send-mail").href = mailLink(r, files);
    showGithub(files);
    if (correction) showCorrection(r);
    document.getElementById("copy-status").textContent = "";
    document.getElementById("copy-all-status").textContent = "";
    result.hidden = false;
    if (moveFocus) document.getElementById("apply-result-title").focus();
  }

  function copy(button) {
    var id = button.getAttribute("data-copy");
    var status = document.getElementById(button.getAttribute("data-status") || "copy-status");
    var area = document.getElementById(id);
    var value = area ? area.value : copies[id];
    function fallback() {
      var temporary = !area && document.body.appendChild(document.createElement("textarea"));
      if (temporary) temporary.value = value;
      (area || temporary).select();
      status.textContent = document.execCommand && document.execCommand("copy") ? say("copied") : say("copyFailed");
      if (temporary) temporary.remove();
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(value).then(function () { status.textContent = say("copied"); }, fallback);
    } else fallback();
  }

  /* --- rows of course groups and facilitators, dates without meetings --------------------------- */

  var MAX_ROWS = { sessions: 12, facilitators: 10 };
  var nextKey = { sessions: rowKeys("sessions").length, facilitators: rowKeys("facilitators").length };

  function renumber(kind) {
    var rows = document.querySelectorAll('[data-rows-box="' + kind + '"] > [data-row]');
    rows.forEach(function (row, i) {
      row.querySelector("[data-row-number]").textContent = String(i + 1);
      row.querySelector("[data-remove]").hidden = rows.length < 2;
    });
    document.querySelector('[data-add-row="' + kind + '"]').hidden = rows.length >= MAX_ROWS[kind];
  }

  function renamed(fragment, from, to) {
    fragment.querySelectorAll("*").forEach(function (el) {
      ["id", "for", "name", "data-path", "data-row", "aria-describedby"].forEach(function (name) {
        if (el.hasAttribute(name)) el.setAttribute(name, el.getAttribute(name).split(from).join(to));
      });
    });
    return fragment;
  }

  function appendRow(kind) {
    var key = String(nextKey[kind]++);
    var box = document.querySelector('[data-rows-box="' + kind + '"]');
    box.appendChild(renamed(document.getElementById("row-template-" + kind).content.cloneNode(true), "__N__", key));
    wireRow(box.lastElementChild);
    renumber(kind);
    return box.lastElementChild;
  }

  function addRow(kind) { appendRow(kind).querySelector("input").focus(); }

  function addException(row) { appendException(row).focus(); }

  function appendException(row) {
    var list = row.querySelector("[data-exception-list]");
    var inputs = list.querySelectorAll("input");
    var last = inputs[inputs.length - 1];
    var item = last.parentNode.cloneNode(true);
    var id = last.id.replace(/-(\d+)$/, function (all, n) { return "-" + (Number(n) + 1); });
    item.querySelector("label").setAttribute("for", id);
    var input = item.querySelector("input");
    input.id = id;
    input.value = "";
    input.removeAttribute("aria-invalid");
    list.appendChild(item);
    return input;
  }

  function wireRow(row) {
    showOnlineLink(row);
    var more = row.querySelector("[data-add-exception]");
    if (more) more.hidden = false;
    var course = row.querySelector("[data-course]");
    if (course) course.addEventListener("change", function () {  /* a course hubs already run: its page too */
      var url = data.courseUrls[course.value.trim()];
      var field = row.querySelector('input[name$=".course_url"]');
      if (url && !field.value) field.value = url;
    });
  }

  function listFacilitators() {
    var list = document.getElementById("facilitator-names");
    list.textContent = "";
    form.querySelectorAll("[data-facilitator-name]").forEach(function (input) {
      if (!input.value.trim()) return;
      var option = document.createElement("option");
      option.value = input.value.trim();
      list.appendChild(option);
    });
  }

  /* --- suggested ids, the new organisation box --------------------------------------------------- */

  function suggest(from, to) {
    var source = control(from), target = control(to);
    target.addEventListener("input", function () { target.setAttribute("data-edited", ""); });
    source.addEventListener("input", function () {
      if (!target.hasAttribute("data-edited")) target.value = records.idFromName(source.value, data.transliteration);
    });
  }

  function showNewPartner() {
    document.getElementById("new-partner").hidden = control("host").value !== NEW_PARTNER;
  }

  /* --- a correction: the form opened on a hub's record (?hub=SLUG) ---------------------------------- */

  /* The hub being corrected: its slug, name, page and record as its file has them, and what the
     form read when it opened on it (apply-records.js compares the answers with that). */
  var correction = null;
  var languages = { page: data.correction.language, fallback: data.correction.defaultLanguage };
  var MAX_SLUG = 80;

  function sayProblem(key) {
    var box = document.getElementById("correction-problem");
    box.textContent = say(key);
    box.hidden = false;
  }

  /* The record comes in a classic script beside the hub's page (hubs/SLUG/record.js): a page opened
     from disk may load a script, not fetch a file. Only a slug of this site is asked for. */
  function openCorrection() {
    var slug = new URLSearchParams(window.location.search).get("hub");
    if (slug === null) return;
    if (slug.length > MAX_SLUG || !SLUG.test(slug) || data.hubs.indexOf(slug) < 0) return sayProblem("correctionUnknown");
    var script = document.createElement("script");
    script.src = data.correction.script.replace("{slug}", slug);
    script.onload = function () {
      var found = (window.hubsiteRecords || []).filter(function (item) { return item.slug === slug; })[0];
      if (found) startCorrection(found); else sayProblem("correctionMissing");
    };
    script.onerror = function () { sayProblem("correctionMissing"); };
    document.head.appendChild(script);
  }

  function startCorrection(found) {
    var name = records.shownText(found.record.name, languages);
    fillForm(found.slug, found.record);
    correction = { slug: found.slug, name: name, url: data.correction.hubUrl.replace("{slug}", found.slug), record: found.record };
    correction.before = records.keyedReading(readForm());
    showNewPartner();
    document.querySelector("h1").textContent = say("correctionTitle", { hub: name });
    document.getElementById("correction-for").textContent = say("correctionFor", { hub: name });
    document.getElementById("correction-intro").hidden = false;
    document.querySelector("h1 + .lead").hidden = true;  /* what an application takes: the intro says what a correction is */
    document.getElementById("apply-result-title").textContent = say("correctionReady");
    [slotFor("slug"), slotFor("agree")].forEach(function (slot) { slot.hidden = true; });  /* the file keeps its name; no code of conduct to sign */
  }

  /* What is sent: the record with the visitor's changes, and the changes themselves. */
  function readAnswers() {
    var r = readForm();
    if (!correction) return r;
    r.changes = records.changedFields(correction.before, records.keyedReading(r));
    r.hub = records.corrected(correction.record, r.changes, languages);
    r.rows = { sessions: rowsOfRecord(r, "sessions"), facilitators: rowsOfRecord(r, "facilitators") };
    return r;
  }

  /* The row keys in the corrected record's order (the rows it kept, then new ones), for the errors beside fields. */
  function rowsOfRecord(r, kind) {
    var keys = rowKeys(kind), count = (correction.record[kind] || []).length;
    var gone = r.changes.filter(function (c) { return c.path[0] === kind && c.path.length === 2 && c.now === undefined; }).map(function (c) { return c.path[1]; });
    var old = [], added = [];
    for (var i = 0; i < count; i++) if (gone.indexOf(String(i)) < 0) old.push(String(i));
    keys.forEach(function (key) { if (Number(key) >= count && r.rows[kind].indexOf(key) >= 0) added.push(key); });
    return old.concat(added);
  }

  /* --- filling the form with a record ---------------------------------------------------------------- */

  function setValue(name, value, root) {
    var el = root ? root.querySelector('[name="' + name + '"]') : control(name);
    if (el && value !== undefined && value !== null) el.value = String(records.shownText(value, languages));
  }

  function tick(name, values) {
    (values || []).forEach(function (value) {
      var box = form.querySelector('input[name="' + name + '"][value="' + CSS.escape(value) + '"]');
      if (box) box.checked = true;
    });
  }

  /* A language by its name on the page (a ticked box's label), else its code, which the form reads too. */
  function languageLabel(code) {
    var box = document.getElementById("f-languages-" + code);
    return box ? box.parentNode.textContent.trim() : code;
  }

  function fillForm(slug, record) {
    ["name", "summary", "description", "host", "signup_url"].forEach(function (name) { setValue(name, record[name]); });
    ["line1", "line2", "city", "region", "postal_code", "country"].forEach(function (name) { setValue("address." + name, (record.address || {})[name]); });
    ["email", "phone", "url"].forEach(function (name) { setValue("contact." + name, (record.contact || {})[name]); });
    if (record.location) { setValue("location.lat", record.location.lat); setValue("location.lon", record.location.lon); }
    tick("facilities", record.facilities);
    var other = (record.languages || []).filter(function (code) { return !document.getElementById("f-languages-" + code); });
    tick("languages", record.languages);
    setValue("languages.other", other.join(", "));
    setValue("slug", slug);
    control("slug").setAttribute("data-edited", "");
    (record.facilitators || []).forEach(function (person, i) { fillFacilitator(rowAt("facilitators", i), person); });
    (record.sessions || []).forEach(function (session, i) { fillSession(rowAt("sessions", i), session); });
    listFacilitators();
  }

  /* The i-th row, added when the form has fewer: its key is then i, the record's index. */
  function rowAt(kind, i) {
    while (rowKeys(kind).length <= i) appendRow(kind);
    return document.querySelector('[data-rows-box="' + kind + '"] > [data-row="' + i + '"]');
  }

  function fillFacilitator(row, person) {
    var p = "facilitators." + row.getAttribute("data-row") + ".";
    setValue(p + "name", person.name, row);
    setValue(p + "bio", person.bio, row);
  }

  function fillSession(row, session) {
    var p = "sessions." + row.getAttribute("data-row") + ".";
    ["course", "course_url", "starts", "ends", "facilitator", "capacity"].forEach(function (name) { setValue(p + name, session[name], row); });
    tick(p + "days", session.days || [session.day]);
    var times = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(session.time || "");
    if (times) { setValue(p + "from", times[1], row); setValue(p + "to", times[2], row); }
    setValue(p + "frequency", session.frequency || "weekly", row);
    setValue(p + "mode", session.mode || "in-person", row);
    setValue(p + "signup", session.signup || "open", row);
    ["online_url", "signup_opens", "signup_closes", "join_until"].forEach(function (name) { setValue(p + name, session[name], row); });
    showOnlineLink(row);
    if (session.language) setValue(p + "language", languageLabel(session.language), row);
    (session.exceptions || []).forEach(function (day, i) {
      var inputs = row.querySelectorAll('input[name="' + p + 'exceptions"]');
      (i < inputs.length ? inputs[i] : appendException(row)).value = day;
    });
  }

  /* --- what changed, in the visitor's words ----------------------------------------------------------- */

  function shownValue(key, value) {
    if (value === undefined || value === null) return "";
    if (key === "day") return weekdayName(value);
    if (key === "days") return dayList(value);
    if (Array.isArray(value)) return value.join(", ");
    return String(records.shownText(value, languages));
  }

  function rowName(kind, row) {
    return kind === "sessions" ? say("sessionNamed", { course: records.shownText(row.course || "", languages) }) : say("facilitatorNamed", { name: row.name || "" });
  }

  /* A changed field by its label on the form; in a row, after the row's own name ("Course group 2"). */
  function fieldName(path) {
    var inRow = ROW_KINDS.indexOf(path[0]) >= 0;
    var slot = slotFor(slotKey(path, null, true));
    var label = slot ? labelOf(slot) : path.join(".");
    if (!inRow) return label;
    var row = document.querySelector('[data-rows-box="' + path[0] + '"] > [data-row="' + path[1] + '"]');
    return say("rowField", { row: row ? labelOf(row) : path[1], field: label });
  }

  /* Each change in a line; `isolated`: each value in its own direction (U+2068 ... U+2069), so that on
     a right-to-left page "18:00-20:00 → 19:00-21:00" is not reordered. */
  function changeLines(changes, isolated) {
    function shown(key, value) { return isolated ? "\u2068" + shownValue(key, value) + "\u2069" : shownValue(key, value); }
    return changes.map(function (c) {
      if (ROW_KINDS.indexOf(c.path[0]) >= 0 && c.path.length === 2) {
        return c.now === undefined ? say("rowRemoved", { row: rowName(c.path[0], c.was) }) : say("rowAdded", { row: rowName(c.path[0], c.now) });
      }
      var key = c.path[c.path.length - 1], values = { field: fieldName(c.path), old: shown(key, c.was), new: shown(key, c.now) };
      if (c.was === undefined) return say("changeAdded", values);
      return say(c.now === undefined ? "changeRemoved" : "changeField", values);
    });
  }

  var ROW_KINDS = ["sessions", "facilitators"];

  function showCorrection(r) {
    var list = document.getElementById("change-list");
    list.textContent = "";
    changeLines(r.changes, true).forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    document.getElementById("correction-changes").hidden = false;
    var hubLink = document.getElementById("send-github");
    if (hubLink) hubLink.hidden = true;  /* the file exists: it is edited, not added */
    var edit = document.getElementById("send-github-edit");
    if (edit) {
      edit.href = data.githubEdit + data.folders.hub + correction.slug + ".yaml";
      document.getElementById("correction-github").hidden = false;
    }
  }

  /* --- wiring ------------------------------------------------------------------------------------ */

  var submitted = false;
  form.noValidate = true;
  document.querySelectorAll("[data-nojs]").forEach(function (el) { el.hidden = true; });
  if (data.map) document.querySelectorAll("[data-needs-js]").forEach(function (el) { el.hidden = false; });
  var submit = document.getElementById("apply-submit");
  submit.textContent = submit.getAttribute("data-js-label");
  ["sessions", "facilitators"].forEach(function (kind) {
    renumber(kind);
    document.querySelector('[data-add-row="' + kind + '"]').addEventListener("click", function () { addRow(kind); });
  });
  form.querySelectorAll("[data-row]").forEach(wireRow);
  showNewPartner();
  showLocationWay();
  suggest("name", "slug");
  suggest("partner.name", "partner.id");
  control("host").addEventListener("change", showNewPartner);
  openCorrection();
  form.addEventListener("change", function (event) { if (event.target.hasAttribute("data-mode")) showOnlineLink(event.target.closest("[data-row]")); });
  form.addEventListener("input", function (event) { if (event.target.hasAttribute("data-facilitator-name")) listFacilitators(); });
  form.querySelectorAll('input[name="location.how"]').forEach(function (radio) { radio.addEventListener("change", showLocationWay); });
  control("location.link").addEventListener("change", function () {
    var point = pointOf(control("location.link").value.trim());
    if (point) setPoint(point[0], point[1]);
  });
  form.addEventListener("click", function (event) {
    var remove = event.target.closest("[data-remove]");
    if (remove) {
      var row = remove.closest("[data-row]");
      var kind = row.getAttribute("data-rows");
      row.remove();
      renumber(kind);
      listFacilitators();
      document.querySelector('[data-add-row="' + kind + '"]').focus();
    }
    var more = event.target.closest("[data-add-exception]");
    if (more) addException(more.closest("[data-row]"));
  });
  result.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (button) copy(button);
  });
  form.addEventListener("submit", function (event) {
    submitted = true;
    var r = readAnswers();
    var errors = validateAll(r);
    var sending = event.submitter && event.submitter.hasAttribute("data-send");  /* "Send my application", to application_endpoint */
    if (!sending || errors.length) event.preventDefault();
    showErrors(errors, r, true);
    if (errors.length) { result.hidden = true; return; }
    if (sending) fillPosted(r, recordFiles(r));
    else showRecord(r, true);
  });
  form.addEventListener("change", function () {  /* after a first try: keep errors and record current */
    if (!submitted) return;
    var r = readAnswers();
    var errors = validateAll(r);
    showErrors(errors, r, false);
    if (errors.length) result.hidden = true;
    else if (!result.hidden) showRecord(r, false);
  });
})(window.hubsiteApply || {});
