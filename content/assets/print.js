/* Print: put this page's address into the print footer (shown only on paper), and show the 打印 buttons (they need
   this script). */
(function () {
  "use strict";
  function init() {
    document.querySelectorAll(".ps-print-url").forEach(function (el) { el.textContent = window.location.href.split("#")[0]; });
    document.querySelectorAll(".ps-print-button").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
