// The little the pages do in the browser; every page works without it.
//
// A form is sent once: on submit its buttons are disabled (a double click sends nothing more).
// Creation forms are also guarded on the server (core/submissions.py). Buttons come back when
// the page is shown again from the browser's history.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    // After this tick, so that the clicked button's name and value are still sent.
    window.setTimeout(function () {
      form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
        if (button.type === "submit") button.disabled = true;
      });
    }, 0);
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  });
})();

// A page waiting for background work (an OCR reading) reloads itself every few seconds: the
// element's data-refresh-seconds says how often (a meta refresh would fail WCAG 2.2.1 in axe).
(function () {
  "use strict";
  var waiting = document.querySelector("[data-refresh-seconds]");
  if (!waiting) return;
  var seconds = parseInt(waiting.dataset.refreshSeconds, 10) || 5;
  window.setTimeout(function () {
    window.location.reload();
  }, seconds * 1000);
})();
