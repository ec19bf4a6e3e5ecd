/* Citizen portal: loading state on submit (and no double submit), focus on errors, print. */
(function () {
  "use strict";

  function busy(form, on) {
    form.querySelectorAll("button[type=submit][data-loading-text]").forEach(function (button) {
      if (on) {
        if (!button.dataset.idleText) button.dataset.idleText = button.textContent;
        button.textContent = button.dataset.loadingText;
        button.setAttribute("aria-busy", "true");
      } else if (button.dataset.idleText) {
        button.textContent = button.dataset.idleText;
        button.removeAttribute("aria-busy");
      }
    });
    if (on) form.dataset.submitting = "1"; else delete form.dataset.submitting;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-loading-form]")) return;
    var submitter = event.submitter;
    if (submitter && submitter.name === "refresh") return;
    if (form.dataset.submitting) { event.preventDefault(); return; }
    busy(form, true);
  });

  // Coming back with the back button: the page may be restored as it was left.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-loading-form]").forEach(function (form) { busy(form, false); });
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-print]");
    if (target) window.print();
  });

  // Our own words for the chosen files (the browser's would be in its own language).
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input.file-input")) return;
    var out = input.parentNode.querySelector(".file-names");
    if (!out) return;
    var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
    out.textContent = names.length
      ? out.dataset.countText.replace("{n}", names.length) + names.join(out.dataset.separator || ", ")
      : out.dataset.emptyText;
  });

  // The region picker's error state: its options could not be loaded (offline, server).
  function loadError(show) {
    var box = document.getElementById("region-load-error");
    if (box) box.hidden = !show;
  }
  document.addEventListener("htmx:beforeRequest", function () { loadError(false); });
  document.addEventListener("htmx:responseError", function () { loadError(true); });
  document.addEventListener("htmx:sendError", function () { loadError(true); });

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
  });
})();
