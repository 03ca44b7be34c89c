"""How long the readers take on inputs built to be slow, at two sizes, in one run.

    .venv/bin/python bench/hostile_inputs.py [--sizes 50000 100000] [--runs 3]

The tests check what these inputs give (the right message, the right names,
a refusal); this script measures what they cost, so that no test asserts on
the clock. Each input is built at both sizes and read ``--runs`` times; the
table gives the fastest CPU time of each and the ratio of the two. A reader
whose time grows with the length of its input shows a ratio near the ratio
of the sizes (2 by default); the patterns these replaced took minutes to
hours on the larger size.

- agenda line: a ``### Time:`` line of the 2012 agenda format with a run of
  spaces inside, which the parser must refuse with its line number;
- iCalendar speakers: a ``Speakers:`` line in a DESCRIPTION with runs of
  spaces between the names;
- photo bomb: a PNG whose header claims width × width pixels (the size is
  the side), refused before it is decoded.
"""

import argparse
import os
import struct
import sys
import time
import warnings
import zlib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _set_up_django():
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()


def _agenda_line(size):
    from schedule.formats.agenda.parser import parse_agenda
    from schedule.importing.errors import ImportFileError

    rows = ["# Small Conf", "## Location: Barcelona, Spain", "## Date: November 7-9, 2012", ""]
    rows += ["## Opening", "### Name: Ada Lovelace", "### Time: November 7" + " " * size + "x"]
    text = "\n".join(rows)

    def read():
        try:
            parse_agenda(text, source="agenda.txt")
        except ImportFileError:
            return
        raise AssertionError("the agenda line was not refused")

    return read


def _ics_speakers(size):
    from schedule.formats.ical.parser import parse_ics

    spaces = " " * size
    rows = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bench//Hostile//EN", "BEGIN:VEVENT"]
    rows += ["UID:opening@example.org", "DTSTART:20240301T080000Z", "DTEND:20240301T083000Z"]
    rows += ["SUMMARY:Opening", f"DESCRIPTION:Speakers: Ada{spaces}Lovelace,{spaces}Grace Hopper"]
    rows += ["END:VEVENT", "END:VCALENDAR", ""]
    data = "\r\n".join(rows).encode()

    def read():
        parse_ics(data)

    return read


def _png_of_blank_pixels(width, height):
    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    compressor = zlib.compressobj()
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    rows = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def _photo_bomb(size):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from speakers.photos import PhotoRejected, process_photo

    side = size // 5  # 50,000 → a 10,000 × 10,000 image: 100 megapixels
    data = _png_of_blank_pixels(side, side)

    def read():
        try:
            process_photo(SimpleUploadedFile("bomb.png", data, content_type="image/png"))
        except PhotoRejected:
            return
        raise AssertionError("the photo bomb was not refused")

    return read


INPUTS = {
    "agenda line": _agenda_line,
    "iCalendar speakers": _ics_speakers,
    "photo bomb": _photo_bomb,
}


def _fastest(read, runs):
    times = []
    for _ in range(runs):
        started = time.process_time()
        read()
        times.append(time.process_time() - started)
    return min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[50_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args(argv)
    _set_up_django()
    warnings.simplefilter("ignore")  # Pillow's DecompressionBombWarning is the point here.

    small, large = options.sizes
    header = f"{'input':<20} {small:>10,} {large:>10,} {'ratio':>6}"
    print(f"{header}   (CPU ms, fastest of {options.runs})")
    for name, build in INPUTS.items():
        first = _fastest(build(small), options.runs)
        second = _fastest(build(large), options.runs)
        ratio = second / first if first else float("nan")
        print(f"{name:<20} {first * 1000:>10.1f} {second * 1000:>10.1f} {ratio:>6.2f}")


if __name__ == "__main__":
    main()
