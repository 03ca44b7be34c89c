"""The benchmark's table, with the facts that make it comparable.

The machine (cores, CPU, memory, system, Python), the git revision, the
cache (never the password its URL may carry), and the Markdown table of
every page beside the static file, with the cold line and how it was run.
"""

import contextlib
import importlib.metadata
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

from processes import PROJECT


def machine_facts():
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "system": platform.platform(terse=True),
        "python": platform.python_version(),
    }


def git_revision():
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        return f"{head} (with uncommitted changes)" if dirty else head
    return "unknown"


def cache_description(url):
    if not url:
        return "local memory, one per worker (not shared)"
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    # Never the password a URL may carry.
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


def number(value, digits=0):
    return f"{value:,.{digits}f}"


def report(
    *,
    args,
    pages,
    static,
    cold,
    facts,
    machine,
    tool,
    cache,
    generated_in,
    command,
    release=None,
    memory=(),
):
    rates = [run.per_second for run in static.runs]
    lines = [
        f"# Benchmark: {facts['talks']} talks, {facts['speakers']} speakers, "
        f"{facts['rooms']} rooms, {facts['days']} days",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, commit {git_revision()}; `{command}`.",
        "",
        "| page | req/s | × static | median ms | p99 ms | errors | HTML bytes "
        "| sent bytes | SQL cold / warm |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in [static, *pages]:
        load = page.load
        ratio = page.ratio or 0.0
        queries = "–" if page.queries_cold is None else f"{page.queries_cold} / {page.queries_warm}"
        encoding = "" if page.encoding == "identity" else f" ({page.encoding})"
        lines.append(
            f"| {page.label} `{page.path}` | {number(load.per_second)} | {ratio:.2f} "
            f"| {number(load.p50_ms, 1)} | {number(load.p99_ms, 1)} "
            f"| {load.socket_errors + load.status_errors} | {number(page.html_bytes)} "
            f"| {number(page.wire_bytes)}{encoding} | {queries} |"
        )
    lines.append("")
    if cold.milliseconds:
        fresh = ", ".join("yes" if shown else "**no**" for shown in cold.fresh)
        lines.append(
            f"Cold: the first request for `{pages[0].path}` after a talk's title changed "
            f"(saved through the ORM in another process) took "
            f"{', '.join(f'{ms:,.0f}' for ms in cold.milliseconds)} ms "
            f"(median {statistics.median(cold.milliseconds):,.0f} ms)"
            + (
                f", of which the worker's processor time (Server-Timing) "
                f"{', '.join(f'{ms:,.1f}' for ms in cold.cpu_milliseconds)} ms "
                f"(median {statistics.median(cold.cpu_milliseconds):,.1f} ms)"
                if cold.cpu_milliseconds
                else ""
            )
            + f"; the page showed the new title: {fresh}."
        )
        lines.append("")
    if memory:
        lines.append(
            f"Memory: after serving every page above, the {len(memory)} workers held "
            f"{memory[0]:,.0f}–{memory[-1]:,.0f} MiB resident each."
        )
        lines.append("")
    if release:
        lines.append(
            f"Release: releasing the {release['talks']}-talk event with every talk moved an "
            f"hour took {release['seconds']:.2f} s: {release['changes']} changes frozen and "
            f"recorded, {release['mails']} speaker mails queued in the outbox, in one "
            "transaction (`bench/release_timing.py`). The first request for the schedule "
            f"after it took {release['cold_ms']:,.0f} ms"
            + (
                f" ({release['cold_cpu_ms']:,.1f} ms of the worker's processor time)"
                if release.get("cold_cpu_ms") is not None
                else ""
            )
            + "."
        )
        lines.append("")
    lines += [
        f"Load: {tool}, {args.connections} connections, {args.duration:g} s per URL after "
        f"{args.warmup:g} s of warm-up, `Accept-Encoding: {args.encoding}`. "
        "Errors are socket errors and "
        "non-2xx responses. SQL queries are counted in-process (test client, empty "
        "local-memory cache): the first fetch, then the second. Each page has a static file "
        "of its own size (a copy of its body) served by WhiteNoise from the same gunicorn "
        "(with a `.gz` and a `.br`, as collectstatic makes), loaded for "
        f"{args.static_duration:g} s just before the page and just after it; × static is "
        "the page's rate over the mean of those two runs. The static runs gave "
        f"{min(rates):,.0f} to {max(rates):,.0f} req/s ({len(rates)} runs; the static row "
        "sums them up, its ratio is 1 by definition).",
        "",
        f"Machine: {machine['cores']} cores, {machine['cpu']}, {machine['memory']} memory, "
        f"{machine['system']}; Python {machine['python']}, Django {facts['django']}, "
        f"gunicorn {importlib.metadata.version('gunicorn')} ({args.workers} sync workers, "
        f"`deploy/gunicorn.conf.py`); database {facts['database']}; cache "
        f"{cache}.",
    ]
    if generated_in is not None:
        lines += ["", f"Generating the event took {generated_in:.1f} s."]
    return "\n".join(lines) + "\n"
