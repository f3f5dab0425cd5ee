"""Pelican's tag, category and author pages in linear time.

For every tag (category, author) Pelican picks the entries in date order
with `[a for a in dates if a in articles]`: with a list, `in` looks at the
entries one by one, so each tag costs (entries × its entries) steps. With
8,000 entries and 40 tags that is about two seconds of every build, and of
every rebuild in the live preview. Once the articles are read, their lists
per tag, category and author become `Members`, which answer `in` at once.

A speed patch of Pelican's own generator, not a feature of the plugin:
runner.py connects it for the builds it runs (a plain `pelican` run writes
the same pages, as slowly as Pelican does).
"""

from collections import defaultdict


class Members(list):
    """A list of content objects whose `in` takes constant time.

    Content objects are equal only to themselves, so `in` asks for the
    object; items of a type with an `__eq__` of its own are looked up as a
    list would. The lookup is made anew whenever the length changes.
    """

    __slots__ = ("_ids",)

    def __contains__(self, item):
        if type(item).__eq__ is not object.__eq__:
            return super().__contains__(item)
        length, ids = getattr(self, "_ids", (None, None))
        if length != len(self):
            length, ids = self._ids = (len(self), {id(member) for member in self})
        return id(item) in ids


def quick_membership(generator):
    """article_generator_finalized: make the lists per tag, category, author `Members`."""
    tags = defaultdict(list)
    tags.update((tag, Members(articles)) for tag, articles in generator.tags.items())
    generator.tags = tags
    generator.categories = [(c, Members(a)) for c, a in generator.categories]
    generator.authors = [(a, Members(articles)) for a, articles in generator.authors]
    generator.context["tags"] = list(tags.items())
    generator.context["categories"] = generator.categories
    generator.context["authors"] = generator.authors
