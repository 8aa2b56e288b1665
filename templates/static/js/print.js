/* The flyer's "Print" button: shown only when there is a script to press it with. */
(function () {
  "use strict";
  var tools = document.querySelector("[data-print]");
  if (!tools || !window.print) return;
  tools.hidden = false;
  tools.querySelector("button").addEventListener("click", function () { window.print(); });
})();
