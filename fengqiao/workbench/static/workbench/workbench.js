/* Fengqiao workbench: small progressive enhancements; every page works without them. */
(function () {
  "use strict";
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("[data-set-category]") : null;
    if (btn) {
      var select = document.getElementById("id_category");
      if (select) {
        select.value = btn.getAttribute("data-set-category");
        select.focus();
      }
    }
    if (ev.target.closest && ev.target.closest("[data-print]")) {
      window.print();
    }
  });
  // A form marked data-once cannot be sent twice by a double click.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches("form[data-once]")) return;
    if (form.getAttribute("data-sent")) { ev.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
    var btn = form.querySelector("button[type=submit]");
    if (btn) btn.setAttribute("aria-disabled", "true");
  });
  // After htmx swaps the region picker, keep the keyboard where the user was going.
  document.addEventListener("htmx:afterSwap", function (ev) {
    if (ev.detail && ev.detail.target && ev.detail.target.id === "region-picker") {
      var picker = document.getElementById("region-picker");
      if (!picker) return;
      var selects = picker.querySelectorAll("select");
      var next = null;
      for (var i = 0; i < selects.length; i++) {
        if (!selects[i].value || selects[i].value === selects[i].options[0].value) { next = selects[i]; break; }
      }
      (next || selects[selects.length - 1] || picker).focus();
    }
  });
  // A long unit list (the dispatch picker) gets a search box: typing keeps the units whose
  // name contains the text (groups without one are hidden); the list itself works without it.
  function addFilter(target) {
    if (target.getAttribute("data-filter-ready")) return;
    target.setAttribute("data-filter-ready", "1");
    var en = document.documentElement.lang === "en";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "unit-filter";
    box.placeholder = en ? "Type to search units" : "输入名称筛选单位";
    box.setAttribute("aria-label", en ? "Search units" : "筛选单位");
    if (target.id) box.setAttribute("aria-controls", target.id);
    target.parentNode.insertBefore(box, target);
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      var isSelect = target.tagName === "SELECT";
      var groups = target.querySelectorAll(isSelect ? "optgroup" : "[data-group]");
      for (var g = 0; g < groups.length; g++) {
        var items = groups[g].querySelectorAll(isSelect ? "option" : "[data-option]");
        var shown = 0;
        for (var i = 0; i < items.length; i++) {
          var hit = !q || items[i].textContent.toLowerCase().indexOf(q) !== -1;
          items[i].hidden = !hit;
          if (hit) shown++;
        }
        groups[g].hidden = shown === 0;
      }
    });
    if (target.tagName === "SELECT") {
      // Enter in the box picks the first unit left, so the keyboard alone can dispatch.
      box.addEventListener("keydown", function (ev) {
        if (ev.key !== "Enter") return;
        ev.preventDefault();
        var first = target.querySelector("optgroup:not([hidden]) option:not([hidden])");
        if (first) { target.value = first.value; target.focus(); }
      });
    }
  }
  function addFilters(root) {
    var targets = (root || document).querySelectorAll("[data-filterable]");
    for (var i = 0; i < targets.length; i++) addFilter(targets[i]);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { addFilters(); });
  } else {
    addFilters();
  }
  document.addEventListener("htmx:afterSwap", function (ev) { addFilters(ev.detail && ev.detail.target); });
  // Show a plain error when a partial request fails, instead of failing silently.
  document.addEventListener("htmx:responseError", function (ev) {
    var box = document.getElementById("loading");
    var main = document.getElementById("main");
    if (!main) return;
    var p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = document.documentElement.lang === "en"
      ? "The request failed (" + ev.detail.xhr.status + "). Please try again."
      : "请求失败（" + ev.detail.xhr.status + "），请重试。";
    main.insertBefore(p, main.firstChild);
    if (box) box.classList.remove("htmx-request");
  });
  document.addEventListener("htmx:sendError", function () {
    var main = document.getElementById("main");
    if (!main) return;
    var p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = document.documentElement.lang === "en"
      ? "The server cannot be reached. Check the network and try again."
      : "无法连接服务器，请检查网络后重试。";
    main.insertBefore(p, main.firstChild);
  });
})();
