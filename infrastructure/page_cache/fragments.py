"""Pieces of pages kept by what they show, so that a page after an edit renders only what changed.

A fragment (one day of a schedule, say) is stored under a digest of
everything it is made from: the rows it shows, the language, the code that
renders it. The key therefore names its content, and a stored fragment is
right for as long as anything asks for it; no change has to find and drop it,
and this process may keep the ones it used last in memory without ever
serving a stale one. A change to one talk makes one new digest, one fragment
to render; every other fragment of the page, of its other languages and of
other releases showing the same rows, is found again.

Each fragment is kept with its raw deflate stream, ended by a sync flush so
that streams join: ``gzip_from_parts`` makes the page's gzip body from them
and the few bytes around them, instead of compressing the whole page again.
``PageAssembly`` marks where fragments go in a rendered page and splits it
back into those parts.
"""

import hashlib
import re
import secrets
import struct
import time
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.safestring import SafeString

from infrastructure.page_cache import shared
from infrastructure.page_cache.memory import RecentItems

# A fragment names its content: it may live long. Unused ones age out.
FRAGMENT_SECONDS = 24 * 60 * 60
# Level 5 packs a schedule within a few per cent of level 9, in a fraction of the time.
DEFLATE_LEVEL = 5
# A gzip member's header: no name, no time, "unknown" system (as RFC 1952 allows).
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
# The empty last block that ends a deflate stream of sync-flushed pieces.
_LAST_BLOCK = b"\x03\x00"


@dataclass(frozen=True, slots=True)
class Fragment:
    html: bytes  # UTF-8, every text in it escaped already
    deflated: bytes  # raw deflate of ``html``, sync-flushed so that it joins others
    expires: float  # as time.time() counts, for this process's memory

    @property
    def size(self):
        """Its bytes in this process's memory."""
        return len(self.html) + len(self.deflated)


def deflated(data, level=DEFLATE_LEVEL):
    """``data`` as a raw deflate stream that another such stream may follow."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def inflated(stream):
    """The bytes of a ``deflated`` stream (one without its last block, as those are)."""
    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(stream)


def gzip_from_parts(parts):
    """One gzip body of ``parts``, pairs of (bytes, their ``deflated`` stream or None).

    Parts without a stream are compressed here; the others are used as they are.
    """
    crc, size, streams = 0, 0, [_GZIP_HEADER]
    for data, stream in parts:
        streams.append(deflated(data) if stream is None else stream)
        crc = zlib.crc32(data, crc)
        size += len(data)
    streams.append(_LAST_BLOCK)
    streams.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(streams)


def fragment_key(kind, material):
    """The key of the fragment made from ``material`` (bytes naming all it shows)."""
    return f"pages:fragment:{kind}:{hashlib.blake2b(material, digest_size=20).hexdigest()}"


_recent = RecentItems(settings.PAGE_CACHE_MEMORY_BYTES // 2)


def stored_fragments(keys):
    """The fragments stored under ``keys``, by key: from this process's memory, else the cache."""
    found, missing = {}, []
    for key in keys:
        fragment = _recent.get(key)
        if fragment is None:
            missing.append(key)
        else:
            found[key] = fragment
    now = time.time()
    for key, stream in shared.get_many(missing).items():
        if isinstance(stream, bytes):
            fragment = Fragment(inflated(stream), stream, now + FRAGMENT_SECONDS)
            _recent.put(key, fragment, fragment.size)
            found[key] = fragment
    return found


def store_fragments(html_by_key):
    """Keep each rendered ``html`` (a str) under its key; the fragments made, by key."""
    expires = time.time() + FRAGMENT_SECONDS
    made = {}
    for key, html in html_by_key.items():
        data = html.encode()
        made[key] = fragment = Fragment(data, deflated(data), expires)
        _recent.put(key, fragment, fragment.size)
    # The shared cache keeps the deflate stream alone, a tenth of the bytes to send
    # and keep: inflating it again is cheaper than sending the markup.
    shared.set_many({key: fragment.deflated for key, fragment in made.items()}, FRAGMENT_SECONDS)
    return made


def forget_recent_fragments():
    """Empty this process's memory of fragments (tests, and a process that starts afresh)."""
    _recent.clear()


class PageAssembly:
    """Where a page's fragments stand in its rendered markup.

    ``place`` gives a template a marker for a fragment; ``assemble`` puts the
    fragments in place of the markers in the rendered response and leaves on
    it ``page_parts``, with which the page's store compresses only what lies
    between them. The markers hold a secret made per page, so no text a page
    shows (escaped as it is) can pass for one.
    """

    def __init__(self):
        self._token = secrets.token_hex(8)
        self._fragments = []

    def place(self, fragment):
        self._fragments.append(fragment)
        return SafeString(f"<!--fragment-{self._token}-{len(self._fragments) - 1}-->")

    def assemble(self, response):
        marker = rb"<!--fragment-" + self._token.encode() + rb"-(\d+)-->"
        pieces = re.split(marker, response.content)
        parts = []
        for index, piece in enumerate(pieces):
            if index % 2:
                fragment = self._fragments[int(piece)]
                parts.append((fragment.html, fragment.deflated))
            elif piece:
                parts.append((piece, None))
        response.content = b"".join(data for data, _ in parts)
        response.page_parts = parts
        return response
