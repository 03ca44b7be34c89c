"""Search text folded alike on SQLite and PostgreSQL: case and accents ignored.

"farber" finds "Färber" and "FÄRBER" finds "farber". PostgreSQL folds with
its ``unaccent`` extension (created by a migration) and ``LOWER``; SQLite
with ``unaccent_fold``, a function of this module registered on each of its
connections. Both sides of a comparison are folded by the same database, so
the query and the text always agree on what a letter becomes.
"""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func, Value

# Letters that Unicode does not decompose into a base letter and a mark, folded
# as PostgreSQL's unaccent rules fold them.
_NOT_DECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ħ": "h",
        "Ħ": "H",
        "ı": "i",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
    }
)


def fold(text):
    """``text`` without accents and case: "Noël Färber" becomes "noel farber"."""
    if text is None:
        return None
    text = str(text)
    # Most text is plain ASCII, which has no accent to drop: a search over 900
    # abstracts spent nearly all its time taking each apart letter by letter.
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


class Folded(Func):
    """A text expression folded by the database as ``fold`` folds it."""

    function = "unaccent_fold"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="LOWER(unaccent(%(expressions)s))")


def folded_query(query):
    """The search words, folded by the database as the searched columns are."""
    return Folded(Value(query, output_field=CharField()))


def register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent_fold", 1, fold, deterministic=True)


connection_created.connect(register_sqlite_function, dispatch_uid="schedule.search.fold")
