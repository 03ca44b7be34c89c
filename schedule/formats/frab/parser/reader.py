"""Untrusted XML read safely into an ElementTree, with the line each element starts on.

ElementTree forgets where an element was written, and the importer's messages
must say ``FILE:LINE``. The parser here is defusedxml's: it refuses entity
declarations (a "billion laughs" file expands a few hundred bytes into
gigabytes) and external references, and the tree builder notes expat's current
line as each element opens.
"""

import xml.etree.ElementTree as ElementTree
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

from schedule.importing.limits import excerpt


class XMLReadError(Exception):
    """The bytes are not XML this importer may read; ``line`` says where."""

    def __init__(self, line, message):
        super().__init__(line, message)
        self.line = line
        self.message = message


class _LineTreeBuilder:
    """An ElementTree builder that records, per element, the line its start tag is on.

    ``limits`` maps a tag to ``(the most elements of it, the message past them)``:
    the reading stops at the first one too many, before the rest is built.
    """

    def __init__(self, limits):
        self._builder = ElementTree.TreeBuilder()
        self.lines = {}
        self.expat = None
        self.limits = limits
        self.counts = dict.fromkeys(limits, 0)

    def start(self, tag, attrs):
        if tag in self.limits:
            self.counts[tag] += 1
            most, message = self.limits[tag]
            if self.counts[tag] > most:
                raise XMLReadError(self.expat.CurrentLineNumber, message)
        element = self._builder.start(tag, attrs)
        self.lines[element] = self.expat.CurrentLineNumber
        return element

    def end(self, tag):
        return self._builder.end(tag)

    def data(self, data):
        self._builder.data(data)

    def close(self):
        return self._builder.close()


def read_xml(data, *, limits=None):
    """``(root element, {element: line})`` of the XML document ``data`` (bytes).

    Raises :class:`XMLReadError` on anything that is not well-formed XML, on
    entity declarations or external references, which are never expanded, and
    past ``limits`` (``{tag: (the most elements, message)}``).
    """
    builder = _LineTreeBuilder(limits or {})
    # A DOCTYPE alone is harmless; only entities can expand or reach outside.
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except XMLReadError:
        raise
    except EntitiesForbidden as error:
        raise XMLReadError(
            parser.parser.CurrentLineNumber,
            f'the file declares the XML entity "{excerpt(error.name)}"; files with entity '
            "declarations are refused, since entities can expand without limit "
            '(a "billion laughs" file)',
        ) from None
    except DefusedXmlException as error:
        raise XMLReadError(
            parser.parser.CurrentLineNumber,
            f"the file refers to an external resource ({error}); such files are refused",
        ) from None
    except ElementTree.ParseError as error:
        line, column = error.position
        raise XMLReadError(
            line, f"not well-formed XML at column {column + 1}: {ErrorString(error.code)}"
        ) from None
    # The XML declaration names an encoding Python does not know, or the bytes
    # are not in the one it names.
    except LookupError as error:
        raise XMLReadError(1, f"the file's XML declaration names an {error}") from None
    except UnicodeError as error:
        raise XMLReadError(
            parser.parser.CurrentLineNumber, f"the text is not in its declared encoding: {error}"
        ) from None
    return root, builder.lines
