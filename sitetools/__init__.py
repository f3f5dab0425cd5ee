"""Tools of this site: build and check (runner), start entries (scaffold), publish.

They are not part of the Pelican plugin (plugins/fortsetzung), and use it
only through its public module (`pelican.plugins.fortsetzung.api`);
tasks.py and bench/ use them. The plugin never imports them. One module
is a small Pelican plugin of this site, not a tool: `announce_page` (the
preview's page for the social-media team), which pelicanconf.py lists in
PLUGINS, so every build of this site loads it and what it uses
(`socialtext`). The package is installed editable into .venv (dev.py),
so everything imports it as `sitetools`, from any folder.
"""
