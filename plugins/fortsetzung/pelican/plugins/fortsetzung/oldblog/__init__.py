"""Content from an old blog: its comments, its old addresses, its private posts.

`comments` shows an imported entry's comments under it; `redirects` leads
every old address (`Redirect_from`, and what the site published before under
another address) to the new one; `private` keeps imported private posts out
of every page, list and feed.
"""
