"""Whether an import's time grows with its file alone: files of N and 2N talks.

    .venv/bin/python bench/import_scale.py [--talks 5000] [--formats agenda frab ics] [--profile]

For each format (frab XML and iCalendar unless ``--formats`` says otherwise;
``agenda`` is the 2012 agenda format) the script writes a generated schedule
of ``--talks`` talks and one of twice as many into a temporary directory,
imports each with ``manage.py import_frab`` / ``import_ics`` /
``import_agenda`` (through ``call_command``) into a fresh database, and
prints the file's size, the import's time, its peak memory and the ratio of
the 2N time to the N time: about 2 when the import is linear in the file, 4
when it is quadratic. The files are what real exports look like at that
size: talks of 15 minutes in 50 rooms over as many days as they need, each
with an abstract of a few paragraphs, a speaker of its own and, every third
talk, the room's host as a second speaker (so speakers are shared between
talks, without clashes). Every 25th talk is a "Coffee break" (many talks of
one title), and in the iCalendar file every 40th has no LOCATION (roomless
talks, which the clash rules compare with the others).

Each import runs in a process of its own (this script with ``--child``), so
that its peak memory is its own and nothing is cached from the run before.
The database is a migrated SQLite file in the temporary directory, copied
afresh for each import; with ``DATABASE_URL`` set, that database is used
instead (it is migrated), and the events of the script (slugs
``import-scale-*``), their talks and speakers are deleted before and after
each import. ``--profile`` prints a cProfile of each import.
"""

import argparse
import datetime
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from xml.sax.saxutils import escape

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ROOMS = 50
SLOTS_PER_DAY = 96  # 15-minute talks around the clock, so no two talks of a room overlap
FIRST_DAY = datetime.date(2025, 3, 3)
ZONE = "Europe/Berlin"
ABSTRACT = (
    "This talk looks at how the scheduler places virtual CPUs on busy hosts, what the "
    "latest kernels changed, and which knobs matter in production.\n\n"
    "We go through measurements on three kinds of machines and end with advice for "
    "operators who run mixed workloads."
)
COMMANDS = {"agenda": "import_agenda", "frab": "import_frab", "ics": "import_ics"}
SUFFIXES = {"agenda": ".txt", "frab": ".schedule.xml", "ics": ".ics"}


def _title(index):
    return "Coffee break" if index % 25 == 24 else f"Talk number {index}: virtual CPUs"


def _slots(talks):
    """``(index, date, room number, start time)`` for each of ``talks`` talks."""
    for index in range(talks):
        day, rest = divmod(index, ROOMS * SLOTS_PER_DAY)
        room, slot = divmod(rest, SLOTS_PER_DAY)
        start = datetime.time(slot // 4, slot % 4 * 15)
        yield index, FIRST_DAY + datetime.timedelta(days=day), room + 1, start


def _speakers(index, room, date):
    """The talk's speakers: its own, and every third talk the room's host of that day."""
    own = (f"Speaker {index}", uuid.uuid5(uuid.NAMESPACE_URL, f"person/{index}"))
    if index % 3:
        return [own]
    host = f"host/{date}/{room}"
    return [own, (f"Host {date} {room}", uuid.uuid5(uuid.NAMESPACE_URL, host))]


def frab_xml(talks, *, acronym):
    """A frab schedule of ``talks`` talks, as pretalx writes one, in bytes."""
    by_day = {}
    for index, date, room, start in _slots(talks):
        by_day.setdefault(date, {}).setdefault(room, []).append((index, start))
    days = len(by_day)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<schedule>",
        "  <version>1.0</version>",
        "  <conference>",
        f"    <acronym>{acronym}</acronym>",
        f"    <title>Scale test {talks}</title>",
        f"    <start>{FIRST_DAY}</start>",
        f"    <end>{FIRST_DAY + datetime.timedelta(days=days - 1)}</end>",
        f"    <days>{days}</days>",
        f"    <time_zone_name>{ZONE}</time_zone_name>",
        "  </conference>",
    ]
    for day_index, (date, rooms) in enumerate(by_day.items(), start=1):
        out.append(f'  <day index="{day_index}" date="{date}">')
        for room, slots in rooms.items():
            out.append(f'    <room name="Room {room}">')
            for index, start in slots:
                guid = uuid.uuid5(uuid.NAMESPACE_URL, f"{acronym}/talk/{index}")
                when = datetime.datetime.combine(date, start).isoformat()
                persons = "".join(
                    f'<person guid="{person_guid}">{escape(name)}</person>'
                    for name, person_guid in _speakers(index, room, date)
                )
                out += [
                    f'      <event guid="{guid}" id="{index + 1}">',
                    f"        <date>{when}+01:00</date>",
                    f"        <start>{start:%H:%M}</start>",
                    "        <duration>00:15</duration>",
                    f"        <room>Room {room}</room>",
                    f"        <url>https://example.org/{acronym}/talk/{index + 1}/</url>",
                    f"        <title>{_title(index)}</title>",
                    "        <subtitle></subtitle>",
                    f"        <track>Track {room % 7}</track>",
                    "        <type>Talk</type>",
                    "        <language>en</language>",
                    f"        <abstract>{escape(ABSTRACT)}</abstract>",
                    "        <description></description>",
                    f"        <persons>{persons}</persons>",
                    "        <links></links>",
                    "        <attachments></attachments>",
                    "      </event>",
                ]
            out.append("    </room>")
        out.append("  </day>")
    out.append("</schedule>\n")
    return "\n".join(out).encode()


def _ics_text(value):
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line):
    """RFC 5545's folding: lines of at most 75 octets (ASCII here, so 75 characters)."""
    parts = [line[:75]]
    parts += [f" {line[start : start + 74]}" for start in range(75, len(line), 74)]
    return "\r\n".join(parts)


def ics_calendar(talks, *, name):
    """An iCalendar file of ``talks`` events, as sched.org writes one, in bytes."""
    stamp = "20250101T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//import scale bench//EN",
        f"X-WR-CALNAME:Scale test {talks}",
        f"X-WR-TIMEZONE:{ZONE}",
    ]
    for index, date, room, start in _slots(talks):
        begins = datetime.datetime.combine(date, start)
        ends = begins + datetime.timedelta(minutes=15)
        speakers = _speakers(index, room, date)
        description = f"{ABSTRACT}\n\nSpeakers: {', '.join(name for name, _ in speakers)}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{name}-{index}@example.org",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID={ZONE}:{begins:%Y%m%dT%H%M%S}",
            f"DTEND;TZID={ZONE}:{ends:%Y%m%dT%H%M%S}",
            f"SUMMARY:{_ics_text(_title(index))}",
            *(
                []
                if index % 40 == 39
                else [f"LOCATION:{_ics_text(f'Room {room}, Berlin, Germany')}"]
            ),
            f"DESCRIPTION:{_ics_text(description)}",
            f"URL:https://example.org/{name}/event/{index}",
            *(
                f"ATTENDEE;CN={speaker};ROLE=REQ-PARTICIPANT:mailto:s{index}@example.org"
                for speaker, _ in speakers
            ),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


def agenda_text(talks, *, name):
    """A 2012 sched.org agenda export of ``talks`` talks (no rooms: the format has none)."""
    dates = sorted({date for _, date, _, _ in _slots(talks)})
    out = [f"# Scale test {talks}", "## Location: Berlin, Germany"]
    out.append(f"## Date: {dates[0]:%B} {dates[0].day}-{dates[-1].day}, {dates[0].year}")
    out.append("A generated agenda.")
    for index, date, room, start in _slots(talks):
        end = (datetime.datetime.combine(date, start) + datetime.timedelta(minutes=15)).time()
        end = end if end > start else datetime.time(23, 59)  # a talk of the format ends that day
        out.append(f"## {_title(index)}")
        out += [f"### Name: {speaker}, Example Corp" for speaker, _ in _speakers(index, room, date)]
        out.append(f"### Time: {date:%B} {date.day}, {date.year} {start:%H:%M} - {end:%H:%M} CET")
        out += [ABSTRACT, f"For more information visit https://example.org/{name}/event/{index}"]
    return ("\n".join(out) + "\n").encode()


def _set_up_django():
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    import django

    django.setup()


def _child(options):
    """One import, in this process: its time and peak memory as JSON on stdout."""
    _set_up_django()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    connection.ensure_connection()
    stdout, stderr = StringIO(), StringIO()
    profiler = None
    if options.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    zone = ["--timezone", ZONE] if options.format == "agenda" else []
    call_command(
        COMMANDS[options.format],
        options.child,
        "--event",
        options.event,
        *zone,
        stdout=stdout,
        stderr=stderr,
    )
    seconds = time.perf_counter() - started
    if profiler is not None:
        import pstats

        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(15)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    summary = stdout.getvalue().strip().splitlines()[-1]
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "summary": summary}))


def _delete_import(event_slug):
    """What one import created in a configured database: its event, talks and speakers."""
    _set_up_django()
    from conference.models import Event
    from speakers.models import Speaker

    event = Event.objects.filter(slug=event_slug).first()
    if event is not None:
        speakers = Speaker.objects.filter(talk_speakers__talk__event=event)
        speaker_ids = list(speakers.values_list("pk", flat=True).distinct())
        event.delete()
        Speaker.objects.filter(pk__in=speaker_ids).delete()


def _run_import(format_name, path, *, event_slug, env, profile):
    command = [sys.executable, __file__, "--child", str(path), "--format", format_name]
    command += ["--event", event_slug]
    if profile:
        command.append("--profile")
    finished = subprocess.run(command, env=env, capture_output=True, text=True, cwd=PROJECT_ROOT)
    if profile:
        sys.stderr.write(finished.stderr)
    if finished.returncode != 0:
        raise SystemExit(f"{path}: the import failed:\n{finished.stderr[:3000]}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


MAKERS = {
    "agenda": lambda talks, slug: agenda_text(talks, name=slug),
    "frab": lambda talks, slug: frab_xml(talks, acronym=slug),
    "ics": lambda talks, slug: ics_calendar(talks, name=slug),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--talks", type=int, default=5000, help="N: the smaller file's talks.")
    parser.add_argument("--formats", nargs="+", choices=sorted(COMMANDS), default=["frab", "ics"])
    parser.add_argument("--profile", action="store_true", help="cProfile each import.")
    parser.add_argument("--child", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--format", choices=sorted(COMMANDS), help=argparse.SUPPRESS)
    parser.add_argument("--event", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        return _child(options)

    configured = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="import-scale-") as directory:
        directory = Path(directory)
        # DEBUG off, as in production: DEBUG keeps every query in memory.
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="conference.settings", DEBUG="false")
        env.setdefault("SECRET_KEY", "import-scale-bench-only")
        template = directory / "template.sqlite3"
        database = directory / "import.sqlite3"
        if not configured:
            env["DATABASE_URL"] = f"sqlite:///{template}"
        migrate = [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"]
        subprocess.run(migrate, env=env, check=True, cwd=PROJECT_ROOT)
        if configured:
            # This process deletes what the imports made, with the children's settings.
            os.environ.update({name: env[name] for name in ("DEBUG", "SECRET_KEY")})
        else:
            env["DATABASE_URL"] = f"sqlite:///{database}"

        print(
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
            f"{', '.join(f'{value:.1f}' for value in os.getloadavg())}; database: "
            f"{'DATABASE_URL' if configured else 'a fresh SQLite file per import'}."
        )
        header = f"{'format':<6} {'talks':>7} {'MB':>6} {'seconds':>8} {'peak MB':>8}  ratio"
        print(header)
        print("-" * len(header))
        for format_name in options.formats:
            seconds = []
            for talks in (options.talks, 2 * options.talks):
                slug = f"import-scale-{format_name}-{talks}"
                path = directory / f"{slug}{SUFFIXES[format_name]}"
                path.write_bytes(MAKERS[format_name](talks, slug))
                if configured:
                    _delete_import(slug)
                else:
                    shutil.copyfile(template, database)
                measured = _run_import(
                    format_name, path, event_slug=slug, env=env, profile=options.profile
                )
                if configured:
                    _delete_import(slug)
                seconds.append(measured["seconds"])
                ratio = f"{seconds[1] / seconds[0]:.2f}" if len(seconds) == 2 else ""
                print(
                    f"{format_name:<6} {talks:>7} {path.stat().st_size / 1e6:>6.1f} "
                    f"{measured['seconds']:>8.1f} {measured['peak_mb']:>8.0f}  {ratio}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
