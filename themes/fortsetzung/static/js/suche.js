// The search page (templates/suche.html): searches the site's own Pagefind
// index (pagefind/, written by the build) in the browser, as the reader
// types (a moment after the last key) and on Enter or the button. The words
// never leave the device; the page works as a plain form without this script.
(() => {
  const form = document.getElementById("suche");
  if (!form) return;
  const { q: input, serie: select } = form.elements;
  const status = document.getElementById("suche-status");
  const list = document.getElementById("suche-ergebnisse");
  const bundle = new URL(form.dataset.bundle, location.href);
  const filter = form.dataset.filter;
  const params = new URLSearchParams(location.search);
  const fill = (pattern, values) =>
    pattern.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  let loaded;
  const pagefind = async () => {
    if (!loaded) {
      loaded = await import(new URL("pagefind.js", bundle).href);
      // result addresses under the site's address, wherever it lives
      await loaded.options({ baseUrl: new URL("..", bundle).pathname });
    }
    return loaded;
  };

  async function offerSeries() {
    const filters = await (await pagefind()).filters();
    const names = Object.keys(filters[filter] || {});
    names.sort((a, b) => a.localeCompare(b, "de"));
    for (const name of names) select.add(new Option(name, name));
    select.value = names.includes(params.get("serie")) ? params.get("serie") : "";
    select.closest("p").hidden = names.length === 0;
  }

  function excerpt(html) {
    // Pagefind's excerpt: the page's text with <mark>; nothing else is kept
    const paragraph = document.createElement("p");
    paragraph.innerHTML = html;
    for (const element of paragraph.querySelectorAll(":not(mark)")) {
      element.replaceWith(element.textContent);
    }
    return paragraph;
  }

  function show(results, words) {
    const [one, many] = form.dataset.found.split("|");
    status.textContent = results.length
      ? fill(results.length === 1 ? one : many, { n: results.length, q: words })
      : fill(form.dataset.none, { q: words });
    list.replaceChildren(
      ...results.map((result) => {
        const item = document.createElement("li");
        const heading = document.createElement("h2");
        const link = document.createElement("a");
        link.href = result.url;
        link.textContent = result.meta.title;
        heading.append(link);
        item.append(heading);
        if (result.meta.teil) {
          const part = document.createElement("p");
          part.className = "meta";
          part.textContent = result.meta.teil;
          item.append(part);
        }
        item.append(excerpt(result.excerpt));
        return item;
      }),
    );
  }

  let latest = 0; // only the newest search shows its results
  async function search() {
    const asked = ++latest;
    const words = input.value.trim();
    if (!words) {
      status.textContent = "";
      list.replaceChildren();
      return;
    }
    const filters = select.value ? { [filter]: select.value } : {};
    const found = await (await pagefind()).search(words, { filters });
    const results = await Promise.all(found.results.slice(0, 30).map((r) => r.data()));
    if (asked === latest) show(results, words);
  }

  const failed = () => {
    status.textContent = form.dataset.failed;
  };
  let waiting; // the search that typing asks for, a moment after the last key
  const run = () => {
    clearTimeout(waiting);
    const query = new URLSearchParams(new FormData(form));
    history.replaceState(null, "", `?${query}`);
    search().catch(failed);
  };
  const soon = () => {
    clearTimeout(waiting);
    waiting = setTimeout(run, 300);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  input.addEventListener("input", soon);
  select.addEventListener("change", run);
  input.value = params.get("q") || "";
  offerSeries().then(search).catch(failed);
})();
