/* chiso, every page: a table wider than a phone scrolls inside itself (app.css); such a
   table becomes focusable so that the keyboard can scroll it too (WCAG 2.1.1). */
(function () {
  "use strict";
  function focusable() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.tabIndex = 0;
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", focusable);
  document.addEventListener("htmx:afterSettle", focusable);
  window.addEventListener("resize", focusable);
})();
