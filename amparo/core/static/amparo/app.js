/* Amparo site-wide behaviour: CSRF for htmx and fetch, small helpers. No inline JS (CSP). */
(function () {
  "use strict";

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return decodeURIComponent(parts[i].slice(eq + 1));
    }
    return "";
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return cookie("csrftoken") || (input ? input.value : "");
  }

  window.Amparo = window.Amparo || {};
  window.Amparo.csrfToken = csrfToken;

  /* True while the user types in a field: keyboard shortcuts must stay quiet then. */
  window.Amparo.isTyping = function (event) {
    var el = event.target;
    if (!el || !el.tagName) return false;
    var tag = el.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || el.isContentEditable;
  };

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });

  /* Forms that ask for confirmation: <form data-confirm="…">. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);

  /* Buttons that close their dialog or element: <button data-dismiss="#id">. */
  document.addEventListener("click", function (event) {
    var btn = event.target.closest ? event.target.closest("[data-dismiss]") : null;
    if (!btn) return;
    var target = document.querySelector(btn.dataset.dismiss);
    if (target && typeof target.close === "function") target.close();
    else if (target) target.hidden = true;
  });

  /* htmx error responses (4xx with a partial) are swapped too, so forms show their errors. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
