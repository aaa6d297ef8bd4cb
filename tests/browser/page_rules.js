// What RGAA criteria checked once per page read from the document (tests/browser/test_layout.py):
// languages (8.3, 8.4, 8.7, 8.8), title (8.5, 8.6), headings (9.1), new windows (13.2).
() => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const headings = Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
    .filter(shown)
    .map((el) => ({ level: Number(el.tagName[1]), text: el.textContent.trim().slice(0, 60) }));
  const newWindows = Array.from(document.querySelectorAll("a[target=_blank]"))
    .filter((a) => !/nouvelle fenêtre|new window/i.test(`${a.title} ${a.textContent}`))
    .map((a) => a.textContent.trim().slice(0, 40));
  return {
    lang: document.documentElement.lang,
    langs: Array.from(document.querySelectorAll("[lang]")).map((el) => el.getAttribute("lang")),
    title: document.title.trim(),
    h1: (document.querySelector("h1") || { textContent: "" }).textContent.trim(),
    headings,
    newWindows,
  };
}
