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

  /* A table wider than its column scrolls sideways inside .nb-table-wrap (Material's .md-typeset__scrollwrap for other
     tables). Keyboard users can scroll only what takes focus, so while one scrolls it is a focusable region named
     after its table (WCAG 2.1.1, axe scrollable-region-focusable); when it fits again it is a plain block, no extra
     tab stop. Checked after load, on resize (also sent by the text-size toggle) and when a <details> opens. */
  var SCROLLERS = ".nb-table-wrap, .md-typeset__scrollwrap";
  var MARK = "data-nb-scroll";

  function markScrollers() {
    document.querySelectorAll(SCROLLERS).forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible" &&
        !el.closest("details:not([open])");  // a closed <details> is measured but not shown
      if (scrolls && !el.hasAttribute(MARK)) {
        var caption = el.querySelector("caption");
        el.setAttribute(MARK, "");
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", (caption ? caption.textContent.trim() : "表格") + "(可左右滚动)");
      } else if (!scrolls && el.hasAttribute(MARK)) {
        [MARK, "tabindex", "role", "aria-label"].forEach(function (name) { el.removeAttribute(name); });
      }
    });
  }

  var pending = false;
  function markSoon() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; markScrollers(); });
  }
  window.addEventListener("load", markScrollers);
  window.addEventListener("resize", markSoon);
  document.addEventListener("toggle", markSoon, true);  // toggle does not bubble: listen while it is captured

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
