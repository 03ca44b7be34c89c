"""Slugs made unique by a number, the same way for every row that has one.

Importers, the admin and backups all number same-named rows "x", "x-2",
"x-3"…; this is the one place that does it. No database: the caller passes
the slugs already taken.
"""

from django.utils.text import slugify

# Room left in a slug's column for the "-2", "-3"… that tell same-named rows apart.
SUFFIX_ROOM = 10


def slug_base(text, *, fallback, max_length):
    """The slug ``text`` gives, cut to leave room for a number within ``max_length``.

    ``fallback`` when ``text`` has no letter or digit a slug keeps.
    """
    return slugify(text)[: max_length - SUFFIX_ROOM].strip("-_") or fallback


class UniqueSlugs:
    """Slugs none of ``taken`` has: ``base``, else ``base-2``, ``base-3``… the first free one.

    The number to try next is kept per base, so that the 10,000th "Coffee break"
    of a file takes one look rather than 10,000: each import's slugs are found in
    time that grows with their number, not with its square. The slugs are the
    ones a search from 2 each time would find, since taken slugs stay taken.
    """

    def __init__(self, taken=()):
        self.taken = set(taken)
        self._next_number = {}

    def make(self, base, *, max_length=None):
        """A free slug from ``base``, now taken; a suffix shortens ``base`` to ``max_length``."""
        candidate = base
        if candidate in self.taken:
            number = self._next_number.get(base, 2)
            while candidate in self.taken:
                suffix = f"-{number}"
                stem = base if max_length is None else base[: max_length - len(suffix)]
                candidate = f"{stem}{suffix}"
                number += 1
            self._next_number[base] = number
        self.taken.add(candidate)
        return candidate

    def make_from(self, text, *, fallback, max_length):
        """A free slug for a row named ``text`` in a column of ``max_length``."""
        return self.make(slug_base(text, fallback=fallback, max_length=max_length))
