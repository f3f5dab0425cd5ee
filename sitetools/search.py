"""The site's search: a Pagefind index that the site serves itself.

Pagefind (the `pagefind` package ships its binary) reads the built pages
and writes a search index in small pieces into `pagefind/`, with the
script that searches it in the reader's browser: nothing is asked of any
other host. It indexes only what the theme marks with `data-pagefind-body`
(the texts of published entries and pages, the introductions of published
series; never drafts, scheduled parts or lists; the titles as titles) and
stems words in the pages' language (`<html lang="de">`: "Büchern" finds
"Buch"). The theme's search page (`/suche/`) and the field in the header
use it.

`index_folder` indexes a built site (every build by runner.build);
`index_pages` indexes pages the preview renders in memory.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import PagefindIndex

#: Where the index goes, in the site (the theme's search page loads it).
FOLDER = "pagefind"


def index_folder(folder):
    """Index the site built in `folder` into `folder`/pagefind/."""
    folder = Path(folder)

    async def add(index):
        await index.add_directory(str(folder))

    _run(_write(folder / FOLDER, add))


def index_pages(pages, target):
    """Index `pages` ((URL, HTML) pairs) into the folder `target`."""

    async def add(index):
        for url, html in pages:
            await index.add_html_file(content=html, url=url)

    _run(_write(Path(target), add))


def _run(coroutine):
    """Run `coroutine` to its end, also where an event loop runs (Playwright)."""
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, coroutine).result()


async def _write(target, add):
    # the index is written when the block ends without an error
    async with PagefindIndex({"output_path": str(target)}) as index:
        await add(index)
