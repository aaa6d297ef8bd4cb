// Measures the layout of the current page in the current window (tests/browser/test_layout.py).
() => {
  const visible = (el) => {
    if (!el) return false;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.display !== "none" && style.visibility !== "hidden" && box.width > 0;
  };
  // Elements that clip their own text (an icon-only button hides its label this way). DSFR's
  // "Menu" button is icon-only by design (its name is its title); every other one shows its text.
  const clipped = [];
  for (const el of document.querySelectorAll("header *, main *, footer *")) {
    if (el.closest(".fr-sr-only, [hidden], .fr-modal:not(.fr-modal--opened), .fr-btn--menu")) {
      continue;
    }
    const style = getComputedStyle(el);
    const clips = ["hidden", "clip"].includes(style.overflowX) && style.textOverflow !== "ellipsis";
    const ownText = Array.from(el.childNodes).some(
      (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim(),
    );
    if (!clips || el.clientWidth <= 2 || !ownText) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      clipped.push(`${el.tagName}.${el.className}: ${el.textContent.trim().slice(0, 40)}`);
    }
  }
  const logo = document.querySelector("header .fr-logo");
  const box = logo ? logo.getBoundingClientRect() : null;
  return {
    documentWidth: document.documentElement.scrollWidth,
    windowWidth: window.innerWidth,
    logoCut:
      !logo ||
      logo.scrollWidth > logo.clientWidth + 1 ||
      box.left < 0 ||
      box.right > window.innerWidth,
    menuButton: visible(document.querySelector("#bouton-menu")),
    toolsShown: visible(document.querySelector(".fr-header__tools-links")),
    clipped: clipped.slice(0, 5),
  };
}
