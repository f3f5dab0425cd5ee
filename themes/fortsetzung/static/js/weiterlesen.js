// "Weiterlesen": the browser remembers, per series, the last part a reader
// opened and whether they read it to its end (reached its last paragraph),
// in localStorage, on this device only; nothing is sent anywhere. The series
// page, the all-series page and the start page offer the part left
// unfinished, or the part after one read to its end (following "Nächster
// Teil" opens that part, which is then the one remembered), or say that the
// reader is up to date. Without this script (or without storage) the pages
// simply do not offer anything.
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

  // The path of an address of this site, or null.
  const local = (address) => {
    try {
      const url = new URL(address, location.href);
      return url.origin === location.origin ? url.pathname : null;
    } catch {
      return null;
    }
  };
  // A part as a page names it: its address, title and number, and the part after it.
  const described = (element) => {
    const { partTitle, partIndex, nextUrl, nextTitle, nextIndex } = element.dataset;
    const next = nextUrl && local(nextUrl);
    return {
      title: partTitle,
      index: partIndex,
      next: next ? { url: next, title: nextTitle, index: nextIndex } : null,
    };
  };
  // only an address of this site, as this script stored it
  const valid = (part) =>
    part && typeof part.url === "string" && /^\/(?!\/)/.test(part.url);

  const part = document.querySelector("[data-part-of]");
  if (part) {
    const series = part.dataset.partOf;
    const read = { url: location.pathname, ...described(part), done: false };
    const remember = (done) => {
      try {
        storage.setItem(key(series), JSON.stringify({ ...read, done }));
      } catch {
        // full or forbidden: nothing is remembered
      }
    };
    remember(false);
    const text = part.querySelector(".entry-content");
    const end = text && (text.lastElementChild || text);
    if (end && "IntersectionObserver" in window) {
      const observer = new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          remember(true);
        }
      });
      observer.observe(end);
    }
  }

  // The part after `url`, as its page names it now (parts published since).
  const after = async (url) => {
    const response = await fetch(url);
    if (!response.ok) return null;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const element = page.querySelector("[data-part-of]");
    return element && described(element).next;
  };

  const offer = (slot, part) => {
    const link = document.createElement("a");
    link.href = part.url;
    link.textContent = slot.dataset.text
      .replace("{index}", String(part.index))
      .replace("{title}", String(part.title));
    slot.replaceChildren(link);
    slot.hidden = false;
  };

  for (const slot of document.querySelectorAll("[data-continue]")) {
    let saved;
    try {
      saved = JSON.parse(storage.getItem(key(slot.dataset.continue)));
    } catch {
      continue;
    }
    if (!valid(saved)) continue;
    if (!saved.done) {
      offer(slot, saved);
    } else if (valid(saved.next)) {
      offer(slot, saved.next);
    } else if (Number(slot.dataset.parts) > Number(saved.index)) {
      after(saved.url).then(
        (next) => valid(next) && offer(slot, next),
        () => {}, // offline: nothing is offered
      );
    } else {
      slot.textContent = slot.dataset.upToDate;
      slot.hidden = false;
    }
  }
})();
