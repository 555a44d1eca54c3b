/* Keyboard access to the theme's CSS-only toggles (labels of hidden checkboxes). The theme clicks a focused
   label on Enter; this adds Space for the menu button. On narrow screens (and at
   200 % zoom) the navigation is a drawer over the page: opening it moves focus into it, Tab and Shift+Tab
   stay inside it while it is open, Escape closes it and returns to the menu button, and the drawer's labels
   take focus (a section such as 关于, the current page's table of contents, the way back up a level). */
(function () {
  "use strict";
  var drawer = document.getElementById("__drawer");
  var button = document.querySelector('label.md-header__button[for="__drawer"]');
  var panel = document.querySelector(".md-sidebar--primary");
  var narrow = window.matchMedia("(max-width: 76.234375em)");
  if (!drawer || !button || !panel) return;

  function open() {
    return drawer.checked && narrow.matches;
  }

  function stops() {
    return Array.prototype.filter.call(panel.querySelectorAll("a[href], label[tabindex='0'], input:not(.md-toggle)"),
      function (el) { return el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }); });
  }

  function labels() {
    document.querySelectorAll('.md-nav--primary label[for]:not([for="__drawer"])').forEach(function (label) {
      if (!label.hasAttribute("data-ps-tabindex")) label.setAttribute("data-ps-tabindex", label.getAttribute("tabindex") || "");
      var wide = label.getAttribute("data-ps-tabindex");
      if (narrow.matches) label.setAttribute("tabindex", "0");
      else if (wide) label.setAttribute("tabindex", wide);
      else label.removeAttribute("tabindex");
    });
  }

  function close() {
    drawer.checked = false;
    drawer.dispatchEvent(new Event("change"));
  }

  drawer.addEventListener("change", function () {
    if (open()) {
      /* after the slide-in, when the drawer is visible and can take focus */
      setTimeout(function () { var s = stops(); if (s.length && !panel.contains(document.activeElement)) s[0].focus(); }, 260);
    } else if (panel.contains(document.activeElement)) {
      button.focus();
    }
  });

  document.addEventListener("keydown", function (ev) {
    var el = document.activeElement;
    if (ev.key === " " && el === button) {
      ev.preventDefault();
      button.click();
    } else if (ev.key === "Escape" && open()) {
      close();
      button.focus();
    } else if (ev.key === "Tab" && open()) {
      var s = stops();
      if (!s.length) return;
      var i = s.indexOf(el);
      var next = ev.shiftKey ? (i <= 0 ? s.length - 1 : -1) : (i === -1 || i === s.length - 1 ? 0 : -1);
      if (next >= 0) {
        ev.preventDefault();
        s[next].focus();
      }
    }
  });

  /* a sub-level opened or closed: stay in the drawer */
  panel.addEventListener("change", function () {
    if (!open()) return;
    setTimeout(function () {
      if (panel.contains(document.activeElement) && document.activeElement.checkVisibility({ checkVisibilityCSS: true })) return;
      var s = stops();
      if (s.length) s[0].focus();
    }, 260);
  });

  if (narrow.addEventListener) narrow.addEventListener("change", labels);
  labels();
})();
