"""``--strict``: an import that takes a file only when the importer had nothing to settle.

An error means the file cannot be read right; a warning means it could, and
the importer settled something (a zone, a skipped event, a person matched by
name). ``--strict`` makes every warning about the file an error: the import
runs in a transaction of its own that is rolled back whole when the result
has one, on a dry run too. The schedule's clashes after the import are about
the schedule, not the file (``ImportResult.schedule_warnings``): they never
refuse a file.
"""

from django.db import transaction


class WarningsRefused(Exception):
    """The warnings about the file that ``--strict`` refused it for; nothing was written."""

    #: The option that refused the file: without it, the file is imported with its warnings.
    option = "--strict"

    def __init__(self, warnings, source):
        super().__init__(warnings, source)
        self.warnings = list(warnings)
        self.source = source

    def messages(self):
        """Each warning as the error it became, ``FILE:LINE: message`` as the importer wrote it."""
        return list(self.warnings)


def import_strictly(attempt, *, source):
    """``attempt()``, an import that returns an ``ImportResult``, refused if it warns of the file.

    The import runs inside a transaction that is rolled back when its
    result has any warning about the file (``ImportResult.file_warnings``):
    :class:`WarningsRefused` is raised and the database is as it was. The
    import's own transaction becomes a savepoint of this one, so its
    one retry after a lost race (``import_with_one_retry``) still works.
    """
    with transaction.atomic():
        result = attempt()
        if result.file_warnings:
            # Raised inside the block, so that everything the import wrote is rolled back.
            raise WarningsRefused(result.file_warnings, source)
    return result
