/* Agent desk: keyboard shortcuts, the help overlay, bulk selection. Live updates: desk-live.js. */
(function () {
  "use strict";

  var isTyping = function (event) { return window.Amparo && window.Amparo.isTyping(event); };

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-ticket-row]"));
  }

  function currentIndex(list) {
    for (var i = 0; i < list.length; i++) if (list[i].classList.contains("is-current")) return i;
    return -1;
  }

  function setCurrent(list, index) {
    if (!list.length) return;
    index = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (row) { row.classList.remove("is-current"); row.removeAttribute("aria-current"); });
    var row = list[index];
    row.classList.add("is-current");
    row.setAttribute("aria-current", "true");
    var link = row.querySelector("a[data-ticket-link]");
    if (link) link.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function toggleSelect(row) {
    var box = row && row.querySelector("input[type=checkbox][data-bulk]");
    if (!box) return;
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function openHelp() {
    var dialog = document.getElementById("shortcut-help");
    if (dialog && !dialog.open) dialog.showModal();
  }

  function composer(mode) {
    var radio = document.querySelector("input[name=kind][value=" + mode + "]");
    if (!radio) return false;
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    var area = document.getElementById("composer-body");
    if (area) { area.focus(); area.scrollIntoView({ block: "center" }); }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isTyping(event)) { event.target.blur(); return; }
    if (isTyping(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    var dialog = document.getElementById("shortcut-help");
    if (dialog && dialog.open) return;
    var list = rows();
    var idx = currentIndex(list);
    switch (event.key) {
      case "?":
        openHelp(); break;
      case "j":
        if (!list.length) return;
        setCurrent(list, idx + 1); break;
      case "k":
        if (!list.length) return;
        setCurrent(list, idx < 0 ? 0 : idx - 1); break;
      case "o":
      case "Enter":
        if (idx < 0) return;
        if (event.key === "Enter" && document.activeElement && document.activeElement.closest("button, a, summary") &&
            !document.activeElement.hasAttribute("data-ticket-link")) return;
        window.location.href = list[idx].dataset.ticketUrl; break;
      case "x":
        if (idx < 0) return;
        toggleSelect(list[idx]); break;
      case "r":
        if (!composer("reply")) return; break;
      case "n":
        if (!composer("note")) return; break;
      case "u":
        var back = document.querySelector("[data-back-to-queue]");
        if (!back) return;
        window.location.href = back.getAttribute("href"); break;
      default:
        return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-shortcut-help]")) openHelp();
  });

  /* Bulk bar: shows how many are selected; "select all" toggles every row. */
  function refreshBulk() {
    var boxes = document.querySelectorAll("input[type=checkbox][data-bulk]");
    var n = 0;
    boxes.forEach(function (box) {
      var row = box.closest("[data-ticket-row]");
      if (row) row.classList.toggle("is-selected", box.checked);
      if (box.checked) n++;
    });
    var counter = document.querySelector("[data-bulk-count]");
    if (counter) counter.textContent = counter.dataset.template.replace("%(n)s", n);
    document.querySelectorAll("[data-bulk-submit]").forEach(function (btn) { btn.disabled = n === 0; });
  }
  document.addEventListener("change", function (event) {
    var t = event.target;
    if (t.matches && t.matches("[data-bulk-all]")) {
      document.querySelectorAll("input[type=checkbox][data-bulk]").forEach(function (b) { b.checked = t.checked; });
    }
    if (t.matches && (t.matches("[data-bulk]") || t.matches("[data-bulk-all]"))) refreshBulk();
  });
  document.addEventListener("DOMContentLoaded", refreshBulk);
  document.addEventListener("htmx:afterSwap", refreshBulk);
})();

/* Composer: reply or internal note changes the look, the button and the hint. */
(function () {
  "use strict";
  function sync(form) {
    var checked = form.querySelector("input[name=kind]:checked");
    var note = checked && checked.value === "note";
    form.classList.toggle("is-note", note);
    var send = form.querySelector("[data-send]");
    if (send) send.textContent = note ? send.dataset.labelNote : send.dataset.labelReply;
    var area = form.querySelector("textarea[name=body]");
    if (area) area.placeholder = note ? area.dataset.placeholderNote : area.dataset.placeholderReply;
    form.querySelectorAll("[data-reply-only]").forEach(function (el) { el.hidden = note; });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("[data-composer]");
    if (form && event.target.name === "kind") sync(form);
  });
  /* Bulk merge asks first: it cannot be undone. */
  document.addEventListener("submit", function (event) {
    var btn = event.submitter;
    if (btn && btn.dataset && btn.dataset.confirmMerge && !window.confirm(btn.dataset.confirmMerge)) {
      event.preventDefault();
    }
  });
})();

/* Remote images of a mail wait until the agent asks: loading one tells the sender the mail was
   read (and from where). The server renders them with data-remote-src instead of src. */
(function () {
  "use strict";
  var loaded = {}; /* message ids: kept when the live timeline is swapped in again */

  function load(article) {
    article.querySelectorAll("img[data-remote-src]").forEach(function (img) {
      var raw = img.getAttribute("data-remote-src") || "";
      if (!/^(https?:)?\/\//i.test(raw)) return;
      var url;
      try { url = new URL(raw, "https://invalid.invalid/"); } catch (e) { return; }
      /* The page allows only https: images; most senders serve the same file over https. */
      if (url.protocol === "http:") url.protocol = "https:";
      if (url.protocol !== "https:") return;
      img.referrerPolicy = "no-referrer";
      img.src = url.href;
      img.removeAttribute("data-remote-src");
    });
    var notice = article.querySelector("[data-remote-images]");
    if (notice) notice.hidden = true;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-load-remote-images]");
    if (!button) return;
    var article = button.closest("[data-message]");
    if (!article) return;
    loaded[article.dataset.message] = true;
    load(article);
  });
  document.addEventListener("htmx:load", function () {
    Object.keys(loaded).forEach(function (id) {
      var article = document.querySelector('[data-message="' + id + '"]');
      if (article) load(article);
    });
  });
})();
