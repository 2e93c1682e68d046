/* Đến Trường — the little behaviour the pages need, from a file (the site's CSP allows no inline script).
   Each piece is declared by an attribute in the markup, so that any template can use it:
   - [data-menu-toggle]: the menu button of narrow screens opens and closes the menu it controls;
   - select[data-autosubmit]: choosing an option submits its form (its "Xem" button stays for no script);
   - details[data-open-wide]: a folding panel (the list filters) starts open on a wide screen, folded on a phone. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    document.querySelectorAll("[data-menu-toggle]").forEach(function (button) {
      var menu = document.getElementById(button.getAttribute("aria-controls"));
      if (!menu) return;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", open ? "true" : "false");
        menu.classList.toggle("open", open);
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
          button.setAttribute("aria-expanded", "false");
          menu.classList.remove("open");
          button.focus();
        }
      });
    });

    document.addEventListener("change", function (event) {
      var select = event.target;
      if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
        if (select.form.requestSubmit) select.form.requestSubmit();
        else select.form.submit();
      }
    });

    if (window.matchMedia("(min-width: 768px)").matches) {
      document.querySelectorAll("details[data-open-wide]").forEach(function (panel) {
        panel.open = true;
      });
    }
  });
})();
