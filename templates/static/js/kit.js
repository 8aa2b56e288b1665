/* A partner's kit (partials/partner_kit.html): the Copy button of the code to paste, shown only
   when there is a script to press it with. Without it, the code is selectable text. */
(function () {
  "use strict";
  var tools = document.querySelectorAll("[data-copy]");
  Array.prototype.forEach.call(tools, function (tool) {
    var field = document.getElementById(tool.getAttribute("data-copy"));
    var button = tool.querySelector("button"), status = tool.querySelector("[role=status]");
    if (!field || !button) return;
    tool.hidden = false;
    function copied() { status.textContent = button.getAttribute("data-done"); }
    function byCommand() { if (document.execCommand("copy")) copied(); }
    button.addEventListener("click", function () {
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(field.value).then(copied, byCommand);
      else byCommand();
    });
  });
})();
