"""Extras a site may switch on, beside the series and the safety rules.

Three are plugins of their own, named in PLUGINS after "fortsetzung":
`typography` (German quotation marks), `responsive_images` (sizes and
smaller copies of images), `sharecards` (share images for series and their
parts). `once_tag` is the template tag `{% once %}` that the plugin installs
in every template environment.
"""
