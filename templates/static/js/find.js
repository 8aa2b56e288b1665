/* Find a group: search, filters and "near me" over the home page's hubs, narrowing the list and
   the map together. Every filter applies to one and the same session: a hub matches when one of
   its sessions satisfies them all, and its result shows that session (course, day, local time,
   next date, sign-up). The form's fields are the URL query (?course=machine-learning&day=saturday):
   a view can be shared, and back/forward restore it. A search that finds no hub by its words
   looks the words up as a place (hubs/places.json: "Kiev", "NYC", "Manhattan") and offers the
   hubs nearest to it. No server, no framework; text is set with textContent only. */
(function () {
  "use strict";
  var H = window.hubsite, form = document.getElementById("finder");
  if (!form || !H || !H.ready || !window.URLSearchParams || !window.Intl) return;
  function $(id) { return document.getElementById(id); }
  var results = $("finder-results"), list = $("finder-list"), more = $("finder-more");
  var further = $("finder-further"), furtherList = $("finder-further-list"), suggest = $("finder-suggest");
  var status = $("finder-status"), directory = $("directory"), heading = $("finder-results-heading");
  var courseName = $("finder-course-name"), course = $("finder-course"), filters = $("finder-more-filters");
  var text = form.dataset, lang = document.documentElement.lang || "en";
  var DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  var TIMES = { morning: [0, 720], afternoon: [720, 1020], evening: [1020, 1440] };
  var NEAR_KM = 100, PAGE = 50, hubs = [], found = [], shown = 0, here = null, timer = 0, places = null;
  var miles = /-(US|GB|LR|MM)\b/.test(navigator.language || "");
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
      day: DAYS.indexOf(data.get("day")), time: TIMES[data.get("time")] || null, open: data.get("open") === "1",
      facilities: data.getAll("facility").reduce(function (bits, f) { return bits | (1 << H.facilities.indexOf(f)); }, 0)
    };
  }
  function bySession(c) { return !!(c.course || c.language || c.day >= 0 || c.time || c.open); }
  function active(c) { return c.words.length || c.country || c.facilities || bySession(c) || here; }

  /* One session against every session filter at once. */
  function fits(h, s, c) {
    if (c.course && s.course !== c.course) return false;
    if (c.day >= 0 && !(s.days & (1 << c.day))) return false;
    if (c.language && (s.lang ? s.lang !== c.language : h.langs.indexOf(c.language) < 0)) return false;
    if (c.time && !(s.start >= c.time[0] && s.start < c.time[1])) return false;
    if (c.open && !s.signup) return false;
    return true;
  }

  /* The session a hub is shown with: the soonest one that fits, or none (the hub does not match). */
  function match(h, c) {
    if (c.country && h.cc !== c.country) return null;
    if ((h.facilities & c.facilities) !== c.facilities) return null;
    if (!c.words.every(function (w) { return h.folded.indexOf(w) >= 0; })) return null;
    var fitting = h.sessions.filter(function (s) { return fits(h, s, c); });
    if (bySession(c) && !fitting.length) return null;
    var named = fitting.filter(function (s) { return c.words.length && c.words.every(function (w) { return fold(s.courseName).indexOf(w) >= 0; }); });
    return { hub: h, session: named[0] || fitting[0] || null };
  }

  /* Great-circle distance in km (haversine). */
  function km(a, h) {
    var r = Math.PI / 180, dLat = (h.lat - a[0]) * r, dLon = (h.lon - a[1]) * r;
    var x = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[0] * r) * Math.cos(h.lat * r) * Math.pow(Math.sin(dLon / 2), 2);
    return 12742 * Math.asin(Math.min(1, Math.sqrt(x)));
  }
  function distance(kilometres) {
    var value = miles ? kilometres / 1.609344 : kilometres;
    return fill(miles ? text.mi : text.km, { n: number.format(value < 10 ? Math.round(value * 10) / 10 : Math.round(value)) });
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
  function days(bits) {
    var names = DAYS.map(function (d, i) { return bits & (1 << i) ? weekdayFormat.format(new Date(Date.UTC(2024, 0, 1 + i))) : null; }).filter(Boolean);
    return Intl.ListFormat ? new Intl.ListFormat(lang, { type: "conjunction" }).format(names) : names.join(", ");
  }

  /* A result: the hub (its page, at the session's row), where it is, the session that matched. */
  function item(m) {
    var h = m.hub, s = m.session, li = H.el("li"), title = H.el("h3"), link = H.el("a", null, h.name);
    link.href = H.root + H.hubPage.replace("{slug}", h.slug) + (s ? "#" + H.sessionAnchor.replace("{slug}", s.slug) : "");
    link.dir = "auto";
    title.appendChild(link);
    li.appendChild(title);
    var where = [h.area, h.city, h.country].filter(Boolean).join(", ");
    li.appendChild(H.el("p", "meta", here ? fill(text.place, { place: where, distance: distance(h.km) }) : where));
    if (s) {
      var name = H.el("strong", null, s.courseName);
      name.dir = "auto";
      li.appendChild(around(text.session, "course", name, { when: fill(text.when, { days: days(s.days), time: span(s.start, s.end) }) }));
      if (s.next !== null) li.appendChild(H.el("p", null, fill(text.next, { date: dayFormat.format(new Date(s.next * 864e5)) })));
      if (s.signup) {
        var actions = H.el("p", "actions"), button = H.el("a", "button primary", text.signup);
        button.href = s.signup;
        button.appendChild(H.el("span", "visually-hidden", " " + fill(text.signupFor, { course: s.courseName, hub: h.name })));
        actions.appendChild(button);
        li.appendChild(actions);
      }
    }
    return li;
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
    more.hidden = true;
    shown = 0;
  }

  /* Narrow the list and the map to what the form asks for. */
  function apply() {
    var c = criteria(), on = !!active(c);
    found = hubs.map(function (h) { return match(h, c); }).filter(Boolean);
    reset(on);
    if (!on) {
      say(H.plural(JSON.parse(text.all), hubs.length));
      if (H.show) H.show(hubs, false, null);
      return;
    }
    if (here) return nearMe();
    heading.textContent = heading.dataset.default || heading.textContent;
    if (!found.length) return nothing(c);
    showMore();
    say(count(found.length));
    if (H.show) H.show(found.map(function (m) { return m.hub; }), true, null);
  }

  /* Near me: nearest first, those within NEAR_KM apart from the rest; the map fits the near ones. */
  function nearMe() {
    found.forEach(function (m) { m.hub.km = km(here, m.hub); });
    found.sort(function (a, b) { return a.hub.km - b.hub.km; });
    var near = found.filter(function (m) { return m.hub.km <= NEAR_KM; });
    var rest = found.slice(near.length);
    heading.textContent = fill(text.nearYou, { distance: distance(NEAR_KM) });
    render(list, near);
    render(furtherList, rest.slice(0, PAGE));
    further.hidden = !rest.length;
    say(H.plural(JSON.parse(text.near), found.length));
    var fitted = (near.length ? near : found.slice(0, 3)).map(function (m) { return m.hub; });
    if (H.show) H.show(fitted, true, here);
  }

  /* Nothing matched: say so, then look the words up as a place and offer the hubs nearest to it. */
  function nothing(c) {
    say(c.words.length ? fill(text.none, { q: String(new FormData(form).get("q")).trim() }) : text.noneFilters);
    suggest.hidden = false;
    if (!c.words.length) return;
    var wanted = c.words.join(" ");
    loadPlaces().then(function (data) {
      if (fold(String(new FormData(form).get("q") || "")) !== wanted) return;  /* the search changed meanwhile */
      var place = data.places.find(function (p) { return p[4].indexOf(wanted) >= 0; }) ||
                  data.places.find(function (p) { return p[4].some(function (n) { return n.indexOf(wanted) === 0; }); });
      if (!place) return;
      var at = [place[2] / data.scale, place[3] / data.scale];
      var nearest = hubs.map(function (h) { h.km = km(at, h); return match(h, Object.assign({}, c, { words: [] })); })
        .filter(Boolean).sort(function (a, b) { return a.hub.km - b.hub.km; });
      var close = nearest.filter(function (m) { return m.hub.km <= NEAR_KM; });
      nearest = close.length ? close.slice(0, PAGE) : nearest.slice(0, 3);  /* none close: the three nearest, however far */
      if (!nearest.length) return;
      heading.textContent = fill(text.nearestTo, { place: place[0] });
      here = at;
      render(list, nearest);
      here = null;
      results.hidden = false;
      if (H.show) H.show(nearest.map(function (m) { return m.hub; }), true, at);
    }).catch(function (error) { if (window.console) console.warn("find.js: " + error.message); });
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
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      if (field.type === "checkbox") field.checked = params.getAll(field.name).indexOf(field.value) >= 0;
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
    $("finder-near-instead").addEventListener("click", locate);
    more.addEventListener("click", showMore);
    window.addEventListener("popstate", restore);
    restore();
  });
})();
