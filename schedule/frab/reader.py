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


class XMLReadError(Exception):
    """The bytes are not XML this importer may read; ``line`` says where."""

    def __init__(self, line, message):
        super().__init__(line, message)
        self.line = line
        self.message = message


class _LineTreeBuilder:
    """An ElementTree builder that records, per element, the line its start tag is on."""

    def __init__(self):
        self._builder = ElementTree.TreeBuilder()
        self.lines = {}
        self.expat = None

    def start(self, tag, attrs):
        element = self._builder.start(tag, attrs)
        self.lines[element] = self.expat.CurrentLineNumber
        return element

    def end(self, tag):
        return self._builder.end(tag)

    def data(self, data):
        self._builder.data(data)

    def close(self):
        return self._builder.close()


def read_xml(data):
    """``(root element, {element: line})`` of the XML document ``data`` (bytes).

    Raises :class:`XMLReadError` on anything that is not well-formed XML, and
    on entity declarations or external references, which are never expanded.
    """
    builder = _LineTreeBuilder()
    # A DOCTYPE alone is harmless; only entities can expand or reach outside.
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except EntitiesForbidden as error:
        raise XMLReadError(
            parser.parser.CurrentLineNumber,
            f'the file declares the XML entity "{error.name}"; files with entity '
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
