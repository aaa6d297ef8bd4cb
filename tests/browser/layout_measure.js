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
  // The login and the establishment's name in the header and the employer's menu: a line may
  // end at a space or after a dot, hyphen, underscore or @ (a login's parts), never inside a word.
  const splitNames = [];
  for (const el of document.querySelectorAll(".apart-nav-name, .fr-header__tools-links .fr-btn")) {
    if (!visible(el)) continue;
    const chars = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(".fr-sr-only")) continue;
      for (let i = 0; i < node.textContent.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        chars.push({ char: node.textContent[i], top: range.getBoundingClientRect().top });
      }
    }
    for (let i = 1; i < chars.length; i++) {
      const newLine = chars[i].top > chars[i - 1].top + 2;
      if (newLine && !/[\s.\-_@]/.test(chars[i - 1].char) && !/\s/.test(chars[i].char)) {
        const text = chars.map((c) => c.char).join("");
        splitNames.push(`${text.slice(0, i)}|${text.slice(i)}`);
      }
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
    splitNames: splitNames.slice(0, 5),
  };
}
