/* Offline reading: registers the site's service worker (service-worker.js at the site's root,
   whose scope is the site's own path), hands it this page's address, the files the page loaded
   before the worker took charge and its calendar files to keep, and, when the worker says this
   page came from its cache, shows when it was saved ("You are offline. This page was saved on 5
   December."). Nothing here is needed: without a service worker (file://, an old browser, a
   private window that refuses one) the page is the same page. Text is set with textContent only. */
(function () {
  "use strict";
  var script = document.currentScript, notice = document.getElementById("offline-notice");
  if (!script || location.protocol === "file:" || !("serviceWorker" in navigator) || !window.caches) return;
  var worker = new URL(script.dataset.worker, location.href), scope = new URL("./", worker).href;
  var lang = document.documentElement.lang || "en";

  function within(address) { return address.indexOf(scope) === 0; }
  function page() { return location.href.split(/[?#]/)[0]; }

  /* What to keep: the page, its own calendars (those in its folder: a hub's, not every hub's a
     course page links to, on a metered link), and on a first visit what it loaded, in this site only. */
  function addresses(first) {
    var found = [page()], own = page().replace(/[^/]*$/, "");
    Array.prototype.forEach.call(document.querySelectorAll('a[href$=".ics"]'), function (link) {
      if (link.href.indexOf(own) === 0 && found.length < 20) found.push(link.href);
    });
    if (first && window.performance && performance.getEntriesByType) {
      performance.getEntriesByType("resource").forEach(function (entry) { found.push(entry.name.split("#")[0]); });
    }
    return found.filter(within);
  }

  /* "5 December", or "5 December 2026" in another year, in the page's language. */
  function saved(date) {
    var options = { day: "numeric", month: "long" };
    if (date.getFullYear() !== new Date().getFullYear()) options.year = "numeric";
    return new Intl.DateTimeFormat(lang, options).format(date);
  }

  function showSaved(header) {
    if (!notice) return;
    var date = new Date(header || notice.dataset.built + "T12:00:00Z");
    if (isNaN(date.getTime())) date = new Date(notice.dataset.built + "T12:00:00Z");
    notice.textContent = notice.dataset.text.replace("{date}", saved(date));
    notice.hidden = false;
  }

  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "saved") showSaved(event.data.date);
  });
  if (navigator.serviceWorker.startMessages) navigator.serviceWorker.startMessages();
  var first = !navigator.serviceWorker.controller;
  if (!first) navigator.serviceWorker.controller.postMessage({ type: "saved?" });
  navigator.serviceWorker.register(worker.href).then(function (registration) {
    /* A new version of the site: its worker takes over, its cache replaces the old (browsers
       otherwise check only now and then); offline, the worker in place goes on. */
    if (!first) registration.update().catch(function () { return null; });
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (registration.active) registration.active.postMessage({ type: "keep", urls: addresses(first) });
  }).catch(function (error) {
    if (window.console) console.warn("offline.js: " + error.message);
  });
})();
