// The focus indicator of the element the keyboard is on (RGAA 10.7), or null on the page itself.
// DSFR draws it as an outline or a box shadow on the element, or, for a link enlarged to its
// block (fr-enlarge-link: the header's and footer's brand), on the link's ::before.
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const ring = (style) =>
    (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1) ||
    (style.boxShadow && style.boxShadow !== "none");
  const visible = [null, "::before", "::after"].some((pseudo) => ring(getComputedStyle(el, pseudo)));
  const label = (el.id || el.textContent.trim() || el.getAttribute("name") || el.tagName).slice(0, 40);
  return { label, visible };
}
