/* Reader preferences that must apply before the page paints (loaded in <head>, no inline script: CSP-friendly).
   The larger-text option (适老化) is kept in localStorage so it survives navigation and reloads. */
(function () {
  "use strict";
  var KEY = "nianbao.text-size";
  var root = document.documentElement;
  try {
    if (localStorage.getItem(KEY) === "large") root.setAttribute("data-nb-text", "large");
  } catch (e) { /* storage blocked (private mode, file://): the option then lasts for this page only */ }

  function sync(button) {
    var large = root.getAttribute("data-nb-text") === "large";
    button.setAttribute("aria-pressed", large ? "true" : "false");
    button.textContent = large ? "标准字号" : "大字号";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-nb-text-toggle]").forEach(function (button) {
      sync(button);
      button.hidden = false;
      button.addEventListener("click", function () {
        var large = root.getAttribute("data-nb-text") !== "large";
        if (large) root.setAttribute("data-nb-text", "large");
        else root.removeAttribute("data-nb-text");
        try { localStorage.setItem(KEY, large ? "large" : "normal"); } catch (e) { /* see above */ }
        sync(button);
        window.dispatchEvent(new Event("resize"));  // charts re-fit the new column width
      });
    });
  });
})();
