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
     languages, facility bits, status, area, postal code]; each session [course, day bits, start
     and end minutes, language, next meeting in days after today, sign-up, state, slug]. */
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
          signup: s[6] < 0 ? null : d.signups[s[6]], state: s[7], slug: s[8] || course[0]
        };
      });
      return {
        i: i, slug: r[0] || slugify(r[1]), name: r[1], city: place[0], lat: r[3] / d.scale, lon: r[4] / d.scale,
        cc: country[0], country: country[1], partners: [].concat(r[5]).map(function (p) { return d.partners[p]; }),
        sessions: sessions, langs: r[7].map(function (l) { return d.languages[l]; }), facilities: r[8], status: r[9],
        area: r[10], postal: r[11],
        next: sessions.length && sessions[0].next !== null ? sessions[0].courseName : null, nextDay: sessions.length ? sessions[0].next : null
      };
    });
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

  function clusterIcon(labels, n) {
    var inner = el("div"), count = el("span", null, n.toLocaleString(lang));
    count.setAttribute("aria-hidden", "true");
    inner.appendChild(count);
    inner.appendChild(el("span", "visually-hidden", plural(labels.hubs, n)));
    return L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + (n < 10 ? "small" : n < 100 ? "medium" : "large"), iconSize: L.point(40, 40) });
  }

  /* A hub's marker, made when the view first shows it and kept (with its popup) after. Its popup
     is made on its first click (or Enter), not 100,000 of them up front. */
  function hubMarker(hub, cfg) {
    var marker = L.marker([hub.lat, hub.lon], { title: hub.name, alt: hub.name, zIndexOffset: hub.slug === cfg.focus ? 1000 : 0 });
    activated(marker, function () {
      if (!marker.getPopup()) marker.bindPopup(describe(hub, cfg.root, cfg.labels)).openPopup();
    });
    return marker;
  }

  /* A click on a marker, or Enter on it (Leaflet makes markers focusable and passes their keys on). */
  function activated(marker, act) {
    marker.on("click keypress", function (event) {
      if (event.type === "click" || (event.originalEvent && event.originalEvent.keyCode === 13)) act();
    });
  }

  /* The clusters and markers of the view, from supercluster's index over `list`; redrawn on every
     move, keeping what stays in view (an open popup stays open). A cluster opens a zoom level
     that splits it, or, for hubs at one address that no zoom splits, a popup listing them. */
  function clusters(map, cfg, hubs, markerOf) {
    var layer = L.layerGroup().addTo(map), shown = {}, index = null, maxZoom = map.getMaxZoom();
    function clusterMarker(feature) {
      var id = feature.properties.cluster_id, c = feature.geometry.coordinates, at = [c[1], c[0]];
      var marker = L.marker(at, { icon: clusterIcon(cfg.labels, feature.properties.point_count), title: plural(cfg.labels.hubs, feature.properties.point_count) });
      activated(marker, function () {
        var zoom = index.getClusterExpansionZoom(id);
        if (zoom <= maxZoom) return map.setView(at, zoom);
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
        next[key] = shown[key] || (p.cluster ? clusterMarker(feature) : markerOf(p.i));
      });
      Object.keys(shown).forEach(function (key) { if (!(key in next)) layer.removeLayer(shown[key]); });
      Object.keys(next).forEach(function (key) { if (!(key in shown)) layer.addLayer(next[key]); });
      shown = next;
    }
    map.on("moveend", redraw);
    return function (list) {
      index = new Supercluster({ radius: 60, maxZoom: maxZoom });
      index.load(list.map(function (h) { return { type: "Feature", properties: { i: h.i }, geometry: { type: "Point", coordinates: [h.lon, h.lat] } }; }));
      layer.clearLayers();
      shown = {};
      redraw();
    };
  }

  function load(cfg) {
    if (!cfg.data) return Promise.resolve(cfg.hubs);
    return fetch(cfg.data).then(function (response) {
      if (!response.ok) throw new Error(cfg.data + ": " + response.status);
      return response.json();
    });
  }

  function fit(map, points, maxZoom) {
    if (points.length) map.fitBounds(L.latLngBounds(points), { maxZoom: maxZoom, padding: [24, 24] });
  }

  /* Build the map and its markers; on the home page, give find.js show() and here(). */
  function draw(box, cfg, hubs) {
    box.hidden = false;
    var all = hubs.map(function (h) { return [h.lat, h.lon]; });
    var fitted = cfg.fit && all.length, options = L.extend({}, cfg.options);
    if (fitted) { delete options.center; delete options.zoom; }  /* one view, one set of tiles */
    var map = L.map(box, options);
    if (fitted) fit(map, all, 12);
    L.tileLayer(cfg.tiles.url, cfg.tiles.options).addTo(map);
    var markers = [];
    function markerOf(i) { return markers[i] || (markers[i] = hubMarker(hubs[i], cfg)); }
    var show;
    if (cfg.cluster) {
      show = clusters(map, cfg, hubs, markerOf);
    } else {
      var layer = L.layerGroup().addTo(map);
      show = function (list) { layer.clearLayers(); list.forEach(function (h) { layer.addLayer(markerOf(h.i)); }); };
    }
    show(hubs);
    box.setAttribute("data-state", "ready");
    H.readyAt = performance.now();
    if (!cfg.data) return;
    var you = null, showing = hubs;
    H.show = function (list, active, from) {
      if (!(list.length === showing.length && list.every(function (h, k) { return h === showing[k]; }))) show(list);
      showing = list;
      var points = active ? list.slice(0, from ? 5 : list.length).map(function (h) { return [h.lat, h.lon]; }) : all;
      fit(map, from ? points.concat([from]) : points, 12);
    };
    H.here = function (at) {
      if (you) you.remove();
      if (!at) return;
      you = L.circleMarker(at, { radius: 8, color: "#0b5cad", fillOpacity: 0.6 }).bindTooltip(el("span", null, cfg.labels.you)).addTo(map);
    };
  }

  function init(box) {
    var cfg = JSON.parse(document.getElementById(box.getAttribute("data-map")).textContent);
    var ready = load(cfg).then(decode);
    H.labels = cfg.labels;
    H.root = cfg.root;
    H.hubPage = cfg.hubPage;  /* where a hub's page is, from hubsite/urls.py: "hubs/{slug}/" */
    H.places = cfg.places;  /* the names of places near the hubs (home page only) */
    H.sessionAnchor = cfg.sessionAnchor;
    /* Drawn before find.js's own callback runs (registered first), and a map that fails
       to draw leaves the data, the finder and the list working. */
    ready.then(function (hubs) {
      if (!window.L) throw new Error("Leaflet did not load");
      draw(box, cfg, hubs);
    }).catch(function (error) {
      box.hidden = true;
      box.setAttribute("data-state", "failed");
      console.warn("map: " + error.message);
    });
    return ready;
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
