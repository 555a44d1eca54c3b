/* Print: put this page's address into the print footer (shown only on paper). */
(function () {
  "use strict";
  function fill() {
    document.querySelectorAll(".ps-print-url").forEach(function (el) { el.textContent = window.location.href.split("#")[0]; });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
