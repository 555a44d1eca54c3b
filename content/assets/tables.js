/* Tables wider than the screen: a keyboard can reach and scroll them. */
(function () {
  "use strict";

  /* Tables wider than the screen scroll sideways in the theme's box (.md-typeset__scrollwrap, made by the
     theme's script). A keyboard user can scroll such a box only by Tab-ing to something in it; a table without
     links has nothing, so while the box is too narrow for its table it takes focus itself (the arrow keys then
     scroll it) and is a named region, as WCAG 2.1.1 asks. When it fits again it stops being a Tab stop. */
  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])";

  function regionName(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    /* the nearest heading before the table, inside the article */
    for (var el = wrap; el && !el.matches("article"); el = el.parentElement) {
      for (var prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) return prev.textContent.replace(/¶$/, "").trim();
      }
    }
    return "";
  }

  function markScrollRegion(wrap) {
    if (wrap.hasAttribute("data-ps-scroll")) return;
    var name = regionName(wrap);
    wrap.setAttribute("data-ps-scroll", "");
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", (name ? "表格：" + name : "表格") + "（可左右滚动）");
  }

  function unmarkScrollRegion(wrap) {
    ["data-ps-scroll", "tabindex", "role", "aria-label"].forEach(function (a) { wrap.removeAttribute(a); });
  }

  function updateScrollRegion(wrap) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) markScrollRegion(wrap);
    /* not while it has focus: the reader is on it, and the next Tab goes on from there */
    else if (wrap.hasAttribute("data-ps-scroll") && document.activeElement !== wrap) unmarkScrollRegion(wrap);
  }

  function initScrollRegions() {
    /* only tables with nothing focusable in them; the others are reached through their links */
    var wraps = Array.prototype.filter.call(document.querySelectorAll(".md-typeset .md-typeset__scrollwrap"),
      function (wrap) { return !wrap.querySelector(FOCUSABLE); });
    if (!wraps.length) return;
    wraps.forEach(function (wrap) {
      /* A table in a long block not yet laid out (.ps-long, content-visibility) has no width to compare
         without laying it out, which is what the block saves: it is taken as wide until it is laid out,
         so that Tab cannot pass it by before it is. */
      if (wrap.checkVisibility && wrap.checkVisibility() && !wrap.checkVisibility({contentVisibilityAuto: true})) {
        markScrollRegion(wrap);
      }
      wrap.addEventListener("blur", function () { updateScrollRegion(wrap); });
    });
    if (typeof ResizeObserver === "function") {
      var observer = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) { updateScrollRegion(entry.target); });
      });
      wraps.forEach(function (wrap) { observer.observe(wrap); });
    } else {
      var all = function () { wraps.forEach(updateScrollRegion); };
      all();
      window.addEventListener("resize", all);
    }
  }

  /* the theme wraps the tables when its document$ emits (after its own handlers; once, without instant loading) */
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(initScrollRegions);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initScrollRegions);
  else initScrollRegions();
})();
