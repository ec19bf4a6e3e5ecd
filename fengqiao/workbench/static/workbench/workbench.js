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
