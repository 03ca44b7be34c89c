"""A bounded store in this process's memory, the most recently used kept."""

import threading
import time
from collections import OrderedDict


class RecentItems:
    """What this process used last, up to a number of bytes, each until it expires.

    Each item has an ``expires`` attribute (as ``time.time()`` counts).
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self._entries = OrderedDict()  # key -> (entry, size)
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if found[0].expires <= time.time():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key, entry, size):
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (entry, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key):
        _, size = self._entries.pop(key)
        self._bytes -= size
