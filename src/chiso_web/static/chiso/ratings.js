// Rating pages: the kiosk returns to its start screen by itself (after the thanks page, or
// when a form is left untouched); the receipt slip prints.
(function () {
  "use strict";
  var back = document.getElementById("kiosk-return");
  if (back) {
    var seconds = parseInt(back.dataset.seconds, 10) || 8;
    var home = function () { window.location.assign(back.dataset.url); };
    if (back.dataset.idle) {
      var timer = window.setTimeout(home, seconds * 1000);
      var touched = function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(home, seconds * 1000);
      };
      ["pointerdown", "keydown", "change", "scroll"].forEach(function (name) {
        document.addEventListener(name, touched, { passive: true });
      });
    } else {
      var left = seconds;
      var shown = document.querySelector(".countdown");
      var tick = function () {
        if (shown) { shown.textContent = "Tự động quay lại sau " + left + " giây"; }
        if (left <= 0) { home(); return; }
        left -= 1;
        window.setTimeout(tick, 1000);
      };
      tick();
    }
  }
  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }
})();
