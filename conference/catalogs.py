"""The interface's translation catalogs: where they are and how they are compiled."""

import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings


def catalog_paths():
    """Every ``.po`` file under LOCALE_PATHS."""
    return sorted(
        path for root in settings.LOCALE_PATHS for path in Path(root).glob("*/LC_MESSAGES/*.po")
    )


def compile_catalogs(*, force=False):
    """Write the ``.mo`` beside each ``.po`` that is newer than it; the paths written.

    Each file is written under another name and moved into place, so a process
    reading catalogs meanwhile (a test worker, a server) never sees half a file.
    """
    compiled = []
    for po_path in catalog_paths():
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        descriptor, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        os.close(descriptor)
        try:
            polib.pofile(str(po_path)).save_as_mofile(temporary)
            os.replace(temporary, mo_path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        compiled.append(po_path.relative_to(settings.BASE_DIR).with_suffix(".mo"))
    return compiled
