"""The load test's report and verdict: every bar, met or not, and the exit status.

Prints requests per second, latency percentiles, the counts by status, the
503 window against the database's outage, the recovery time, gunicorn's
master and workers, and the data read back; returns 0 only when every bar
is met.
"""

from pathlib import Path

from load import percentile
from processes import tail
from traffic import FRIENDLY_TEXT


def report(*, args, command, samples, outage, before, after, master_alive, workers, log_path):
    failures = []
    seconds = max((s.started + s.seconds for s in samples), default=0) or args.duration
    latencies = sorted(s.seconds for s in samples)
    by_status = {}
    for sample in samples:
        by_status[sample.status] = by_status.get(sample.status, 0) + 1
    unavailable = [s for s in samples if s.status == 503]
    other_5xx = [s for s in samples if s.status >= 500 and s.status != 503]
    socket_errors = [s for s in samples if s.status == 0]
    unfriendly = [s for s in samples if s.status >= 500 and s.problem]
    misses = [s for s in samples if s.missing]

    print()
    print(f"# Load test: {len(before['talk_slugs'])} talks, `{command}`")
    print()
    print(
        f"requests: {len(samples)} in {seconds:.1f} s = {len(samples) / seconds:,.1f} req/s "
        f"({len(misses)} cache-missing, {len(samples) - len(misses)} cached); "
        f"{args.clients} clients, {args.workers} gunicorn workers"
    )
    print(
        "latency ms: "
        + ", ".join(f"p{p} {percentile(latencies, p) * 1000:,.1f}" for p in (50, 95, 99))
        + f", max {(latencies[-1] if latencies else 0) * 1000:,.1f}"
    )
    for label, group in (("cached", [s for s in samples if not s.missing]), ("missing", misses)):
        ordered = sorted(s.seconds for s in group)
        print(
            f"  {label}: "
            + ", ".join(f"p{p} {percentile(ordered, p) * 1000:,.1f}" for p in (50, 95, 99))
        )
    print(
        "status counts: "
        + ", ".join(
            f"{'socket error' if status == 0 else status}: {count}"
            for status, count in sorted(by_status.items())
        )
    )
    print(f"5xx other than 503: {len(other_5xx)} (bar: 0)")
    if other_5xx:
        failures.append(f"{len(other_5xx)} responses were 5xx other than 503")
        for sample in other_5xx[:5]:
            print(f"  {sample.started:.2f} s {sample.status} {sample.path} {sample.problem}")
        print(f"  gunicorn log ({log_path}):\n{tail(log_path, 60)}")
    if socket_errors:
        failures.append(f"{len(socket_errors)} socket errors")
        print(f"socket errors: {len(socket_errors)}, first: {socket_errors[0].problem}")
    if unavailable:
        print(
            f"503s: {len(unavailable)} between {unavailable[0].started:.2f} s and "
            f"{unavailable[-1].started + unavailable[-1].seconds:.2f} s of the run; "
            f"friendly page ({FRIENDLY_TEXT!r}, no traceback): "
            f"{len(unavailable) - len([s for s in unavailable if s.problem])}/{len(unavailable)}"
        )
    else:
        print("503s: none")
    if unfriendly:
        failures.append(f"{len(unfriendly)} error pages were not the friendly page")
        print(f"  first unfriendly: {unfriendly[0].status} {unfriendly[0].problem}")
    if args.restart_db:
        if outage.error:
            failures.append(f"the database restart failed: {outage.error}")
        print(
            f"database: stop at {outage.stop_at:.2f} s, down at {outage.stopped_at:.2f} s, "
            f"start at {outage.started_at:.2f} s, answering again at {outage.back_at:.2f} s"
        )
        if unavailable:
            # The first 503 tells when the site noticed; the last when it recovered.
            print(
                "503 window vs database: first 503 "
                f"{unavailable[0].started - outage.stop_at:+.2f} s after the stop began, "
                "last 503 ended "
                f"{unavailable[-1].started + unavailable[-1].seconds - outage.back_at:+.2f} s "
                "after the database answered"
            )
        recovered = next(
            (
                s
                for s in samples
                if s.missing
                and s.status == 200
                and s.started >= outage.started_at
                and outage.back_at
            ),
            None,
        )
        if recovered is None:
            failures.append("no cache-missing request succeeded after the database came back")
            print("recovery: no cache-missing request succeeded after the database came back")
        else:
            recovery = recovered.started + recovered.seconds - outage.started_at
            print(
                f"recovery: first successful cache-missing request {recovery:.2f} s after the "
                f"database was started (bar: < {args.recovery_bar:g} s), {recovered.path}"
            )
            if recovery >= args.recovery_bar:
                failures.append(f"recovery took {recovery:.2f} s")
        failed_after = [
            s for s in samples if s.started > outage.back_at + args.recovery_bar and s.status != 200
        ]
        if failed_after:
            failures.append(f"{len(failed_after)} non-200 responses after the recovery bar")
            print(f"non-200 after the recovery bar: {len(failed_after)}")
    log = Path(log_path).read_text(errors="replace") if Path(log_path).exists() else ""
    timeouts = log.count("WORKER TIMEOUT")
    recycled = log.count("Autorestarting worker")
    before_set, after_set = workers
    print(
        f"gunicorn: master still running: {'yes' if master_alive else 'NO'}; never signalled "
        f"during the run (the app was not restarted by hand); workers before "
        f"{sorted(before_set)}, after {sorted(after_set)}; worker timeouts in the log: "
        f"{timeouts}; workers recycled by max_requests: {recycled}"
    )
    if not master_alive:
        failures.append("the gunicorn master exited")
    if timeouts:
        failures.append(f"{timeouts} gunicorn worker timeouts")

    kept = {name: (before[name], after[name]) for name in ("events", "talks", "speakers")}
    same_talk = before["edited_talk"] == after["edited_talk"]
    print(
        "nothing saved lost: "
        + ", ".join(f"{name} {b} -> {a}" for name, (b, a) in kept.items())
        + f"; edited talk #{after['edited_talk'][0]} "
        + ("unchanged" if same_talk else f"CHANGED: {after['edited_talk'][1]!r}")
        + f" ({before['edited_talk'][1]!r})"
    )
    if not same_talk or any(b != a for b, a in kept.values()):
        failures.append("saved data changed")
    if not samples:
        failures.append("no requests were made")

    print()
    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    print("PASSED: every bar is met.")
    return 0
