"""Tools of this site: build and check (runner), start entries (scaffold), publish.

They are not part of the Pelican plugin (plugins/fortsetzung): tasks.py
uses them; a build never imports them.
"""
