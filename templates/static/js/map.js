/* Hub maps on the home, hub and partner pages: Leaflet and markercluster from our own assets,
   hubs from JSON (hubs/map.json, or the page's config block), clusters built here in the
   browser. Every string from content is set with textContent, never parsed as HTML.
   Exposes window.hubsite: the decoded hubs (ready), and show()/here() for find.js. */
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

  function clusterIcon(labels) {
    return function (cluster) {
      var n = cluster.getChildCount(), inner = el("div"), count = el("span", null, n.toLocaleString(lang));
      count.setAttribute("aria-hidden", "true");
      inner.appendChild(count);
      inner.appendChild(el("span", "visually-hidden", plural(labels.hubs, n)));
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
