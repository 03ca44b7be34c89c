"""``make bench`` end to end on a tiny event: gunicorn, load, ratios, the cold request."""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PAGES = [
    "static file",
    "schedule, all days",
    "schedule, one day",
    "talk page",
    "speakers",
    "schedule.ics",
    "schedule.xml",
    "schedule.json",
    "API talks",
    "API talks, one day",
]


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), 1) as redis:
            redis.sendall(b"PING\r\n")
            return redis.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def test_bench_measures_every_page_against_the_static_file(tmp_path):
    # The benchmark's own processes, on a database of their own: nothing of the test run's.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "CACHE_URL", "DATABASE_URL"}
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    output = tmp_path / "latest.md"
    arguments = ["--days", "1", "--rooms", "2", "--slots", "2", "--duration", "0.5"]
    arguments += ["--warmup", "0", "--static-duration", "0.3", "--connections", "2"]
    arguments += ["--workers", "2", "--tool", "python", "--cold-repeats", "1"]

    finished = subprocess.run(
        [sys.executable, "bench/run.py", *arguments, "--output", str(output)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert finished.returncode == 0, finished.stdout[-2000:] + finished.stderr[-2000:]
    table = output.read_text()
    assert table.startswith("# Benchmark: 4 talks,")
    rows = re.findall(
        r"^\| ([^`|]+?) (?:\([^)]*\) )?`[^`]+` \| ([\d,]+) \| ([\d.]+) \|", table, re.M
    )
    assert [label for label, _, _ in rows] == PAGES
    for label, rate, ratio in rows:
        assert int(rate.replace(",", "")) > 0, label
        assert float(ratio) > 0, label
    assert re.search(r"\| 7 / 0 \|", table)  # the schedule's queries: uncached, then cached
    cold = re.search(r"^Cold: .* the page showed the new title: (.+)\.$", table, re.M)
    assert cold
    if redis_answers():  # shared by the workers, so an edit reaches them all
        assert cold.group(1) == "yes"
    released = re.search(
        r"^Release: releasing the 4-talk event with every talk moved an hour took [0-9.]+ s: "
        r"4 changes frozen and recorded, (\d+) speaker mails queued",
        table,
        re.M,
    )
    assert released
    assert int(released.group(1)) == 4  # one per speaker: the bench's 4 talks have 4 speakers
    if Path("/proc/self/status").exists():
        memory = re.search(r"^Memory: .* the 2 workers held ([\d,]+)–([\d,]+) MiB", table, re.M)
        assert memory, table
        assert 10 < int(memory.group(1).replace(",", "")) < 1000


def test_bench_sizes_must_be_ones_it_knows():
    finished = subprocess.run(
        [sys.executable, "bench/run.py", "--sizes", "33,901"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert finished.returncode == 2
    assert "--sizes: no event of 901 talks; choose among 33, 900, 9100" in finished.stderr


def test_the_scale_table_puts_each_sizes_figures_side_by_side(monkeypatch):
    monkeypatch.syspath_prepend(str(PROJECT / "bench"))
    from run import scale_table

    def run(talks, cold, rate):
        return {
            "talks": talks,
            "cold_ms": [cold, cold + 2, cold + 4],
            "cold_after_release_ms": cold * 3,
            "memory_mib": [80.4, 90.6],
            "pages": [
                {"label": "schedule, all days", "per_second": rate, "ratio": 0.5, "p99_ms": 9}
            ],
        }

    table = scale_table([run(33, 5, 2000), run(900, 40, 900)], command="python bench/run.py")

    assert "| | 33 talks | 900 talks |" in table
    assert "| cold after one edit, median ms | 7 | 42 |" in table
    assert "| cold after every talk moved, ms | 15 | 120 |" in table
    assert "| worker memory, MiB (largest) | 91 | 91 |" in table
    assert (
        "| schedule, all days | 2,000 req/s, 0.50× static, p99 9 ms "
        "| 900 req/s, 0.50× static, p99 9 ms |"
    ) in table
