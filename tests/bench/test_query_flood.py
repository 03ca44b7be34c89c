"""bench/query_flood.py end to end on a tiny event: random query strings leave the cache bounded."""

import os
import re
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_a_flood_of_query_strings_adds_no_keys_and_at_most_the_bound_of_searches(
    tmp_path, private_redis
):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "CACHE_URL", "DATABASE_URL"}
    }
    # The site's budget of renders a second would answer some of these searches
    # 429 (its own test is in tests/infrastructure): here only the bound on keys counts.
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        PAGE_CACHE_QUERY_VARIANTS="10",
        PAGE_CACHE_RENDERS_PER_SECOND="0",
    )
    arguments = ["--days", "1", "--rooms", "2", "--slots", "2", "--requests", "40"]
    arguments += ["--connections", "2", "--samples", "3", "--workers", "2"]
    arguments += ["--output", str(tmp_path / "flood.md")]

    finished = subprocess.run(
        [sys.executable, "bench/query_flood.py", *arguments, "--cache-url", private_redis.url],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert finished.returncode == 0, finished.stdout[-2000:] + finished.stderr[-2000:]
    output = finished.stdout
    assert "40 random unknown parameters: {302: 40}" in output
    assert "40 random searches (?q=): {200: 40}" in output
    keys = {
        step: int(count)
        for step, count in re.findall(
            r"(warm|after unknown parameters|after searches) (\d+)", output
        )
    }
    assert keys["after unknown parameters"] == keys["warm"]
    # Of the ten query strings the event may store, "?day=" took one before the
    # flood: nine searches, two keys each (the page, the mark that counted it);
    # two connections at once may each slip one more past the count.
    assert keys["warm"] + 18 <= keys["after searches"] <= keys["warm"] + 22
    rows = re.findall(r"^\| ([a-z ,]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$", output, re.M)
    assert [row[0] for row in rows] == [
        "schedule, first day",
        "schedule, one day",
        "talk page",
        "speakers",
    ]
    assert re.search(r"the cached pages meanwhile.*: \d+ requests, median [\d.]+ ms, p99", output)
    assert "| schedule, first day |" in (tmp_path / "flood.md").read_text()
