"""Tests of ``infrastructure.slugs``: the one way importers, the admin and backups number slugs."""

import pytest

from infrastructure.slugs import UniqueSlugs
from speakers.models import Speaker
from tests.factories import SpeakerFactory


def slugs_searched_from_two(taken, bases, *, max_length=None):
    """What a search from "-2" each time gives: the slugs ``UniqueSlugs`` must give."""
    taken, made = set(taken), []
    for base in bases:
        candidate, number = base, 2
        while candidate in taken:
            suffix = f"-{number}"
            stem = base if max_length is None else base[: max_length - len(suffix)]
            candidate, number = f"{stem}{suffix}", number + 1
        taken.add(candidate)
        made.append(candidate)
    return made


@pytest.mark.parametrize(
    ("taken", "bases", "max_length"),
    [
        ((), ["break", "break", "break"], None),
        (("break", "break-2", "break-4"), ["break", "break", "break", "lunch"], None),
        (("talk-2",), ["talk", "talk", "talk-2", "talk"], None),
        (("abcdef",), ["abcdef"] * 12, 6),  # the suffix shortens the base: abcd-2 … abc-10
    ],
    ids=["none taken", "gaps", "a base that is another's suffix", "shortened"],
)
def test_unique_slugs_are_those_a_search_from_two_finds(taken, bases, max_length):
    slugs = UniqueSlugs(taken)

    made = [slugs.make(base, max_length=max_length) for base in bases]

    assert made == slugs_searched_from_two(taken, bases, max_length=max_length)
    assert len(set(made) | set(taken)) == len(made) + len(set(taken))


def test_unique_slugs_of_one_title_ten_thousand_times_are_numbered_in_order():
    slugs = UniqueSlugs()

    made = [slugs.make("coffee-break") for _ in range(10_000)]

    assert made[:3] == ["coffee-break", "coffee-break-2", "coffee-break-3"]
    assert made[-1] == "coffee-break-10000"


@pytest.mark.django_db
def test_a_speakers_slug_is_numbered_as_the_importers_number_them():
    SpeakerFactory(name="Ada Lovelace", slug="ada-lovelace")
    SpeakerFactory(name="Ada Lovelace", slug="ada-lovelace-2")

    assert Speaker.unique_slug_for("Ada Lovelace") == "ada-lovelace-3"
    assert Speaker.unique_slug_for("  --- ") == "speaker"
