/* Find a hub: search, filters and "near me" over the home page's hubs, narrowing the list
   and the map together. The form's fields are the URL query (?country=KE&day=tuesday):
   a filtered view can be shared, and back/forward restore it. No server, no framework. */
(function () {
  "use strict";
  var H = window.hubsite, form = document.getElementById("finder");
  if (!form || !H || !H.ready || !window.URLSearchParams) return;
  function $(id) { return document.getElementById(id); }
  var results = $("finder-results"), list = $("finder-list"), more = $("finder-more");
  var status = $("finder-status"), directory = $("directory");
  var DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  var PAGE = 50, hubs = [], matches = [], shown = 0, here = null, timer = 0;

  /* Case- and accent-insensitive: "sao paulo" finds "São Paulo". */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function criteria() {
    var data = new FormData(form);
    return {
      words: fold(String(data.get("q") || "")).split(/\s+/).filter(Boolean),
      country: data.get("country"), course: data.get("course"), language: data.get("language"),
      day: DAYS.indexOf(data.get("day")),
      facilities: data.getAll("facility").reduce(function (bits, f) { return bits | (1 << H.facilities.indexOf(f)); }, 0)
    };
  }

  function active(c) {
    return c.words.length || c.country || c.course || c.language || c.day >= 0 || c.facilities || here;
  }

  function matches1(h, c) {
    if (c.country && h.cc !== c.country) return false;
    if (c.course && h.courses.indexOf(c.course) < 0) return false;
    if (c.language && h.langs.indexOf(c.language) < 0) return false;
    if (c.day >= 0 && !(h.days & (1 << c.day))) return false;
    if ((h.facilities & c.facilities) !== c.facilities) return false;
    return c.words.every(function (w) { return h.folded.indexOf(w) >= 0; });
  }

  /* Great-circle distance in km (haversine). */
  function km(a, h) {
    var r = Math.PI / 180, dLat = (h.lat - a[0]) * r, dLon = (h.lon - a[1]) * r;
    var x = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[0] * r) * Math.cos(h.lat * r) * Math.pow(Math.sin(dLon / 2), 2);
    return 12742 * Math.asin(Math.min(1, Math.sqrt(x)));
  }

  function say(text) { status.textContent = text; }

  function count(n) {
    var key = here ? "near" : n === 1 ? "countOne" : "count";
    return form.dataset[key].replace("{n}", n.toLocaleString());
  }

  function item(h) {
    var li = H.describe(h, H.root, H.labels, "li");
    if (here) li.appendChild(H.el("p", "distance", Math.round(h.km).toLocaleString() + " km"));
    return li;
  }

  function showMore() {
    var end = Math.min(matches.length, shown + PAGE), fragment = document.createDocumentFragment();
    for (; shown < end; shown++) fragment.appendChild(item(matches[shown]));
    list.appendChild(fragment);
    more.hidden = shown >= matches.length;
  }

  /* Narrow the list and the map to what the form asks for. */
  function apply() {
    var c = criteria(), on = !!active(c);
    matches = hubs.filter(function (h) { return matches1(h, c); });
    if (here) {
      matches.forEach(function (h) { h.km = km(here, h); });
      matches.sort(function (a, b) { return a.km - b.km; });
    }
    directory.hidden = on;
    results.hidden = !on;
    list.textContent = "";
    shown = 0;
    if (on) showMore();
    say(on ? count(matches.length) : form.dataset.all.replace("{n}", hubs.length.toLocaleString()));
    if (H.show) H.show(matches, on, here);
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
    var params = new URLSearchParams(location.search);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      if (field.type === "checkbox") field.checked = params.getAll(field.name).indexOf(field.value) >= 0;
      else field.value = params.get(field.name) || "";
    });
    apply();
  }

  function locate() {
    if (!navigator.geolocation) return say(form.dataset.noLocation);
    say(form.dataset.locating);
    navigator.geolocation.getCurrentPosition(function (position) {
      here = [position.coords.latitude, position.coords.longitude];
      if (H.here) H.here(here);
      apply();
    }, function () { say(form.dataset.noLocation); }, { timeout: 15000, maximumAge: 600000 });
  }

  H.ready.then(function (decoded) {
    hubs = decoded;
    hubs.forEach(function (h) { h.folded = fold([h.name, h.city, h.country].concat(h.partners, h.courseNames).join(" ")); });
    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); commit(); });
    form.addEventListener("change", commit);
    form.addEventListener("input", function (event) {
      if (event.target.type !== "search") return;
      clearTimeout(timer);
      timer = setTimeout(apply, 150);
    });
    form.addEventListener("reset", function () {
      here = null;
      if (H.here) H.here(null);
      setTimeout(commit, 0);
    });
    $("finder-near").addEventListener("click", locate);
    more.addEventListener("click", showMore);
    window.addEventListener("popstate", restore);
    restore();
  });
})();
