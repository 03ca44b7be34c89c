"""The one error every importer raises: what keeps a file from being imported, line by line."""


class OptionMessage(str):
    """A problem's message that an option of the import commands would let through.

    ``option`` is that option (``--max-talks``, ``--timezone``): the command's
    last line names it, so that an organiser knows the file need not be
    edited. It is a ``str``, so it travels as any message does (in a
    ``(line, message)`` pair, through a parser's own exception, merged with
    other problems) and keeps its option on the way.
    """

    option: str

    def __new__(cls, text, *, option):
        message = super().__new__(cls, text)
        message.option = option
        return message


def let_through_by(option, message):
    """``message`` marked as one that ``option`` would let through (see :class:`OptionMessage`)."""
    return OptionMessage(message, option=option)


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

    def options(self):
        """``{option: problems}``: how many problems each command option would let through.

        In the order the options first appear; a problem no option helps (the
        file must be fixed) is in none of them.
        """
        counts = {}
        for _, message in self.errors:
            option = getattr(message, "option", None)
            if option:
                counts[option] = counts.get(option, 0) + 1
        return counts

    def __str__(self):
        return "\n".join(self.messages())
