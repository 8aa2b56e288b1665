/* The host form (/host/apply/): read the answers, validate them against the published JSON
   Schema (embedded in the page as JSON, so this works opened from disk too), show each error
   next to its field, and write the hub's YAML record (and a new organisation's) to copy,
   download, e-mail or propose on GitHub. No framework, no third-party code.

   The validator implements exactly the keywords hubsite/content/schema.py lists in KEYWORDS. The YAML
   quotes every string with double quotes and escapes it, so that quotes, colons, '#', a leading
   '-', non-Latin text and values like NO are read back by our loader exactly as typed. */
(function () {
  "use strict";
  var form = document.getElementById("apply-form");
  if (!form || !window.Array.from) return;
  var data = JSON.parse(document.getElementById("apply-data").textContent);
  var text = JSON.parse(document.getElementById("apply-messages").textContent);
  var NEW_PARTNER = "+new";
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

  function say(key, values) {
    return (text[key] || key).replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  /* --- a small JSON Schema validator: errors are {path: [...], message} ---------------------- */

  var patterns = {};
  function regex(source) {
    if (!(source in patterns)) {
      try { patterns[source] = new RegExp(source, "u"); } catch (e) { patterns[source] = new RegExp(source); }
    }
    return patterns[source];
  }

  function typeOf(value) {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
  }

  function hasType(value, types) {
    var actual = typeOf(value);
    return [].concat(types).some(function (t) { return t === actual || (t === "number" && actual === "integer"); });
  }

  function isDate(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) return false;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  }

  function resolve(root, node) {
    return node.$ref ? root.$defs[node.$ref.split("/").pop()] : node;
  }

  function check(root, node, value, path) {
    var schema = resolve(root, node);
    var errors = [];
    function add(message, at) { errors.push({ path: at || path, message: message }); }
    function nest(sub, child, at) { errors.push.apply(errors, check(root, sub, child, at)); }
    if (schema.type !== undefined && !hasType(value, schema.type)) {
      add(say("type_" + [].concat(schema.type)[0]));
      return errors;
    }
    if (schema.enum && schema.enum.indexOf(value) < 0) add(say("enum", { values: schema.enum.join(", ") }));
    if (typeof value === "string") checkString(schema, value, add);
    if (typeof value === "number") {
      if (schema.minimum !== undefined && value < schema.minimum) add(say("minimum", { n: schema.minimum }));
      if (schema.maximum !== undefined && value > schema.maximum) add(say("maximum", { n: schema.maximum }));
    }
    if (Array.isArray(value)) {
      if (schema.minItems !== undefined && value.length < schema.minItems) add(say("minItems", { n: schema.minItems }));
      if (schema.maxItems !== undefined && value.length > schema.maxItems) add(say("maxItems", { n: schema.maxItems }));
      if (schema.items) value.forEach(function (item, i) { nest(schema.items, item, path.concat(i)); });
    }
    if (typeOf(value) === "object") checkObject(schema, value, path, add, nest);
    if (schema.anyOf) errors.push.apply(errors, bestBranch(root, schema.anyOf, value, path));
    if (schema.oneOf) {
      var passing = schema.oneOf.filter(function (sub) { return check(root, sub, value, path).length === 0; });
      if (passing.length !== 1) add(schema.errorMessage || say("oneOf"));
    }
    (schema.allOf || []).forEach(function (sub) {
      var found = check(root, sub, value, path);
      if (found.length && sub.errorMessage) add(sub.errorMessage);
      else errors.push.apply(errors, found);
    });
    if (schema.if && schema.then && check(root, schema.if, value, path).length === 0) nest(schema.then, value, path);
    return errors;
  }

  function checkString(schema, value, add) {
    var length = Array.from(value).length;  /* JSON Schema counts code points, as Python does */
    if (schema.minLength !== undefined && length < schema.minLength) add(schema.minLength === 1 ? say("empty") : say("minLength", { n: schema.minLength }));
    if (schema.maxLength !== undefined && length > schema.maxLength) add(say("maxLength", { n: schema.maxLength }));
    if (schema.pattern !== undefined && !regex(schema.pattern).test(value)) add(schema.patternErrorMessage || say("pattern"));
    if (schema.format === "date" && !isDate(value)) add(say("date"));
  }

  function checkObject(schema, value, path, add, nest) {
    (schema.required || []).forEach(function (key) {
      if (!(key in value)) add(say("required"), path.concat(key));
    });
    var properties = schema.properties || {};
    Object.keys(value).forEach(function (key) {
      if (properties[key]) nest(properties[key], value[key], path.concat(key));
      else if (schema.additionalProperties === false) add(say("unknown", { key: key }), path.concat(key));
      else if (typeof schema.additionalProperties === "object") nest(schema.additionalProperties, value[key], path.concat(key));
    });
  }

  /* anyOf: valid if one branch is; otherwise report the branch of the right type with fewest errors. */
  function bestBranch(root, branches, value, path) {
    var best = null;
    for (var i = 0; i < branches.length; i++) {
      var found = check(root, branches[i], value, path);
      if (!found.length) return [];
      var branch = resolve(root, branches[i]);
      var fits = branch.type === undefined || hasType(value, branch.type);
      if (!best || (fits && (!best.fits || found.length < best.errors.length))) best = { errors: found, fits: fits };
    }
    return best ? best.errors : [];
  }

  /* --- reading the form into records ------------------------------------------------------------ */

  function control(name) { return form.elements.namedItem(name); }

  function textOf(name) {
    var el = control(name);
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

  function prune(record) {
    Object.keys(record).forEach(function (key) {
      var value = record[key];
      if (value === undefined || (Array.isArray(value) && !value.length) || (typeOf(value) === "object" && !Object.keys(value).length)) delete record[key];
    });
    return record;
  }

  function readSession(key) {
    var p = "sessions." + key + ".";
    var days = checked(p + "days");
    var from = textOf(p + "from"), to = textOf(p + "to");
    var session = prune({
      course: textOf(p + "course"),
      course_url: textOf(p + "course_url"),
      starts: textOf(p + "starts"),
      ends: textOf(p + "ends"),
      day: days.length === 1 ? days[0] : undefined,
      days: days.length > 1 ? days : undefined,
      time: from || to ? (from || "") + "-" + (to || "") : undefined,
      frequency: textOf(p + "frequency") === "biweekly" ? "biweekly" : undefined,
      language: textOf(p + "language"),
      capacity: numberOf(p + "capacity")
    });
    return Object.keys(session).length ? session : null;
  }

  function today() {
    var d = new Date();
    return [d.getFullYear(), String(d.getMonth() + 1).padStart(2, "0"), String(d.getDate()).padStart(2, "0")].join("-");
  }

  function readForm() {
    var sessions = [], rows = [];
    rowsBox.querySelectorAll("[data-row]").forEach(function (row) {
      var session = readSession(row.getAttribute("data-row"));
      if (session) { sessions.push(session); rows.push(row.getAttribute("data-row")); }
    });
    var host = textOf("host");
    var isNew = host === NEW_PARTNER;
    var partnerId = textOf("partner.id");
    var hub = prune({
      name: textOf("name"),
      status: textOf("status"),
      host: isNew ? partnerId : host,
      address: prune({
        line1: textOf("address.line1"), line2: textOf("address.line2"), city: textOf("address.city"),
        region: textOf("address.region"), postal_code: textOf("address.postal_code"), country: textOf("address.country")
      }),
      location: prune({ lat: numberOf("location.lat"), lon: numberOf("location.lon") }),
      languages: (textOf("languages") || "").split(/[\s,;]+/).filter(Boolean),
      facilities: checked("facilities"),
      contact: prune({ email: textOf("contact.email"), phone: textOf("contact.phone"), url: textOf("contact.url") }),
      signup_url: textOf("signup_url"),
      summary: textOf("summary"),
      last_verified: today(),
      description: textOf("description"),
      sessions: sessions
    });
    if (!hub.address) hub.address = {};
    var partner = isNew ? prune({ name: textOf("partner.name"), kind: textOf("partner.kind"), website: textOf("partner.website") }) : null;
    return { hub: hub, partner: partner, slug: textOf("slug"), partnerId: partnerId, isNew: isNew, rows: rows };
  }

  /* --- checks the schema cannot express (the models' cross-field checks, ids that exist) ------- */

  function firstMeeting(session) {
    var days = session.days || [session.day];
    var start = new Date(session.starts + "T00:00:00Z"), end = new Date(session.ends + "T00:00:00Z");
    for (var i = 0; i < 7; i++) {
      var day = new Date(start.getTime() + i * 86400000);
      if (day > end) return null;
      if (days.indexOf(WEEKDAYS[(day.getUTCDay() + 6) % 7]) >= 0) return day;
    }
    return null;
  }

  function formChecks(r) {
    var errors = [];
    function add(path, key) { errors.push({ path: path, message: say(key) }); }
    if (!r.slug) add(["slug"], "required");
    else if (!SLUG.test(r.slug)) add(["slug"], "slugPattern");
    else if (data.hubs.indexOf(r.slug) >= 0) add(["slug"], "slugTaken");
    if (r.isNew && !r.partnerId) add(["partner", "id"], "partnerId");
    else if (r.isNew && !SLUG.test(r.partnerId)) add(["partner", "id"], "slugPattern");
    else if (r.isNew && data.partners.indexOf(r.partnerId) >= 0) add(["partner", "id"], "partnerTaken");
    if (!r.hub.location) { add(["location", "lat"], "required"); add(["location", "lon"], "required"); }
    var courses = [];
    (r.hub.sessions || []).forEach(function (s, i) {
      var at = ["sessions", i];
      if (!s.day && !s.days) add(at.concat("days"), "days");
      if (isDate(s.starts || "") && isDate(s.ends || "")) {
        if (s.ends < s.starts) add(at.concat("ends"), "endsBefore");
        else if ((s.day || s.days) && !firstMeeting(s)) add(at.concat("days"), "neverMeets");
      }
      var times = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(s.time || "");
      if (times && times[2] <= times[1]) add(at.concat("time"), "timeOrder");
      var course = (s.course || "").toLowerCase();
      if (course && courses.indexOf(course) >= 0) add(at.concat("course"), "duplicateCourse");
      courses.push(course);
    });
    return errors;
  }

  function validateAll(r) {
    var hubSchema = data.schemas.hub, partnerSchema = data.schemas.partner;
    var errors = check(hubSchema, hubSchema, r.hub, []).filter(function (e) {
      return !(r.isNew && e.path[0] === "host");  /* the new organisation's id is checked as partner.id */
    });
    if (r.partner) {
      errors = errors.concat(check(partnerSchema, partnerSchema, r.partner, []).map(function (e) {
        return { path: ["partner"].concat(e.path), message: e.message };
      }));
    }
    var seen = {};
    /* One message per field, the first: the form's own wording before the schema's. */
    return formChecks(r).concat(errors).filter(function (e) {
      var key = slotKey(e.path, r.rows);
      if (seen[key]) return false;
      seen[key] = true;
      return true;
    });
  }

  /* --- showing errors next to fields ------------------------------------------------------------ */

  var summary = document.getElementById("apply-errors");
  var rowsBox = document.getElementById("session-rows");

  /* A record path -> the form's data-path: session indexes become row keys, day/day-level rules the days box. */
  function slotKey(path, rows) {
    var parts = path.slice();
    if (parts[0] === "sessions" && parts.length > 1) {
      parts[1] = rows[parts[1]];
      if (parts.length === 2 || parts[2] === "day" || parts[2] === "days") parts = parts.slice(0, 2).concat("days");
    }
    if (parts[0] === "languages" || parts[0] === "facilities") parts = parts.slice(0, 1);
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
    errors.map(function (e) { return { slot: slotFor(slotKey(e.path, r.rows)) || form, message: e.message }; })
      .sort(function (a, b) {  /* in page order; errors without a field first */
        return a.slot === b.slot ? 0 : a.slot.compareDocumentPosition(b.slot) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      })
      .forEach(function (e) { messages.set(e.slot, (messages.has(e.slot) ? messages.get(e.slot) + " " : "") + e.message); });
    messages.forEach(function (message, slot) { if (slot !== form) setError(slot, message); });
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

  /* --- the result: copy, download, e-mail, GitHub ---------------------------------------------- */

  var result = document.getElementById("apply-result");
  var GITHUB_LIMIT = 8000;  /* longer URLs risk "414 URI Too Long" */
  var downloads = [];

  function githubLink(path, yaml) {
    return data.githubNew + "?filename=" + encodeURIComponent(path).replace(/%2F/g, "/") + "&value=" + encodeURIComponent(yaml);
  }

  function mailLink(files, name) {
    var at = data.contactEmail.lastIndexOf("@");
    var address = encodeURIComponent(data.contactEmail.slice(0, at)) + data.contactEmail.slice(at);
    var body = [say("mailIntro")];
    files.forEach(function (file) { body.push("", file.path, "", file.yaml); });
    return "mailto:" + address + "?subject=" + encodeURIComponent(say("mailSubject", { name: name })) +
      "&body=" + encodeURIComponent(body.join("\n").replace(/\n/g, "\r\n"));
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

  function showRecord(r, moveFocus) {
    downloads.forEach(function (url) { URL.revokeObjectURL(url); });
    downloads = [];
    var files = [{ path: data.folders.hub + r.slug + ".yaml", yaml: toYaml(r.hub, data.refs.hub) }];
    if (r.partner) files.push({ path: data.folders.partner + r.partnerId + ".yaml", yaml: toYaml(r.partner, data.refs.partner) });
    showFile("hub", files[0]);
    showFile("partner", files[1]);
    document.getElementById("send-mail").href = mailLink(files, r.hub.name);
    showGithub(files);
    document.getElementById("copy-status").textContent = "";
    result.hidden = false;
    if (moveFocus) document.getElementById("apply-result-title").focus();
  }

  function copy(id) {
    var area = document.getElementById(id);
    var status = document.getElementById("copy-status");
    function fallback() {
      area.select();
      status.textContent = document.execCommand && document.execCommand("copy") ? say("copied") : say("copyFailed");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(area.value).then(function () { status.textContent = say("copied"); }, fallback);
    } else fallback();
  }

  /* --- session rows, suggested ids, the new organisation box ------------------------------------ */

  var template = document.getElementById("session-row-template");
  var addButton = document.getElementById("add-session");
  var MAX_ROWS = 12;
  var nextKey = rowsBox.querySelectorAll("[data-row]").length;

  function renumber() {
    var rows = rowsBox.querySelectorAll("[data-row]");
    rows.forEach(function (row, i) {
      row.querySelector("[data-row-number]").textContent = String(i + 1);
      var remove = row.querySelector("[data-remove]");
      remove.hidden = false;
      remove.textContent = say("removeSession", { n: i + 1 });
    });
    addButton.hidden = rows.length >= MAX_ROWS;
  }

  function addRow() {
    var key = String(nextKey++);
    var fragment = template.content.cloneNode(true);
    fragment.querySelectorAll("*").forEach(function (el) {
      ["id", "for", "name", "data-path", "data-row", "aria-describedby"].forEach(function (name) {
        if (el.hasAttribute(name)) el.setAttribute(name, el.getAttribute(name).split("__N__").join(key));
      });
    });
    rowsBox.appendChild(fragment);
    renumber();
    rowsBox.lastElementChild.querySelector("input").focus();
  }

  function slugify(value) {
    return value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
  }

  function suggest(from, to) {
    var source = control(from), target = control(to);
    target.addEventListener("input", function () { target.setAttribute("data-edited", ""); });
    source.addEventListener("input", function () {
      if (!target.hasAttribute("data-edited")) target.value = slugify(source.value);
    });
  }

  function showNewPartner() {
    document.getElementById("new-partner").hidden = control("host").value !== NEW_PARTNER;
  }

  /* --- wiring ------------------------------------------------------------------------------------ */

  var submitted = false;
  form.noValidate = true;
  document.querySelectorAll("[data-nojs]").forEach(function (el) { el.hidden = true; });
  var submit = document.getElementById("apply-submit");
  submit.textContent = submit.getAttribute("data-js-label");
  renumber();
  showNewPartner();
  suggest("name", "slug");
  suggest("partner.name", "partner.id");
  control("host").addEventListener("change", showNewPartner);
  addButton.addEventListener("click", addRow);
  rowsBox.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove]");
    if (!button) return;
    button.closest("[data-row]").remove();
    renumber();
    addButton.focus();
  });
  result.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (button) copy(button.getAttribute("data-copy"));
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submitted = true;
    var r = readForm();
    var errors = validateAll(r);
    showErrors(errors, r, true);
    if (errors.length) { result.hidden = true; return; }
    showRecord(r, true);
  });
  form.addEventListener("change", function () {  /* after a first try: keep errors and record current */
    if (!submitted) return;
    var r = readForm();
    var errors = validateAll(r);
    showErrors(errors, r, false);
    if (errors.length) result.hidden = true;
    else if (!result.hidden) showRecord(r, false);
  });
})();
