/* Hub maps on the home, hub and partner pages: Leaflet and markercluster from our own assets,
   hubs from JSON (hubs/map.json, or the page's config block), clusters built here in the
   browser. Every string from content is set with textContent, never parsed as HTML.
   Exposes window.hubsite: the decoded hubs (ready), and show()/here() for find.js. */
(function () {
  "use strict";
  var H = window.hubsite = window.hubsite || {};
  var lang = document.documentElement.lang || undefined;

  /* The name slugified, as hubsite/mapping.py slug_from_name: rows omit such slugs. */
  function slugify(name) {
    return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  /* Rows: [slug, name, city, lat, lon, country, partners, courses, languages, day bits,
     facility bits, status, next course, next date in days since 1970] (see mapping.py). */
  function decode(d) {
    return d.h.map(function (r, i) {
      var country = d.k[r[5]], next = r.length > 12 ? d.c[r[12]] : null;
      var courses = r[7].map(function (c) { return d.c[c]; });
      var partners = [].concat(r[6]).map(function (p) { return d.p[p]; });
      return {
        i: i, slug: r[0] || slugify(r[1]), name: r[1], city: r[2], lat: r[3], lon: r[4],
        cc: country[0], country: country[1], partners: partners,
        courses: courses.map(function (c) { return c[0]; }),
        langs: r[8].map(function (l) { return d.l[l]; }), days: r[9], facilities: r[10], status: r[11],
        courseNames: courses.map(function (c) { return c[1]; }), next: next && next[1], nextDay: r[13]
      };
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function day(days) {
    return new Date(days * 864e5).toLocaleDateString(lang, { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" });
  }

  /* A hub as DOM: its name linking to its page, then one line per fact. */
  function describe(hub, root, labels, tag) {
    var box = el(tag || "div", "hub-summary"), title = el("p", "hub-summary-name"), link = el("a", null, hub.name);
    link.href = root + "hubs/" + hub.slug + "/";
    link.dir = "auto";
    title.appendChild(link);
    box.appendChild(title);
    box.appendChild(el("p", null, hub.city + ", " + hub.country));
    box.appendChild(el("p", null, labels.host + " " + hub.partners[0]));
    if (hub.status) box.appendChild(el("p", "badge", labels.status[["active", "upcoming", "paused", "closed"][hub.status]]));
    if (hub.next) box.appendChild(el("p", null, labels.next + " " + hub.next + ", " + day(hub.nextDay)));
    return box;
  }

  function clusterIcon(labels) {
    return function (cluster) {
      var n = cluster.getChildCount(), inner = el("div"), count = el("span", null, String(n));
      count.appendChild(el("span", "visually-hidden", " " + labels.hubs));
      inner.appendChild(count);
      return L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + (n < 10 ? "small" : n < 100 ? "medium" : "large"), iconSize: L.point(40, 40) });
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
    var markers = hubs.map(function (hub) {
      var marker = L.marker([hub.lat, hub.lon], { title: hub.name, alt: hub.name, zIndexOffset: hub.slug === cfg.focus ? 1000 : 0 });
      marker.hub = hub;
      return marker;
    });
    var layer = cfg.cluster ? L.markerClusterGroup({ iconCreateFunction: clusterIcon(cfg.labels), showCoverageOnHover: false }) : L.featureGroup();
    /* A popup is made on a marker's first click (or Enter), not 10,000 of them up front. */
    layer.on("click keypress", function (event) {
      var marker = event.layer, key = event.originalEvent && event.originalEvent.keyCode;
      if (marker.hub && !marker.getPopup() && (event.type === "click" || key === 13)) {
        marker.bindPopup(describe(marker.hub, cfg.root, cfg.labels)).openPopup();
      }
    });
    /* On the map first: markercluster's addLayers is quadratic off the map (hasLayer scans). */
    map.addLayer(layer);
    if (layer.addLayers) layer.addLayers(markers, true); else markers.forEach(function (m) { layer.addLayer(m); });
    box.setAttribute("data-state", "ready");
    H.readyAt = performance.now();
    if (!cfg.data) return;
    var you = null, showingAll = true;
    H.show = function (list, active, from) {
      if (!(showingAll && list.length === hubs.length)) {
        layer.clearLayers();
        layer.addLayers(list.map(function (h) { return markers[h.i]; }), true);
        showingAll = list.length === hubs.length;
      }
      var points = active ? list.slice(0, from ? 5 : list.length).map(function (h) { return [h.lat, h.lon]; }) : all;
      fit(map, from ? points.concat([from]) : points, 12);
    };
    H.here = function (at) {
      if (you) you.remove();
      you = L.circleMarker(at, { radius: 8, color: "#0b5cad", fillOpacity: 0.6 }).bindTooltip(el("span", null, cfg.labels.you)).addTo(map);
    };
  }

  function init(box) {
    var cfg = JSON.parse(document.getElementById(box.getAttribute("data-map")).textContent);
    var ready = load(cfg).then(decode);
    H.labels = cfg.labels;
    H.root = cfg.root;
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

  H.describe = describe;
  H.el = el;
  var boxes = document.querySelectorAll("[data-map]");
  for (var i = 0; i < boxes.length; i++) {
    var ready = init(boxes[i]);
    if (boxes[i].id === "map_home") H.ready = ready;
  }
})();
