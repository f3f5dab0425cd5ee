// "Weiterlesen": the browser remembers, per series, the last part a reader
// opened (localStorage, on this device only; nothing is sent anywhere), and
// the series page, the all-series page and the start page offer it. Without
// this script (or without storage) the pages simply do not offer it.
(() => {
  const key = (series) => `fortsetzung:weiterlesen:${series}`;
  const storage = (() => {
    try {
      return window.localStorage;
    } catch {
      return null; // storage switched off
    }
  })();
  if (!storage) return;

  const part = document.querySelector("[data-part-of]");
  if (part) {
    const { partOf, partTitle, partIndex } = part.dataset;
    const saved = { url: location.pathname, title: partTitle, index: partIndex };
    try {
      storage.setItem(key(partOf), JSON.stringify(saved));
    } catch {
      // full or forbidden: nothing is remembered
    }
  }

  for (const slot of document.querySelectorAll("[data-continue]")) {
    let saved;
    try {
      saved = JSON.parse(storage.getItem(key(slot.dataset.continue)));
    } catch {
      continue;
    }
    // only an address of this site, as this script stored it
    if (!saved || typeof saved.url !== "string" || !/^\/(?!\/)/.test(saved.url)) {
      continue;
    }
    const link = document.createElement("a");
    link.href = saved.url;
    link.textContent = slot.dataset.text
      .replace("{index}", String(saved.index))
      .replace("{title}", String(saved.title));
    slot.replaceChildren(link);
    slot.hidden = false;
  }
})();
