// "Spot the trap": toggle a part of the fake message without reloading the page. Without
// JavaScript every click posts the form and the server toggles it; this only saves the trip.
"use strict";
document.querySelectorAll("form.trap-form").forEach(function (form) {
  var count = form.querySelector(".trap-count");
  function refresh() {
    var n = form.querySelectorAll("input[name=clicked]").length;
    if (!count) return;
    count.textContent = n === 0
      ? count.dataset.templateNone
      : count.dataset.templateSome.replace("%(count)s", String(n));
  }
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button.trap");
    if (!button) return;
    event.preventDefault();
    var pressed = button.getAttribute("aria-pressed") === "true";
    button.setAttribute("aria-pressed", pressed ? "false" : "true");
    var existing = Array.prototype.find.call(
      form.querySelectorAll("input[name=clicked]"),
      function (input) { return input.value === button.value; }
    );
    if (pressed && existing) existing.remove();
    if (!pressed && !existing) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "clicked";
      input.value = button.value;
      form.appendChild(input);
    }
    refresh();
  });
});
