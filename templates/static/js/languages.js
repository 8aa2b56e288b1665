/* Languages: remember the one a visitor picks (the switcher in the header, or the picker at the
   site's root), and at the root send a visitor who picked before straight to it; on Netlify the
   nf_lang cookie makes the root's Language= redirects (_redirects) follow the choice too.
   Nothing is remembered until a choice is made; without JavaScript the links work as links. */
(function () {
  "use strict";
  var KEY = "hubsite-language", store;
  try { store = window.localStorage; store.getItem(KEY); } catch (error) { return; }
  var links = document.querySelectorAll("a[data-language]"), known = {};
  Array.prototype.forEach.call(links, function (link) {
    known[link.getAttribute("data-language")] = link;
    link.addEventListener("click", function () {
      var key = link.getAttribute("data-language");
      try { store.setItem(KEY, key); } catch (error) { /* storage full or off: a link still works */ }
      document.cookie = "nf_lang=" + key.split("-")[0] + "; path=/; max-age=31536000; SameSite=Lax";
    });
  });
  var chosen = store.getItem(KEY);
  if (document.querySelector("[data-picker]") && chosen && known[chosen]) location.replace(known[chosen].href);
})();
