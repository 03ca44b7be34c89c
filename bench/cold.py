"""Cold: the first request for a page after an organiser's edit, and whether it shows it.

A talk's title gets a fresh mark through the ORM in another process (as an
edit in the admin would) and the schedule is released (as the organiser does
next: attendees see releases), then the page is fetched once and timed. With a
cache every worker shares, the page must show the mark at once.
"""

import secrets
import subprocess
import sys
from dataclasses import dataclass, field

from http_client import fetch
from processes import PROJECT, BenchError

EDIT_MARK = " [bench edit "


@dataclass
class ColdResult:
    milliseconds: list = field(default_factory=list)
    cpu_milliseconds: list = field(default_factory=list)  # the worker's, from Server-Timing
    fresh: list = field(default_factory=list)


def edit_a_talk(env, slug):
    """Change the first talk's title in another process and release it, as an organiser would.

    Returns the mark now in the title (plain text, which HTML and the exports
    leave as it is).
    """
    mark = f"{EDIT_MARK}{secrets.token_hex(4)}]"
    code = (
        "from schedule.models import Talk; "
        f"talk = Talk.objects.filter(event__slug={slug!r}).order_by('start', 'pk').first(); "
        f"talk.title = talk.title.split({EDIT_MARK!r})[0] + {mark!r}; "
        "talk.save(); "
        "from schedule.releases.service import release_schedule; "
        "release_schedule(talk.event, notify=False)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise BenchError(f"editing a talk failed:\n{result.stderr}")
    return mark.strip()


def measure_cold(env, port, slug, path, repeats):
    cold = ColdResult()
    for _ in range(repeats):
        mark = edit_a_talk(env, slug)
        fetched = fetch(port, path)
        cold.milliseconds.append(fetched.seconds * 1000)
        if fetched.cpu_ms is not None:
            cold.cpu_milliseconds.append(fetched.cpu_ms)
        cold.fresh.append(fetched.status == 200 and mark in fetched.text())
    return cold
