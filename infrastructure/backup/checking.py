"""Reading an archive back and checking it before a restore uses any of it.

The format version and every member's SHA-256 and size are checked first, then
``data.json``'s shape: every part a list of records, with only fields and
plain values this site knows (a JSON column may hold a list or object of
them), as many as the manifest counts. An archive of
an older format version lacks the parts added since (``Section.since``).
"""

import hashlib
import json
import zipfile

from django.db import models

from infrastructure.backup import sections
from infrastructure.backup.archive import (
    DATA,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    applied_migrations,
    plain_fields,
)

_CHUNK = 1024 * 1024


def _digest(archive, name):
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(name) as member:
            while chunk := member.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, OSError) as error:  # a damaged member fails its CRC
        return f"unreadable ({error})", size
    return digest.hexdigest(), size


def checked_manifest(archive):
    """The manifest, once its format version and every member's checksum are right."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(f"The archive has no {MANIFEST}: it is not an event backup.") from None
    except (ValueError, zipfile.BadZipFile) as error:
        raise BackupError(f"{MANIFEST} cannot be read: {error}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} does not describe an event backup ({FORMAT}).")
    version = manifest.get("format_version")
    if type(version) is not int or version < 1:
        raise BackupError(f"{MANIFEST} gives no valid format version ({version!r}).")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"The archive is in backup format version {version}, newer than the version "
            f"{FORMAT_VERSION} this site reads: restore it with the version of the site that "
            f"made it ({manifest.get('app_version', 'unknown')}) or a later one."
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or DATA not in files:
        raise BackupError(f"{MANIFEST} lists no {DATA}.")
    names = archive.namelist()
    problems = [
        f"{name}: in the archive twice." for name in sorted(set(names)) if names.count(name) > 1
    ]
    problems += [
        f"{name}: in the archive but not in the manifest."
        for name in sorted(set(names) - set(files) - {MANIFEST})
    ]
    for name, expected in sorted(files.items()):
        expected = expected if isinstance(expected, dict) else {}
        wanted = (expected.get("sha256"), expected.get("size"))
        if name not in names:
            problems.append(f"{name}: listed in the manifest but missing from the archive.")
        elif (found := _digest(archive, name)) != wanted:
            problems.append(
                f"{name}: does not match its checksum in the manifest (sha256 {found[0]}, "
                f"{found[1]} bytes; the manifest says {wanted[0]}, {wanted[1]} bytes): "
                "the archive was changed or damaged."
            )
    if problems:
        raise BackupError(*problems)
    return manifest


def checked_data(archive, manifest):
    """``data.json``: every part a list of records with only fields this site knows."""
    try:
        data = json.loads(archive.read(DATA))
    except ValueError as error:
        raise BackupError(f"{DATA} is not valid JSON: {error}.") from None
    if not isinstance(data, dict) or not isinstance(data.get(sections.EVENT), dict):
        raise BackupError(f"{DATA} holds no event.")
    version = manifest["format_version"]
    problems = []
    for section in sections.sections():
        part = section.part
        if section.since > version:
            data.pop(part, None)  # not in that version: a restore reads it as absent
            continue
        records = [data[sections.EVENT]] if part == sections.EVENT else data.get(part)
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            problems.append(f"{DATA}: {part} is not a list of records.")
            continue
        known = {
            "id",
            *(f.name for f in plain_fields(section.model)),
            *section.relations,
            *section.extra_keys,
        }
        known -= {"event"}  # a record's event is the archive's
        json_columns = {
            f.name for f in plain_fields(section.model) if isinstance(f, models.JSONField)
        }
        for index, record in enumerate(records):
            if unknown := sorted(set(record) - known):
                problems.append(
                    f"{DATA}: {part}[{index}] has fields this site does not know "
                    f"({', '.join(unknown)}): the backup was made by a newer version."
                )
            odd = sorted(
                name
                for name, value in record.items()
                if not (_json(value) if name in json_columns else _scalar(value))
            )
            if odd:
                problems.append(f"{DATA}: {part}[{index}]: not a plain value: {', '.join(odd)}.")
        counts = manifest.get("counts")
        counted = counts.get(part, len(records)) if isinstance(counts, dict) else len(records)
        if part != sections.EVENT and counted != len(records):
            problems.append(f"{DATA}: {len(records)} {part}, the manifest counts {counted}.")
    if problems:
        raise BackupError(*problems)
    return data


def _scalar(value):
    return value is None or isinstance(value, str | int | float)  # bool is an int


def _json(value):
    """A JSON column's value: plain values, in lists and objects keyed by strings."""
    if isinstance(value, list):
        return all(_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _json(item) for key, item in value.items())
    return _scalar(value)


def migration_warnings(manifest):
    theirs = manifest.get("migrations")
    if not isinstance(theirs, dict):
        return []
    ours = applied_migrations()
    warnings = []
    for app in sections.app_labels():
        if unknown := sorted(set(theirs.get(app) or []) - set(ours[app])):
            warnings.append(
                f"The backup was made with {app} migrations not applied here "
                f"({', '.join(unknown)}); migrate first if anything is missing."
            )
    return warnings
