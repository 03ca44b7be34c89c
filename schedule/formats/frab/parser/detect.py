"""Which of the two frab formats a file is in: schedule.xml or schedule.json."""

from schedule.formats.frab.parser.document import parse_frab
from schedule.formats.frab.parser.json_document import parse_frab_json

_BOM = b"\xef\xbb\xbf"


def is_json(data, *, source=""):
    """Whether ``data`` is schedule.json: by its first byte that is not a space, else its name.

    Content decides where it can (``{`` is JSON, ``<`` XML), so a file saved
    under the wrong name is still read; the name decides only for the rest,
    which neither format starts with and whose errors should then say JSON's.
    """
    start = data.removeprefix(_BOM).lstrip()[:1]
    if start in (b"{", b"<"):
        return start == b"{"
    return source.lower().split("?", 1)[0].endswith(".json")


def parse_schedule(data, *, source, limits=None):
    """The :class:`FrabSchedule` in ``data``, schedule.xml or schedule.json alike."""
    parse = parse_frab_json if is_json(data, source=source) else parse_frab
    return parse(data, source=source, limits=limits)
