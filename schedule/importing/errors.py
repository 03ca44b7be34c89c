"""The one error every importer raises: what keeps a file from being imported, line by line."""


class ImportFileError(Exception):
    """Problems that keep a file from being imported, each with its line.

    ``errors`` is a list of ``(line, message)``; ``line`` is ``None`` for a
    problem of the whole file (an unknown time zone, say). Every problem found
    is listed, so that a broken file can be fixed in one pass. The parsers
    raise it too, so it uses no database.
    """

    def __init__(self, errors, source="<file>"):
        super().__init__(errors, source)
        self.errors = sorted(errors, key=lambda error: error[0] or 0)
        self.source = source

    def messages(self):
        """One ``FILE:LINE: message`` per problem, in file order."""
        return [
            f"{self.source}:{line}: {message}" if line else f"{self.source}: {message}"
            for line, message in self.errors
        ]

    def __str__(self):
        return "\n".join(self.messages())
