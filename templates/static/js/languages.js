/* Languages: remember the one a visitor picks (the switcher in the header, or the picker at the
   site's root); at the root, send a visitor who picked before straight to it, and any other to
   the first language of their browser's (navigator.languages) that the site has. Netlify's
   Language= redirects (_redirects) do the same on the server, and the nf_lang cookie set here
   makes them follow a choice too; on any other host (GitHub Pages) this is what does it.
   Nothing is remembered until a choice is made; without JavaScript, or when no language of the
   browser's is on the site, the picker stays, and its links work as links. */
(function () {
  "use strict";
  var KEY = "hubsite-language";

  function storage() {
    try { var store = window.localStorage; store.getItem(KEY); return store; } catch (error) { return null; }
  }

  function remember(store, key) {
    if (store) {
      try { store.setItem(KEY, key); } catch (error) { /* storage full: a link still works */ }
    }
    document.cookie = "nf_lang=" + key.split("-")[0] + "; path=/; max-age=31536000; SameSite=Lax";
  }

  /* The site's language (its key: 'zh-hans') for a browser's tags, best first: a tag the site has
     as it is ('pt-br'), else the first of the site's with the same primary subtag ('es-MX' -> 'es'). */
  function browserChoice(known, tags) {
    var keys = Object.keys(known);
    for (var i = 0; i < tags.length; i++) {
      var tag = String(tags[i]).toLowerCase(), primary = tag.split("-")[0];
      if (known[tag]) return tag;
      for (var j = 0; j < keys.length; j++) {
        if (keys[j].split("-")[0] === primary) return keys[j];
      }
    }
    return null;
  }

  function browserTags() {
    if (navigator.languages && navigator.languages.length) return navigator.languages;
    return navigator.language ? [navigator.language] : [];
  }

  var store = storage(), known = {};
  Array.prototype.forEach.call(document.querySelectorAll("a[data-language]"), function (link) {
    var key = link.getAttribute("data-language");
    known[key] = link;
    link.addEventListener("click", function () { remember(store, key); });
  });
  if (!document.querySelector("[data-picker]")) return;
  var chosen = store && store.getItem(KEY);
  var target = chosen && known[chosen] ? chosen : browserChoice(known, browserTags());
  if (target) location.replace(known[target].href);
})();
