/* Find a group: search, filters and "near me" over the home page's hubs, narrowing the list and
   the map together. Every filter applies to one and the same session: a hub matches when one of
   its sessions satisfies them all, and its result lists every session that does (course, how
   often, day, local time, language, next date, sign-up). The form's fields are the URL query
   (?course=machine-learning&day=saturday): a view can be shared, and back/forward restore it.
   A search always leads somewhere: words that find no hub are looked up as a place
   (hubs/places.json: "Kiev", "NYC", "بغداد", named in the page's language) and the hubs nearest
   to it are offered; filters that no session meets together are dropped one at a time until one
   drop finds groups (a button drops it for good); nothing near offers the nearest anyway and a
   way to ask for a group there. No heading is left over an empty list, and the map shows exactly
   the hubs listed. Near you or a place, hubs are nearest first and those within the radius
   (radius=, in the page's unit) are apart from the rest. The time of day is the hub's local time,
   or, with zone=mine, each session's next meeting on the visitor's own clock, by times.js's one
   rule (window.hubsiteTimes). A URL's values are only ever read through the form's own choices:
   what no choice offers is left out. No server, no framework; text is set with textContent only. */
(function () {
  "use strict";
  var H = window.hubsite, T = window.hubsiteTimes, form = document.getElementById("finder");
  if (!form || !H || !H.ready || !window.URLSearchParams || !window.Intl) return;
  function $(id) { return document.getElementById(id); }
  var results = $("finder-results"), list = $("finder-list"), more = $("finder-more");
  var further = $("finder-further"), furtherList = $("finder-further-list"), suggest = $("finder-suggest");
  var dropBox = $("finder-drop-filter"), dropButton = $("finder-drop"), askBox = $("finder-ask"), askLink = $("finder-ask-link");
  var status = $("finder-status"), directory = $("directory"), heading = $("finder-results-heading");
  var courseName = $("finder-course-name"), course = $("finder-course"), filters = $("finder-more-filters");
  var text = form.dataset, lang = document.documentElement.lang || "en";
  var DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  var TIMES = { morning: [0, 720], afternoon: [720, 1020], evening: [1020, 1440] };
  var PAGE = 50, NEAREST = 3, EVERY_OTHER_WEEK = 1 << 7, KM_PER_MILE = 1.609344;
  /* The finder's "in person" takes the groups that meet at a hub, "online" those one can join by video call: hybrid ones are both. */
  var MODES = { "in-person": { "in-person": true, hybrid: true }, online: { online: true, hybrid: true } };
  var OPEN = { open: true, opens: true, waitlist: true };
  var hubs = [], found = [], shown = 0, here = null, timer = 0, places = null, dropping = null, mine = false;
  var miles = !!text.miles;  /* the page's unit (hubsite/render/formats.py Formats.miles), not the browser's */
  var modes = JSON.parse(text.modes), signups = JSON.parse(text.signups);  /* how a group meets, its sign-up state: the page's words */
  var RADIUS_MAX = miles ? 12500 : 20000;  /* half the earth round: every hub is within it */
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  var clock = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit", timeZone: "UTC" });
  var dayFormat = new Intl.DateTimeFormat(lang, { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" });
  var weekdayFormat = new Intl.DateTimeFormat(lang, { weekday: "long", timeZone: "UTC" });

  /* Case- and accent-insensitive: "sao paulo" finds "São Paulo" (as hubsite/render/gazetteer.py folds). */
  function fold(value) {
    return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? values[key] : whole; });
  }

  function criteria() {
    var data = new FormData(form);
    return {
      words: fold(String(data.get("q") || "")).split(/\s+/).filter(Boolean),
      country: data.get("country"), course: data.get("course"), language: data.get("language"),
      day: DAYS.indexOf(data.get("day")), time: own(TIMES, data.get("time")), open: data.get("open") === "1",
      mode: MODES[data.get("mode")] ? data.get("mode") : "",
      mine: data.get("zone") === "mine", radius: radiusKm(String(data.get("radius") || "")),
      facilities: data.getAll("facility").reduce(function (bits, f) { return bits | (1 << H.facilities.indexOf(f)); }, 0)
    };
  }
  function own(table, key) { return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : null; }

  /* A radius as the URL may give it, in the page's unit: a plain positive number up to half the
     earth round, written as the form writes it ("0050" is "50"); anything else ("-1", "1e309",
     "NaN", markup) is no radius. */
  function radiusValue(value) {
    if (!/^\d{1,5}(\.\d{1,2})?$/.test(value)) return "";
    var n = Number(value);
    return n > 0 && n <= RADIUS_MAX ? String(n) : "";
  }
  /* The radius in km: the form's, or the page's default. */
  function radiusKm(value) {
    var n = Number(radiusValue(value) || text.radiusDefault);
    return miles ? n * KM_PER_MILE : n;
  }
  /* The radius choice a URL's value selects: the default one is "" (left out of the URL). */
  function radiusChoice(value) {
    var radius = radiusValue(value);
    return radius === text.radiusDefault ? "" : radius;
  }
  /* A radius from a shared URL that the choices do not list (radius=37) becomes one, in order. */
  function offerRadius(value) {
    var select = form.elements.radius, n = Number(value);
    if (!value || select.querySelector('option[value="' + CSS.escape(value) + '"]')) return;
    var option = H.el("option", null, fill(text.within, { distance: fill(text.distance, { n: number.format(n) }) }));
    option.value = value;
    var after = Array.prototype.find.call(select.options, function (o) { return Number(o.value || text.radiusDefault) > n; });
    select.insertBefore(option, after || null);
  }

  /* When a session starts, in minutes after midnight: at the hub, or ("in my own time zone") its
     next meeting on the visitor's clock, read once; null when it has no next meeting to read. */
  function startMinutes(s, inMine) {
    if (!inMine) return s.start;
    if (!s.instant || !T) return null;
    if (!s.yours) s.yours = T.yours(s.instant);
    return s.yours.minutes;
  }
  function inTime(s, c) {
    var minutes = startMinutes(s, c.mine);
    return minutes !== null && minutes >= c.time[0] && minutes < c.time[1];
  }

  function bySession(c) { return !!(c.course || c.language || c.day >= 0 || c.time || c.open || c.mode); }
  function active(c) { return c.words.length || c.country || c.facilities || bySession(c) || here; }

  /* One session against every session filter at once. */
  function fits(h, s, c) {
    if (c.course && s.course !== c.course) return false;
    if (c.day >= 0 && !(s.days & (1 << c.day))) return false;
    if (c.language && (s.lang ? s.lang !== c.language : h.langs.indexOf(c.language) < 0)) return false;
    if (c.time && !inTime(s, c)) return false;
    if (c.open && !(s.signup && OPEN[s.signupState])) return false;
    if (c.mode && !MODES[c.mode][s.mode]) return false;
    return true;
  }

  /* Near a point: only the groups that meet somewhere (in person or hybrid) of hubs that are a
     place; an online group is near no one. */
  function inPerson(matches) {
    return matches.map(function (m) {
      var met = m.sessions.filter(function (s) { return s.mode !== "online"; });
      return m.hub.online || (m.hub.sessions.length && !met.length) ? null : { hub: m.hub, sessions: met };
    }).filter(Boolean);
  }

  /* A hub's match: every session that fits, soonest first (those the words name, when they name
     a course), or null when the hub does not match. */
  function match(h, c) {
    if (c.country && h.cc !== c.country) return null;
    if ((h.facilities & c.facilities) !== c.facilities) return null;
    if (!c.words.every(function (w) { return h.folded.indexOf(w) >= 0; })) return null;
    var fitting = h.sessions.filter(function (s) { return fits(h, s, c); });
    if (bySession(c) && !fitting.length) return null;
    var named = fitting.filter(function (s) { return c.words.length && c.words.every(function (w) { return fold(s.courseName).indexOf(w) >= 0; }); });
    return { hub: h, sessions: named.length ? named : fitting };
  }
  function matching(c) { return hubs.map(function (h) { return match(h, c); }).filter(Boolean); }

  /* Great-circle distance in km (haversine). */
  function km(a, h) {
    var r = Math.PI / 180, dLat = (h.lat - a[0]) * r, dLon = (h.lon - a[1]) * r;
    var x = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[0] * r) * Math.cos(h.lat * r) * Math.pow(Math.sin(dLon / 2), 2);
    return 12742 * Math.asin(Math.min(1, Math.sqrt(x)));
  }
  function distance(kilometres) {
    var value = miles ? kilometres / 1.609344 : kilometres;
    return fill(text.distance, { n: number.format(value < 10 ? Math.round(value * 10) / 10 : Math.round(value)) });
  }
  /* Nearest first, each hub's distance from `from` kept on it for its result line. */
  function byDistance(matches, from) {
    matches.forEach(function (m) { m.hub.km = km(from, m.hub); });
    return matches.sort(function (a, b) { return a.hub.km - b.hub.km; });
  }

  function say(message) { status.textContent = message; }
  function count(n) { return H.plural(JSON.parse(text.count), n); }

  function at(m) { return new Date(Date.UTC(2024, 0, 1, Math.floor(m / 60) % 24, m % 60)); }
  function span(start, end) { return clock.formatRange ? clock.formatRange(at(start), at(end)) : clock.format(at(start)) + "–" + clock.format(at(end)); }
  /* A template's text around one element: "{course} — {when}" with the course as <strong>. */
  function around(template, key, node, values) {
    var parts = template.split("{" + key + "}"), line = H.el("p", "result-session");
    line.appendChild(document.createTextNode(fill(parts[0], values)));
    line.appendChild(node);
    line.appendChild(document.createTextNode(fill(parts.slice(1).join(""), values)));
    return line;
  }
  /* "Every Saturday", "Every other Tuesday and Thursday": the days and how often. */
  function days(bits) {
    var names = DAYS.map(function (d, i) { return bits & (1 << i) ? weekdayFormat.format(new Date(Date.UTC(2024, 0, 1 + i))) : null; }).filter(Boolean);
    var list = Intl.ListFormat ? new Intl.ListFormat(lang, { type: "conjunction" }).format(names) : names.join(", ");
    return fill(bits & EVERY_OTHER_WEEK ? text.biweekly : text.weekly, { days: list });
  }
  /* A session's time: at the hub, and, in my own time zone, on the visitor's clock when it differs
     ("6:00 – 8:00 PM in Kyiv = 11:00 AM your time", the visitor's weekday named when it is another). */
  function timeText(h, s) {
    var local = span(s.start, s.end);
    if (!mine || startMinutes(s, true) === null) return local;
    var y = s.yours, hubDay = (s.next + 3) % 7;  /* 1 January 1970 was a Thursday */
    if (y.minutes === s.start && y.day === hubDay) return local;
    var yours = T.clock(s.instant);
    return fill(text.yours, { time: local, city: h.city, yours: y.day === hubDay ? yours : T.weekday(s.instant) + " " + yours });
  }

  /* A language's name in the page's language: the finder's own choices name them (CLDR, at build). */
  function languageName(code) {
    var option = form.elements.language.querySelector('option[value="' + CSS.escape(code) + '"]');
    return option ? option.textContent : code;
  }

  /* A result: the hub (its page, at its first session's row), where it is, every session that matched. */
  function item(m) {
    var h = m.hub, li = H.el("li"), title = H.el("h3"), link = H.el("a", null, h.name);
    link.href = H.root + H.hubPage.replace("{slug}", h.slug) + (m.sessions.length ? "#" + H.sessionAnchor.replace("{slug}", m.sessions[0].slug) : "");
    link.dir = "auto";
    title.appendChild(link);
    li.appendChild(title);
    var where = [h.area, h.city, h.country].filter(Boolean).join(", ");
    li.appendChild(H.el("p", "meta", h.km !== undefined && h.km !== null ? fill(text.place, { place: where, distance: distance(h.km) }) : where));
    m.sessions.forEach(function (s) { sessionLines(h, s).forEach(function (line) { li.appendChild(line); }); });
    return li;
  }

  /* One session of a result: course and when, its language, the next date, its sign-up. */
  function sessionLines(h, s) {
    var lines = [], name = H.el("strong", null, s.courseName);
    name.dir = "auto";
    lines.push(around(text.session, "course", name, { when: fill(text.when, { days: days(s.days), time: timeText(h, s) }) }));
    var state = H.el("p", "result-state signup-" + s.signupState, s.mode === "in-person" ? signups[s.signupState] : fill(text.modeState, { mode: modes[s.mode], signup: signups[s.signupState] }));
    lines.push(state);
    if (s.lang) {
      var facts = H.el("dl", "result-facts");
      facts.appendChild(H.el("dt", null, text.languageLabel));
      facts.appendChild(H.el("dd", null, languageName(s.lang)));
      lines.push(facts);
    }
    if (s.next !== null) lines.push(H.el("p", null, fill(text.next, { date: dayFormat.format(new Date(s.next * 864e5)) })));
    if (s.signup && (s.signupState === "open" || s.signupState === "waitlist")) {
      var actions = H.el("p", "actions"), button = H.el("a", "button primary", text.signup);
      button.href = s.signup;
      button.appendChild(H.el("span", "visually-hidden", " " + fill(text.signupFor, { course: s.courseName, hub: h.name })));
      actions.appendChild(button);
      lines.push(actions);
    }
    return lines;
  }

  function render(into, matches) {
    var fragment = document.createDocumentFragment();
    matches.forEach(function (m) { fragment.appendChild(item(m)); });
    into.appendChild(fragment);
  }

  function showMore() {
    var end = Math.min(found.length, shown + PAGE);
    render(list, found.slice(shown, end));
    shown = end;
    more.hidden = shown >= found.length;
  }

  function reset(on) {
    directory.hidden = on;
    results.hidden = !on;
    list.textContent = "";
    furtherList.textContent = "";
    further.hidden = true;
    suggest.hidden = true;
    dropBox.hidden = true;
    askBox.hidden = true;
    more.hidden = true;
    shown = 0;
    dropping = null;
    hubs.forEach(function (h) { h.km = null; });
  }

  /* The results as drawn: a heading only over a list that has items; the map shows exactly the
     hubs `listed` (those behind "Show more" too), fitted around `from` when there is one. */
  function settle(listed, from) {
    heading.hidden = list.hidden = !list.children.length;
    further.hidden = !furtherList.children.length;
    if (H.show) H.show(listed.map(function (m) { return m.hub; }), true, from);
  }

  /* Show `matches` under `title`: the first page of them, the rest behind "Show more". */
  function present(title, matches, from) {
    heading.textContent = title;
    found = matches;
    showMore();
    settle(matches, from);
  }

  /* Narrow the list and the map to what the form asks for. */
  function apply() {
    var c = criteria(), on = !!active(c);
    mine = c.mine;
    reset(on);
    found = matching(c);
    if (!on) {
      say(H.plural(JSON.parse(text.all), hubs.length));
      if (H.show) H.show(hubs, false, null);
      return;
    }
    if (here) return nearMe(c);
    if (!found.length) return nothing(c);
    present(heading.dataset.default, found, null);
    say(count(found.length));
  }

  /* Near me: nearest first, those within the radius apart from the rest; none that near, the
     nearest anyway, and a way to ask for a group here. */
  function nearMe(c) {
    found = inPerson(found);
    if (!found.length) return relax(c, here);
    byDistance(found, here);
    var near = found.filter(function (m) { return m.hub.km <= c.radius; });
    if (!near.length) {
      var nearest = found.slice(0, NEAREST);
      present(fill(text.noneNearYou, { distance: distance(c.radius) }), nearest, here);
      say(H.plural(JSON.parse(text.near), nearest.length));
      return ask(null, here);
    }
    say(H.plural(JSON.parse(text.near), found.length));
    heading.textContent = fill(text.nearYou, { distance: distance(c.radius) });
    render(list, near);
    render(furtherList, found.slice(near.length, near.length + PAGE));
    settle(found.slice(0, near.length + PAGE), here);
  }

  /* No hub by the words: they may name a place (nearest hubs to it); else, or with filters no
     session meets together, drop a filter. The status says nothing failed until it has. */
  function nothing(c) {
    say("");
    if (!c.words.length || matching(criteriaOf({ words: c.words })).length) return relax(c, null);  /* the words find hubs: a filter is too many */
    var typed = String(new FormData(form).get("q") || "").trim(), wanted = c.words.join(" ");
    loadPlaces().then(function (data) {
      if (fold(String(new FormData(form).get("q") || "")) !== wanted) return;  /* the search changed meanwhile */
      var index = findPlace(data.places, wanted);
      if (index < 0) return notFound(c, typed);
      nearPlace(c, data, index);
    }).catch(function (error) {
      notFound(c, typed);
      if (window.console) console.warn("find.js: " + error.message);
    });
  }

  function notFound(c, typed) {
    say(fill(text.none, { q: typed }));
    var others = Object.assign({}, c, { words: [] });
    if (active(others)) return relax(c, null);
    suggest.hidden = false;
    settle([], null);
  }

  /* The row of the place these words name: a name of it, or, failing that, the start of one. */
  function findPlace(rows, wanted) {
    var exact = rows.findIndex(function (p) { return p[4].indexOf(wanted) >= 0; });
    return exact >= 0 ? exact : rows.findIndex(function (p) { return p[4].some(function (n) { return n.indexOf(wanted) === 0; }); });
  }

  /* The hubs nearest a place found by name, that meet the other filters: those within the radius, or
     the nearest however far, with a way to ask for a group there. */
  function nearPlace(c, data, index) {
    var place = data.places[index], at = [place[2] / data.scale, place[3] / data.scale];
    var name = ((data.local || {})[lang] || [])[index] || place[0];
    var others = Object.assign({}, c, { words: [] }), nearest = byDistance(inPerson(matching(others)), at);
    if (!nearest.length) return relax(others, at);
    var close = nearest.filter(function (m) { return m.hub.km <= c.radius; }), listed = close.length ? close : nearest.slice(0, NEAREST);
    present(close.length ? fill(text.nearestTo, { place: name }) : fill(text.noneNear, { distance: distance(c.radius), place: name }), listed, at);
    say(H.plural(JSON.parse(text.near), listed.length));
    if (!close.length) ask(name, at);
  }

  /* The filters no session meets together: the first one whose drop finds groups is named, its
     finds listed (nearest first when `from` is known) with a button that drops it for good; when
     no single drop finds any, the closest matches: the same course anywhere, else any hub with a
     group, nearest first. */
  function relax(c, from) {
    say(text.noneFilters);
    suggest.hidden = !!from;
    var drop = droppable(c).find(function (d) { return matching(d.criteria).length; });
    if (drop) {
      var matches = matching(drop.criteria);
      present(fill(text.without, { filter: drop.label }), from ? byDistance(inPerson(matches), from) : matches, from);
      dropping = drop;
      dropButton.textContent = fill(text.drop, { filter: drop.label });
      dropBox.hidden = false;
      return;
    }
    var wide = matching(criteriaOf({ course: c.course })), closest = wide.length ? wide : matching(criteriaOf({}));
    present(text.closest, (from ? byDistance(inPerson(closest), from) : closest).slice(0, NEAREST), from);
  }

  function criteriaOf(values) {
    return Object.assign({ words: [], country: "", course: "", language: "", day: -1, time: null, open: false, mode: "", mine: false, facilities: 0, radius: radiusKm("") }, values);
  }

  /* The filters set, in the order they are given up (the time of day first, the course last):
     each with its label as the form shows it, the criteria without it, and how to clear it. */
  function droppable(c) {
    var out = [], field = form.elements;
    function add(label, without, clear) { out.push({ label: label, criteria: Object.assign({}, c, without), clear: clear }); }
    function chosen(select) { return select.options[select.selectedIndex].textContent; }
    if (c.time) add(chosen(field.time), { time: null }, function () { field.time.value = ""; });
    if (c.day >= 0) add(chosen(field.day), { day: -1 }, function () { field.day.value = ""; });
    if (c.open) add($("finder-open").labels[0].textContent, { open: false }, function () { $("finder-open").checked = false; });
    if (c.mode) add(chosen(field.mode), { mode: "" }, function () { field.mode.value = ""; });
    if (c.language) add(chosen(field.language), { language: "" }, function () { field.language.value = ""; });
    form.querySelectorAll('input[name="facility"]:checked').forEach(function (box) {
      var bit = 1 << H.facilities.indexOf(box.value);
      add(box.parentNode.textContent.trim(), { facilities: c.facilities & ~bit }, function () { box.checked = false; });
    });
    if (c.country) add(chosen(field.country), { country: "" }, function () { field.country.value = ""; });
    if (c.course && c.words.length + out.length) add(courseName.value || c.course, { course: "" }, function () { course.value = courseName.value = ""; });
    return out;
  }

  /* A link to ask for a group near a place (its name, or, near you, where you are to about 10 km):
     an e-mail to the site's contact, or the application page when the site has no address. */
  function ask(place, at) {
    var where = place || number.format(Math.round(at[0] * 10) / 10) + ", " + number.format(Math.round(at[1] * 10) / 10);
    askLink.textContent = place ? fill(text.ask, { place: place }) : text.askYou;
    askLink.href = text.contact ? "mailto:" + text.contact + "?subject=" + encodeURIComponent(fill(text.askSubject, { place: where })) : text.apply;
    askBox.hidden = false;
  }

  function loadPlaces() {
    if (!places) {
      places = fetch(H.places).then(function (response) {
        if (!response.ok) throw new Error("places: " + response.status);
        return response.json();
      });
    }
    return places;
  }

  /* The course field: a name typed or picked from the suggestions; the URL carries its slug. */
  function courseFromName() {
    var typed = fold(courseName.value), picked = H.courses.find(function (c) { return fold(c[1]) === typed; });
    course.value = picked ? picked[0] : "";
  }
  function nameFromCourse() {
    var picked = H.courses.find(function (c) { return c[0] === course.value; });
    courseName.value = picked ? picked[1] : "";
  }

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim()) params.append(name, String(value).trim());
    });
    return params.toString();
  }

  /* A settled change: record it in the URL (one history entry) and apply it. */
  function commit() {
    var q = query();
    if ((q ? "?" + q : "") !== location.search) history.pushState(null, "", q ? "?" + q : location.pathname);
    apply();
  }

  /* The form from the URL: on load, and when back/forward moves through history. */
  function restore() {
    var params = new URLSearchParams(location.search), filtered = false;
    var radius = radiusChoice(params.get("radius") || "");
    offerRadius(radius);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      if (field.type === "checkbox") field.checked = params.getAll(field.name).indexOf(field.value) >= 0;
      else if (field.name === "radius") field.value = radius;
      else field.value = params.get(field.name) || "";
      if (field.name !== "q" && params.has(field.name)) filtered = true;
    });
    nameFromCourse();
    if (filtered) filters.open = true;
    apply();
  }

  function locate() {
    if (!navigator.geolocation) return say(text.noLocation);
    say(text.locating);
    navigator.geolocation.getCurrentPosition(function (position) {
      here = [position.coords.latitude, position.coords.longitude];
      if (H.here) H.here(here);
      apply();
    }, function () { say(text.noLocation); }, { timeout: 15000, maximumAge: 600000 });
  }

  H.ready.then(function (decoded) {
    hubs = decoded;
    hubs.forEach(function (h) {
      h.folded = fold([h.name, h.city, h.area, h.postal, h.country].concat(h.partners, h.sessions.map(function (s) { return s.courseName; })).join(" "));
    });
    var options = document.createDocumentFragment(), seen = {};
    hubs.forEach(function (h) {
      h.sessions.forEach(function (s) {
        if (seen[s.course]) return;
        seen[s.course] = true;
        var option = document.createElement("option");
        option.value = s.courseName;
        options.appendChild(option);
      });
    });
    $("finder-courses").appendChild(options);
    heading.dataset.default = heading.textContent;
    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); courseFromName(); commit(); });
    form.addEventListener("change", function (event) {
      if (event.target === courseName) courseFromName();
      if (event.target.type !== "search") commit();
    });
    form.addEventListener("input", function (event) {
      if (event.target.type !== "search") return;
      clearTimeout(timer);
      timer = setTimeout(apply, 150);
    });
    form.addEventListener("reset", function () {
      here = null;
      if (H.here) H.here(null);
      setTimeout(function () { course.value = ""; commit(); }, 0);
    });
    $("finder-near").addEventListener("click", locate);
    dropButton.addEventListener("click", function () { if (dropping) { dropping.clear(); commit(); } });
    $("finder-near-instead").addEventListener("click", locate);
    more.addEventListener("click", showMore);
    window.addEventListener("popstate", restore);
    restore();
  });
})();
