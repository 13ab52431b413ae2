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

/* A file input's chosen names beside its button, in the page's language (app.css .file-pick). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") { return; }
    var pick = input.closest(".file-pick");
    var names = pick && pick.querySelector(".file-names");
    if (!names) { return; }
    var chosen = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    names.textContent = chosen.length ? chosen.join(", ") : names.getAttribute("data-none");
  });
})();
