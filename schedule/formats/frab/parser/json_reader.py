"""Untrusted JSON read into Python values that remember the line each object starts on.

The standard library's decoder forgets where a value was written, and the
importer's messages must say ``FILE:LINE``. The pure-Python scanner of
``json.scanner`` calls its decoder's ``parse_object`` with the position of
every ``{``; wrapping that gives each object its line. It is slower than the
C scanner, which a real schedule.json (a few MB) does not notice.
"""

import json
import re
from bisect import bisect_right
from json.decoder import JSONObject
from json.scanner import py_make_scanner

_NEWLINE = re.compile("\n")


class JSONReadError(Exception):
    """The bytes are not JSON this importer may read; ``line`` says where."""

    def __init__(self, line, message):
        super().__init__(line, message)
        self.line = line
        self.message = message


class LinedObject(dict):
    """A JSON object, with the line its ``{`` is on."""

    line = 0


def _line_at(newlines, position):
    return bisect_right(newlines, position - 1) + 1


def read_json(data):
    """The JSON document ``data`` (UTF-8 bytes), every object a :class:`LinedObject`.

    Raises :class:`JSONReadError` for bytes that are not UTF-8, text that is
    not JSON, and documents nested too deeply to read.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise JSONReadError(line, f"the file is not UTF-8 text: {error.reason}") from None
    newlines = [match.start() for match in _NEWLINE.finditer(text)]

    def parse_object(text_and_end, *args, **kwargs):
        value, end = JSONObject(text_and_end, *args, **kwargs)
        lined = LinedObject(value)
        lined.line = _line_at(newlines, text_and_end[1] - 1)
        return lined, end

    decoder = json.JSONDecoder()
    decoder.parse_object = parse_object
    decoder.scan_once = py_make_scanner(decoder)
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as error:
        raise JSONReadError(
            error.lineno, f"not valid JSON at column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise JSONReadError(None, "the JSON is nested too deeply to be a schedule") from None
