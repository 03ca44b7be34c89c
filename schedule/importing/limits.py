"""How much an importer takes, and how its messages quote what the file says.

One place for the limits of all three importers (the 2012 agenda, frab XML,
iCalendar), so that they refuse alike and name the same options: a file
larger than ``max_file_size`` is refused before it is read, a file of more
than ``max_talks`` talks at the first talk too many, and a value longer than
its column (a CharField's ``max_length``) or than ``max_text_length`` (a
Markdown text) with its ``FILE:LINE``. Without them a 100 MB abstract was
imported, and then broke the pages that show it.

The parsers of the file formats import this module too, so it uses no database.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from django.db.models import CharField, TextField

# The longest Markdown text (an abstract, a bio, a description) an import takes by
# default: the forms' limit, so that what an import brings in can be edited and saved.
from infrastructure.rich_text import MARKDOWN_MAX_LENGTH
from schedule.importing.errors import ImportFileError, let_through_by

# Far-off years are typing errors, and near datetime's limits the arithmetic on
# zones' offsets would overflow (9999-12-31 23:00 in Los Angeles is in year 10000 UTC).
YEARS = (1900, 2999)

# Columns a parser measures before any model is at hand; a test checks them against the models.
TALK_SOURCE_URL_MAX_LENGTH = 500
TALK_EXTERNAL_ID_MAX_LENGTH = 100

# How much of a value a message quotes: enough to recognise it, never a whole abstract.
EXCERPT_LENGTH = 60
# A value a little longer than its excerpt is quoted whole: cutting it would save nothing.
EXCERPT_SLACK = 20


@dataclass(frozen=True, kw_only=True)
class ImportLimits:
    """How big a file an import takes; each limit has an option of the import commands.

    A CharField's limit is its column's ``max_length``, which no option raises.
    """

    #: Bytes; checked before the file is read.
    max_file_size: int = 50 * 1024 * 1024
    #: Talks (frab ``<event>``, iCalendar VEVENT, agenda ``## Title``).
    max_talks: int = 20_000
    #: Characters of each Markdown text (TextField): abstracts, bios, descriptions.
    max_text_length: int = MARKDOWN_MAX_LENGTH


#: Each limit's command-line option, named in the messages that report it.
LIMIT_OPTIONS = {
    "max_file_size": "--max-file-size",
    "max_talks": "--max-talks",
    "max_text_length": "--max-text-length",
}


def excerpt(value, *, length=EXCERPT_LENGTH):
    """``value`` as a message quotes it: whole when short, else its start and its length.

    A 20 MB title must not be printed whole: ``Aaaa…(20,000,000 characters)``.
    ``length`` is longer for another library's message that quotes a value.
    """
    text = str(value)
    if len(text) <= length + EXCERPT_SLACK:
        return text
    return f"{text[:length]}…({len(text):,} characters)"


def file_size_message(size, *, limits):
    """A message when a file of ``size`` bytes is larger than ``limits`` allow, else ``None``."""
    if size <= limits.max_file_size:
        return None
    option = LIMIT_OPTIONS["max_file_size"]
    return let_through_by(
        option,
        f"the file is {size:,} bytes; at most {limits.max_file_size:,} are allowed "
        f"(use {option} to raise it)",
    )


def column_length(model, name):
    """The ``max_length`` of ``model``'s field ``name``: what its column holds."""
    return model._meta.get_field(name).max_length


def read_limited(path, *, limits, source):
    """The bytes of the file at ``path``; :class:`ImportFileError` when it is larger than allowed.

    The size is asked of the file system before anything is read, so that a
    file of gigabytes never reaches memory. Raises ``OSError`` as reading does.
    """
    with Path(path).open("rb") as file:
        message = file_size_message(os.fstat(file.fileno()).st_size, limits=limits)
        if message is None:
            # No more than allowed, even from a file that grew since (or a pipe).
            data = file.read(limits.max_file_size + 1)
            message = file_size_message(len(data), limits=limits)
    if message:
        raise ImportFileError([(None, message)], source)
    return data


def too_many_talks_message(limits):
    """What an importer says at the first talk past ``limits.max_talks``, with its line."""
    option = LIMIT_OPTIONS["max_talks"]
    return let_through_by(
        option,
        f"the file has more than {limits.max_talks:,} talks, the most allowed "
        f"(use {option} to raise it)",
    )


def length_errors(instance, *, what, field_lines, default_line, limits):
    """``(line, message)`` for each text field of ``instance`` longer than allowed.

    A CharField may hold its ``max_length``; a TextField (Markdown) the
    limits' ``max_text_length``. Returns the names of those fields too, so that
    ``full_clean()`` does not report them a second time.
    """
    errors, fields = [], []
    for field in instance._meta.concrete_fields:
        if isinstance(field, TextField):
            limit, option = limits.max_text_length, LIMIT_OPTIONS["max_text_length"]
        elif isinstance(field, CharField) and field.max_length:
            limit, option = field.max_length, None
        else:
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str) or len(value) <= limit:
            continue
        message = f"{what}: {field.name} is {len(value):,} characters long; at most {limit:,}"
        if option:
            message = let_through_by(option, f"{message} are allowed (use {option} to raise it)")
        else:
            message += " fit"
        errors.append((field_lines.get(field.name, default_line), message))
        fields.append(field.name)
    return errors, fields
