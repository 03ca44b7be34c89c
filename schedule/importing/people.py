"""Which identifier tells the people of a file apart: their guid, their id, or their name.

Schedule files give each person a guid, an id, both or neither, and real
files misuse both: one file gave all 109 of its people ``id="0"``, and taken
as a key that id made them one speaker on 250 talks. So an identifier is a key
only where it tells people apart:

- a guid, unless it is the nil UUID or the file gives it to two different names;
- an id, unless it is a placeholder (empty, zero, negative, "null") or the file
  gives it to two different names (as ``name_key`` compares them);
- else the name, within the file's namespace: one speaker per name.

Two different names are never one speaker. Every identifier set aside is
reported with the line of each person it was given to, grouped under one
summary line with a count.

No database and no format: the frab XML and schedule.json readers produce
records with ``name``, ``guid`` (a UUID or None), ``person_id`` (text, "" for
none) and ``line``, and both importers decide their keys here.
"""

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from schedule.importing.limits import excerpt
from schedule.importing.names import name_key

#: How a speaker imported with a guid is marked; exports give that guid back.
GUID_PREFIX = "guid:"
NIL_GUID = uuid.UUID(int=0)
# Ids that generators write where they have none.
PLACEHOLDER_WORDS = {"", "null", "none", "nil", "undefined", "n/a", "-"}


def guid_external_id(guid):
    """The external id of the speaker the person with ``guid`` becomes."""
    return f"{GUID_PREFIX}{guid}"


def guid_of_external_id(external_id):
    """The guid a speaker was imported with, or None when it came without one."""
    if not external_id.startswith(GUID_PREFIX):
        return None
    try:
        return uuid.UUID(external_id.removeprefix(GUID_PREFIX))
    except ValueError:
        return None


def person_name(*, name="", public_name=""):
    """The name of a person as frab readers take it: ``name``, else ``public_name``.

    pretalx writes ``public_name`` (frab's older field), we and the hub ``name``.
    """
    return " ".join((name or "").split()) or " ".join((public_name or "").split())


def is_placeholder_id(person_id):
    """Whether ``person_id`` is what a generator writes for "no id": "", "0", "-1", "null"…"""
    text = person_id.strip()
    if text.casefold() in PLACEHOLDER_WORDS:
        return True
    try:
        return int(text) <= 0
    except ValueError:
        return False


@dataclass(frozen=True)
class PersonKeys:
    """The key of each person of one file; see the module's docstring."""

    namespace: str
    max_length: int
    shared_guids: frozenset = frozenset()
    shared_ids: frozenset = frozenset()
    warnings: list = field(default_factory=list, compare=False)
    grouped_warnings: dict = field(default_factory=dict, compare=False)

    def guid(self, person):
        """The person's guid if it tells them apart, else None."""
        if person.guid is None or person.guid == NIL_GUID or person.guid in self.shared_guids:
            return None
        return person.guid

    def usable_id(self, person):
        """The person's id if it tells them apart, else ""."""
        person_id = person.person_id.strip()
        if is_placeholder_id(person_id) or person_id in self.shared_ids:
            return ""
        return person_id

    def external_id(self, person):
        """``guid:<uuid>``, ``<namespace>:person:<id>`` or ``<namespace>:name:<name>``."""
        if guid := self.guid(person):
            return guid_external_id(guid)
        if person_id := self.usable_id(person):
            return self._fitted(f"{self.namespace}:person:", person_id)
        return self._fitted(f"{self.namespace}:name:", name_key(person.name))

    def _fitted(self, prefix, value):
        if len(prefix) + len(value) <= self.max_length:
            return f"{prefix}{value}"
        return f"{prefix}sha256:{hashlib.sha256(value.encode()).hexdigest()}"


def _shared(persons, identify):
    """``{identifier: [(name, line), …]}`` of identifiers the persons give to two names or more."""
    names = defaultdict(dict)  # identifier -> name key -> (name, first line)
    for person in persons:
        identifier = identify(person)
        if identifier is not None:
            names[identifier].setdefault(name_key(person.name), (person.name, person.line))
    return {
        identifier: sorted(by_name.values(), key=lambda entry: entry[1])
        for identifier, by_name in names.items()
        if len(by_name) > 1
    }


def person_keys(persons, *, namespace, source, max_length):
    """The :class:`PersonKeys` of ``persons`` (every person record of one file, with repeats).

    ``namespace`` keeps the ids and names of two conferences apart (the file's
    acronym); ``max_length`` is the longest external id the database takes.
    Its ``warnings`` are ``FILE:LINE: …`` strings, ``grouped_warnings`` one
    summary per identifier set aside (as ``ImportResult`` takes them).
    """
    persons = list(persons)
    shared_guids = _shared(
        persons, lambda p: p.guid if p.guid is not None and p.guid != NIL_GUID else None
    )
    unusable_guids = frozenset(shared_guids)
    # An id matters only to people whose guid does not tell them apart.
    shared_ids = _shared(
        [p for p in persons if p.guid is None or p.guid == NIL_GUID or p.guid in unusable_guids],
        lambda p: None if is_placeholder_id(p.person_id) else p.person_id.strip(),
    )
    keys = PersonKeys(
        namespace=namespace,
        max_length=max_length,
        shared_guids=unusable_guids,
        shared_ids=frozenset(shared_ids),
    )
    for what, shared in (("guid", shared_guids), ("id", shared_ids)):
        for identifier, entries in shared.items():
            _report_shared(keys, what=what, identifier=identifier, entries=entries, source=source)
    _report_placeholders(keys, persons, source=source)
    return keys


def _report_shared(keys, *, what, identifier, entries, source):
    first_name, first_line = entries[0]
    fallback = "id or name" if what == "guid" else "guid or name"
    group = [
        f'{source}:{line}: person "{excerpt(name)}": {what} "{excerpt(str(identifier))}" is also '
        f'given to "{excerpt(first_name)}" (line {first_line}); it is no key: told apart by '
        f"{fallback}"
        for name, line in entries[1:]
    ]
    summary = (
        f'{source}:{first_line}: person {what} "{excerpt(str(identifier))}" is given to '
        f"{len(entries)} different names; it is no key: those people are told apart by "
        f"{fallback} (-v 2 lists each)"
    )
    keys.warnings.extend(group)
    keys.grouped_warnings[summary] = group


def _report_placeholders(keys, persons, *, source):
    """One warning per name known by name only, because it has no id to speak of."""
    by_id = defaultdict(list)
    seen = set()
    for person in persons:
        if keys.guid(person) is not None or keys.usable_id(person):
            continue
        if person.person_id.strip() in keys.shared_ids:
            continue  # already told, with the names it was given to
        if name_key(person.name) in seen:
            continue  # one line per person, not per talk
        seen.add(name_key(person.name))
        by_id[person.person_id.strip()].append(person)
    for person_id, group_persons in by_id.items():
        said = f'the placeholder id "{excerpt(person_id)}"' if person_id else "neither id nor guid"
        group = [
            f'{source}:{person.line}: person "{excerpt(person.name)}" has {said}; matched by name'
            for person in group_persons
        ]
        summary = (
            f"{source}:{group_persons[0].line}: {len(group_persons)} people have {said}; each is "
            "matched by name (-v 2 lists each)"
        )
        keys.warnings.extend(group)
        keys.grouped_warnings[summary] = group
