"""Series: entries grouped into ordered serials, and the feeds of the site and of each series.

`model` groups the published entries into `Series` (in reading order, with
their problems); `feeds` writes the plugin's own feeds and changes Pelican's
where a setting asks. The generator (`generator.py`) builds the model and
writes the series pages with them.
"""
