/* Site-wide enhancements (progressive: nothing here is needed to use a page).
 * - A table wider than its box scrolls sideways inside it (WCAG 1.4.10): the scrolling box
 *   becomes focusable and named after the table's caption, so the keyboard can scroll it too. */
(function () {
  "use strict";

  function scrolls(element) {
    var overflow = getComputedStyle(element).overflowX;
    return (overflow === "auto" || overflow === "scroll") &&
      element.scrollWidth > element.clientWidth + 1;
  }

  function nameOf(box) {
    var caption = box.querySelector("caption");
    return caption ? caption.textContent.trim() : "Tableau";
  }

  function markScrollableTables() {
    var boxes = document.querySelectorAll(".fr-table, .fr-table *");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.tagName === "TD" || box.tagName === "TH" || box.tagName === "TR") {
        return;
      }
      if (scrolls(box)) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", nameOf(box.closest(".fr-table") || box));
          box.setAttribute("data-apart-scroll", "");
        }
      } else if (box.hasAttribute("data-apart-scroll")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("data-apart-scroll");
      }
    });
  }

  var pending = null;
  function later() {
    if (pending) {
      clearTimeout(pending);
    }
    pending = setTimeout(markScrollableTables, 20);
  }

  window.addEventListener("resize", later);
  window.addEventListener("load", markScrollableTables);
  document.addEventListener("DOMContentLoaded", markScrollableTables);
})();
