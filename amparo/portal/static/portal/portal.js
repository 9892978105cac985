/* Portal niceties; the pages work without them. No inline JS (CSP). */
(function () {
  "use strict";

  /* After a refused form, move focus to the list of problems so it is read out first. */
  var summary = document.getElementById("form-errors");
  if (summary) summary.focus();

  /* One click, one request: a second click while the first is on its way does nothing. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitting === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    form.setAttribute("aria-busy", "true");
  });
})();
