// Rating pages: the kiosk returns to its start screen by itself; the receipt prints.
(function () {
  "use strict";
  var back = document.getElementById("kiosk-return");
  if (back) {
    var left = parseInt(back.dataset.seconds, 10) || 8;
    var shown = document.querySelector(".countdown");
    var tick = function () {
      if (shown) { shown.textContent = "Tự động quay lại sau " + left + " giây"; }
      if (left <= 0) { window.location.assign(back.dataset.url); return; }
      left -= 1;
      window.setTimeout(tick, 1000);
    };
    tick();
  }
  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }
})();
