"""What the load test reads from the database before and after the run.

The counts and the edited talk must come through the run unchanged
("nothing saved is lost"); the slugs, titles and days feed the URL mix.
Read through ``manage.py shell`` in another process, with the run's
environment.
"""

import json
import subprocess
import sys

from processes import PROJECT, BenchError

# What the subprocess below prints: the facts "nothing saved is lost" compares.
FACTS_CODE = """
import json
from conference.models import Event
from schedule.models import Talk
from speakers.models import Speaker
event = Event.objects.get(slug={slug!r})
talks = Talk.objects.filter(event=event).order_by("start", "pk")
edited = talks.first()
print("LOADTEST-JSON " + json.dumps({{
    "events": Event.objects.count(),
    "talks": Talk.objects.count(),
    "speakers": Speaker.objects.count(),
    "edited_talk": [edited.pk, edited.title],
    "talk_slugs": list(talks.values_list("slug", flat=True)),
    "talk_uuids": [str(uuid) for uuid in talks.values_list("uuid", flat=True)[:200]],
    "titles": list(talks.values_list("title", flat=True)[:200]),
    "speaker_slugs": list(
        Speaker.objects.filter(talks__event=event).distinct().values_list("slug", flat=True)[:50]
    ),
    "days": [day.isoformat() for day in event.days],
}}))
"""


def database_facts(env, slug):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", FACTS_CODE.format(slug=slug)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    for line in result.stdout.splitlines():
        if line.startswith("LOADTEST-JSON "):
            return json.loads(line.removeprefix("LOADTEST-JSON "))
    raise BenchError(f"reading the database failed:\n{result.stderr}")
