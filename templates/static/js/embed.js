/* A list made to be framed by a partner's website (embed.html). With map=1 in the frame's
   address (`?map=1`), the map above the list: map.js (and the clustering library before it) is
   added then, and loads Leaflet itself; any other value, or none, leaves the list alone. Opened on
   its own rather than in a frame, the list is also the partner's printable list: a Print button. */
(function () {
  "use strict";
  var maps = document.querySelector("[data-map-scripts]");
  if (maps && new URLSearchParams(location.search).get("map") === "1") {
    maps.getAttribute("data-map-scripts").split(" ").forEach(function (src) {
      var script = document.createElement("script");
      script.async = false;  /* in order: the clustering library before map.js */
      script.src = src;
      document.head.appendChild(script);
    });
  }
  var tools = document.querySelector("[data-print]");
  if (!tools || !window.print || window.top !== window.self) return;
  tools.hidden = false;
  tools.querySelector("button").addEventListener("click", function () { window.print(); });
})();
