/* The A–Z index's filter box: entries filtered by Chinese text or pinyin as the reader types. */
(function () {
  "use strict";

  /* A–Z index: filter entries by Chinese text or pinyin. */
  function initAZ() {
    var box = document.querySelector(".ps-azfilter");
    var input = document.getElementById("ps-az-input");
    if (!box || !input) return;
    box.hidden = false;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase().replace(/\s+/g, "");
      /* every group is laid out while a filter is on: the size a hidden group had is no guide to its new one */
      document.body.classList.toggle("ps-filtering", q !== "");
      document.querySelectorAll(".ps-azgroup li").forEach(function (li) {
        var hay = li.textContent.toLowerCase().replace(/\s+/g, "");
        li.hidden = q !== "" && hay.indexOf(q) === -1;
      });
      document.querySelectorAll(".ps-azgroup").forEach(function (group) {
        var visible = group.querySelector("li:not([hidden])");
        group.hidden = !visible;
        var heading = group.previousElementSibling;
        if (heading && /^H[1-6]$/.test(heading.tagName)) heading.hidden = !visible;
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initAZ);
  else initAZ();
})();
