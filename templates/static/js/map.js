/* Hub maps on the home, hub and partner pages: Leaflet and supercluster from our own assets,
   hubs from JSON (hubs/map.json, or the page's config block). Clusters come from supercluster's
   index, and only what the view shows is on the map, made again as it moves: 100,000 hubs cost
   the index, not 100,000 markers. Every string from content is set with textContent, never
   parsed as HTML. Exposes window.hubsite: the decoded hubs (ready), and show()/here() for find.js. */
(function () {
  "use strict";
  var H = window.hubsite = window.hubsite || {};
  var lang = document.documentElement.lang || undefined;

  /* The name slugified, as hubsite/render/mapping.py slug_from_name: rows omit such slugs. */
  function slugify(name) {
    return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  /* Rows (see hubsite/render/mapping.py): [slug, name, place, lat, lon, partners, sessions,
     languages, facility bits, status, area, postal code, online only]; each session [course, day
     bits, start and end minutes, language, next meeting in days after today, sign-up, state, slug,
     mode, sign-up state, the hub's UTC offset in minutes at the next meeting]. */
  function decode(d) {
    H.facilities = d.facilities;
    H.courses = d.courses;
    return d.hubs.map(function (r, i) {
      var place = d.places[r[2]], country = d.countries[place[1]];
      var sessions = r[6].map(function (s) {
        var course = d.courses[s[0]];
        return {
          course: course[0], courseName: course[1], days: s[1], start: s[2], end: s[3],
          lang: s[4] < 0 ? null : d.languages[s[4]], next: s[5] < 0 ? null : d.today + s[5],
          signup: s[6] < 0 ? null : d.signups[s[6]], state: s[7], slug: s[8] || course[0],
          mode: d.modes[s[9]], signupState: d.signupStates[s[10]],
          instant: nextInstant(d.today, s)
        };
      });
      return {
        i: i, slug: r[0] || slugify(r[1]), name: r[1], city: place[0], lat: r[3] / d.scale, lon: r[4] / d.scale,
        cc: country[0], country: country[1], partners: [].concat(r[5]).map(function (p) { return d.partners[p]; }),
        sessions: sessions, langs: r[7].map(function (l) { return d.languages[l]; }), facilities: r[8], status: r[9],
        area: r[10], postal: r[11], online: r[12] === 1,
        next: sessions.length && sessions[0].next !== null ? sessions[0].courseName : null, nextDay: sessions.length ? sessions[0].next : null
      };
    });
  }

  /* The next meeting's start as a UTC instant: its local day and start, less the hub's offset then. */
  function nextInstant(today, s) {
    return s[5] < 0 || typeof s[11] !== "number" ? null : new Date((today + s[5]) * 864e5 + (s[2] - s[11]) * 6e4);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* "{n} hubs" with its values; a count's words by the language's plural category (the page
     gives them per category: hubsite/render/catalogues.py plural_forms). */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? values[key] : whole; });
  }
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  function plural(forms, n) {
    var text = forms[plurals ? plurals.select(n) : "other"] || forms.other;
    return fill(text, { n: n.toLocaleString(lang) });
  }

  function day(days) {
    return new Date(days * 864e5).toLocaleDateString(lang, { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" });
  }

  /* A hub as DOM: its name linking to its page, then one line per fact. */
  function describe(hub, root, labels, tag) {
    var box = el(tag || "div", "hub-summary"), title = el("p", "hub-summary-name"), link = el("a", null, hub.name);
    link.href = root + H.hubPage.replace("{slug}", hub.slug);
    link.dir = "auto";
    title.appendChild(link);
    box.appendChild(title);
    box.appendChild(el("p", null, fill(labels.place, { city: hub.city, country: hub.country })));
    box.appendChild(el("p", null, fill(labels.host, { partner: hub.partners[0] })));
    if (hub.status) box.appendChild(el("p", "badge", labels.status[["active", "upcoming", "paused", "closed"][hub.status]]));
    if (hub.next) box.appendChild(el("p", null, fill(labels.next, { course: hub.next, date: day(hub.nextDay) })));
    return box;
  }

  /* "1.9K" for 1,926 (the language's own short form), so a count fits its disc; the exact
     number is in the words a screen reader says, and in the tooltip. */
  var compact = window.Intl && Intl.NumberFormat ? new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 }) : null;
  function clusterIcon(labels, n) {
    var shown = n < 1000 || !compact ? n.toLocaleString(lang) : compact.format(n), size = shown.length > 3 ? 48 : 40;
    var inner = el("div"), count = el("span", null, shown);
    count.setAttribute("aria-hidden", "true");
    inner.appendChild(count);
    inner.appendChild(el("span", "visually-hidden", plural(labels.hubs, n)));
    return L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + (n < 10 ? "small" : n < 100 ? "medium" : "large"), iconSize: L.point(size, size) });
  }

  /* A click on a marker, or Enter on it (Leaflet makes markers focusable and passes their keys on). */
  function activated(marker, act) {
    marker.on("click keypress", function (event) {
      if (event.type === "click" || (event.originalEvent && event.originalEvent.keyCode === 13)) act();
    });
  }

  /* The clusters and markers of the view, from supercluster's index over the hubs numbered
     `list`; redrawn on every move, keeping what stays in view (an open popup stays open). A
     cluster opens a zoom level that splits it, or, for hubs at one address that no zoom splits,
     a popup listing them. `at.hubs()`: the hubs' details, once they are in. */
  function clusters(map, cfg, at) {
    var layer = L.layerGroup().addTo(map), shown = {}, index = null, maxZoom = map.getMaxZoom();
    function clusterMarker(feature) {
      var id = feature.properties.cluster_id, c = feature.geometry.coordinates, where = [c[1], c[0]];
      var marker = L.marker(where, { icon: clusterIcon(cfg.labels, feature.properties.point_count), title: plural(cfg.labels.hubs, feature.properties.point_count) });
      activated(marker, function () {
        var zoom = index.getClusterExpansionZoom(id), hubs = at.hubs();
        if (zoom <= maxZoom) return map.setView(where, zoom);
        if (!hubs) return;
        var list = el("ul", "hub-list");
        index.getLeaves(id, 50).forEach(function (leaf) { list.appendChild(describe(hubs[leaf.properties.i], cfg.root, cfg.labels, "li")); });
        marker.bindPopup(list).openPopup();
      });
      return marker;
    }
    function redraw() {
      if (!index) return;
      var bounds = map.getBounds(), next = {};
      index.getClusters([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], map.getZoom()).forEach(function (feature) {
        var p = feature.properties, key = p.cluster ? "c" + p.cluster_id : "h" + p.i;
        next[key] = shown[key] || (p.cluster ? clusterMarker(feature) : at.marker(p.i));
      });
      Object.keys(shown).forEach(function (key) { if (!(key in next)) layer.removeLayer(shown[key]); });
      Object.keys(next).forEach(function (key) { if (!(key in shown)) layer.addLayer(next[key]); });
      shown = next;
    }
    map.on("moveend", redraw);
    return {
      show: function (list) {
        index = new Supercluster({ radius: 60, maxZoom: maxZoom });
        index.load(list.map(function (i) { var p = at.points[i]; return { type: "Feature", properties: { i: i }, geometry: { type: "Point", coordinates: [p[1], p[0]] } }; }));
        layer.clearLayers();
        shown = {};
        redraw();
      },
      /* The details are in: the markers drawn without them are made again, with names. */
      named: function () {
        Object.keys(shown).forEach(function (key) {
          if (key[0] !== "h") return;
          layer.removeLayer(shown[key]);
          layer.addLayer(shown[key] = at.marker(+key.slice(1)));
        });
      }
    };
  }

  /* A fixed set of markers, for the small maps of hub and partner pages. */
  function plain(map, cfg, at) {
    var layer = L.layerGroup().addTo(map), showing = [];
    function show(list) {
      showing = list;
      layer.clearLayers();
      list.forEach(function (i) { layer.addLayer(at.marker(i)); });
    }
    return { show: show, named: function () { show(showing); } };
  }

  function fetched(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response;
    });
  }

  function json(response) { return response.json(); }

  /* points.json: [lat, lon, lat, lon, ...] in 1/scale degree, in the order of map.json's rows;
     `online`: the rows no map pins. */
  function pointsOf(d) {
    var out = [], offline = {};
    for (var k = 0; k < d.points.length; k += 2) out.push([d.points[k] / d.scale, d.points[k + 1] / d.scale]);
    (d.online || []).forEach(function (i) { offline[i] = true; });
    return { points: out, offline: offline };
  }

  function fit(map, points, maxZoom) {
    if (points.length) map.fitBounds(L.latLngBounds(points), { maxZoom: maxZoom, padding: [24, 24] });
  }

  /* The rows a map pins: a hub whose every group meets online is no place to go (`offline` marks
     them: points.json's `online` rows, or the decoded hubs' `online`). */
  function pinned(rows, offline) {
    return rows.filter(function (i) { return !offline[i]; });
  }

  function range(n) {
    var out = [];
    for (var i = 0; i < n; i++) out.push(i);
    return out;
  }

  /* Draw the map from the hubs' points alone; `named(hubs)`, once their details are in, puts
     names on the markers and, on the home page, gives find.js show() and here(). */
  function draw(box, cfg, points, offline) {
    box.hidden = false;
    var placed = pinned(range(points.length), offline).map(function (i) { return points[i]; });
    var fitted = cfg.fit && placed.length, options = L.extend({}, cfg.options);
    if (fitted) { delete options.center; delete options.zoom; }  /* one view, one set of tiles */
    var map = L.map(box, options);
    if (fitted) fit(map, placed, 12);
    L.tileLayer(cfg.tiles.url, cfg.tiles.options).addTo(map);
    var hubs = null, markers = [];
    /* A hub's marker, made when the view first shows it and kept (with its popup) once it has a
       name; its popup is made on its first click (or Enter), not 100,000 of them up front. */
    function marker(i) {
      if (markers[i]) return markers[i];
      var hub = hubs && hubs[i];
      var made = L.marker(points[i], hub ? { title: hub.name, alt: hub.name, zIndexOffset: hub.slug === cfg.focus ? 1000 : 0 } : {});
      activated(made, function () {
        if (hubs && !made.getPopup()) made.bindPopup(describe(hubs[i], cfg.root, cfg.labels)).openPopup();
      });
      if (hub) markers[i] = made;
      return made;
    }
    var at = { points: points, marker: marker, hubs: function () { return hubs; } };
    var layer = (cfg.cluster ? clusters : plain)(map, cfg, at);
    layer.show(pinned(range(points.length), offline));
    box.setAttribute("data-state", "drawn");
    H.drawnAt = performance.now();
    return function named(decoded) {
      hubs = decoded;
      layer.named();
      box.setAttribute("data-state", "ready");
      H.readyAt = performance.now();
      if (cfg.data) finding(map, cfg, layer, placed, hubs);
    };
  }

  /* What find.js drives on the home map: the hubs it found, and where the visitor is. */
  function finding(map, cfg, layer, points, hubs) {
    var you = null, showing = hubs.filter(function (h) { return !h.online; });
    H.show = function (found, active, from) {
      var list = found.filter(function (h) { return !h.online; });  /* listed by the finder, never pinned */
      if (!(list.length === showing.length && list.every(function (h, k) { return h === showing[k]; }))) layer.show(list.map(function (h) { return h.i; }));
      showing = list;
      var shown = active ? list.slice(0, from ? 5 : list.length).map(function (h) { return [h.lat, h.lon]; }) : points;
      fit(map, from ? shown.concat([from]) : shown, 12);
    };
    H.here = function (at) {
      if (you) you.remove();
      if (!at) return;
      you = L.circleMarker(at, { radius: 8, color: "#0b5cad", fillOpacity: 0.6 }).bindTooltip(el("span", null, cfg.labels.you)).addTo(map);
    };
  }

  /* The home map fetches points.json and map.json at once, draws from the points (a fifteenth
     of the bytes) and reads the details after; a page's small map has its hubs inline. Resolves
     with the decoded hubs once the map has them (find.js then finds show()), or has failed: a
     map that fails to draw leaves the data, the finder and the list working. */
  function init(box) {
    var cfg = JSON.parse(document.getElementById(box.getAttribute("data-map")).textContent);
    H.labels = cfg.labels;
    H.root = cfg.root;
    H.hubPage = cfg.hubPage;  /* where a hub's page is, from hubsite/urls.py: "hubs/{slug}/" */
    H.places = cfg.places;  /* the names of places near the hubs (home page only) */
    H.sessionAnchor = cfg.sessionAnchor;
    var drawn, hubs;
    function drawing(placed) {
      if (!window.L) throw new Error("Leaflet did not load");
      return draw(box, cfg, placed.points, placed.offline);
    }
    if (cfg.points) {
      var details = fetched(cfg.data);
      drawn = fetched(cfg.points).then(json).then(pointsOf).then(drawing);
      hubs = drawn.then(null, function () {}).then(function () { return details; }).then(json).then(decode);
    } else {
      hubs = (cfg.data ? fetched(cfg.data).then(json) : Promise.resolve(cfg.hubs)).then(decode);
      drawn = hubs.then(function (list) {
        return drawing({ points: list.map(function (h) { return [h.lat, h.lon]; }), offline: list.map(function (h) { return h.online; }) });
      });
    }
    drawn.catch(function (error) {
      box.hidden = true;
      box.setAttribute("data-state", "failed");
      console.warn("map: " + error.message);
    });
    return hubs.then(function (list) {
      return drawn.then(function (named) { named(list); return list; }, function () { return list; });
    });
  }

  /* Add an element that loads `url`; resolves when it has loaded. */
  function fetchInto(tag, attribute, url, extra) {
    return new Promise(function (resolve, reject) {
      var node = el(tag);
      if (extra) extra(node);
      node.onload = resolve;
      node.onerror = function () { reject(new Error(url + " did not load")); };
      node[attribute] = url;
      document.head.appendChild(node);
    });
  }

  /* Leaflet's stylesheet and script; resolves once both are in. The stylesheet must be applied
     before a map is drawn: Leaflet finds its marker images through it. */
  function loadLeaflet(box) {
    if (window.L) return Promise.resolve();
    return Promise.all([
      fetchInto("link", "href", box.getAttribute("data-load-css"), function (link) { link.rel = "stylesheet"; }),
      fetchInto("script", "src", box.getAttribute("data-load-js"))
    ]);
  }

  /* A lazy box (data-load-js) starts once it is within a screen of the viewport. */
  function whenNear(box, start) {
    if (!box.hasAttribute("data-load-js")) return start();
    var go = function () { loadLeaflet(box).then(start, function (error) { console.warn("map: " + error.message); }); };
    if (!("IntersectionObserver" in window)) return go();
    var watcher = new IntersectionObserver(function (entries) {
      if (!entries.some(function (e) { return e.isIntersecting; })) return;
      watcher.disconnect();
      go();
    }, { rootMargin: "100% 0px" });
    /* A hidden box has no size to intersect: the element just above it stands in. */
    watcher.observe(box.previousElementSibling || box.parentNode);
  }

  H.describe = describe;
  H.el = el;
  H.fill = fill;
  H.plural = plural;
  var boxes = document.querySelectorAll("[data-map]");
  for (var i = 0; i < boxes.length; i++) {
    if (boxes[i].id === "map_home") H.ready = init(boxes[i]);
    else whenNear(boxes[i], init.bind(null, boxes[i]));
  }
})();
