/* The site's service worker (hubsite/render/offline.py writes it at the site's root, so its scope
   is the site's own path): what a visitor opened opens again without a connection. Pages and data
   come from the network first, and from the cache when the network fails; the assets, whose
   names carry their bytes' hash, from the cache first. Only this site's own GET answers that
   succeeded are kept: never another origin's, never an error, never a POST. A page served from the
   cache is told so (offline.js asks, and shows when it was saved). One cache per site path and
   version: a new version of the site's assets empties the old one. */
"use strict";
var VERSION = {{ version|tojson }}, ASSETS = {{ assets|tojson }};
var PREFIX = "hubsite " + self.registration.scope + " ", CACHE = PREFIX + VERSION;
var served = {};  /* client id -> the Date of the cached page it was given */

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX) === 0 && name !== CACHE; }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

/* Ours: a GET of this origin, under the scope. */
function ours(request) {
  return request.method === "GET" && request.url.indexOf(self.registration.scope) === 0;
}

/* A page is kept without its query: the finder's ?radius=25 is the home page, once. */
function key(request) {
  if (request.mode !== "navigate") return request;
  var url = new URL(request.url);
  url.search = "";
  url.hash = "";
  return url.href;
}

/* Worth keeping: a whole, successful answer from this origin, as asked (not opaque, not an
   error, not redirected: a browser refuses a redirected answer to a page's request). */
function keepable(response) {
  return response && response.status === 200 && response.type === "basic" && !response.redirected;
}

function keep(request, response) {
  if (!keepable(response)) return response;
  var copy = response.clone();
  caches.open(CACHE).then(function (cache) { return cache.put(key(request), copy); });
  return response;
}

function networkFirst(event) {
  var request = event.request;
  return fetch(request).then(function (response) { return keep(request, response); }).catch(function (error) {
    return caches.open(CACHE).then(function (cache) { return cache.match(key(request)); }).then(function (found) {
      if (!found) throw error;
      if (request.mode === "navigate") served[event.resultingClientId || event.clientId] = found.headers.get("Date") || "";
      return found;
    });
  });
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) { return cache.match(request); }).then(function (found) {
    return found || fetch(request).then(function (response) { return keep(request, response); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (!ours(request)) return;  /* the browser's own way: another origin, a POST, outside the scope */
  var asset = request.url.indexOf(self.registration.scope + ASSETS) === 0;
  event.respondWith(asset ? cacheFirst(request) : networkFirst(event));
});

/* "keep": a page's own address and what it loaded before this worker took charge (its first
   visit), and its calendar files, each fetched and kept unless it is already.
   "saved?": whether the asking page came from the cache, and its date. */
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) event.waitUntil(keepAll(data.urls));
  if (data.type === "saved?" && event.source) {
    var id = event.source.id;
    if (Object.prototype.hasOwnProperty.call(served, id)) event.source.postMessage({ type: "saved", date: served[id] });
    delete served[id];
  }
});

function keepAll(addresses) {
  return caches.open(CACHE).then(function (cache) {
    return Promise.all(addresses.slice(0, 200).map(function (address) {
      var request;
      try { request = new Request(String(address), { credentials: "same-origin" }); } catch (error) { return null; }
      if (!ours(request)) return null;
      return cache.match(request).then(function (found) {
        return found || fetch(request).then(function (response) { if (keepable(response)) return cache.put(request, response); }).catch(function () { return null; });
      });
    }));
  });
}
