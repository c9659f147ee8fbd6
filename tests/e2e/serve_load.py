#!/usr/bin/env python3
"""A bounded load on a running `elv serve` (issue 18): CLIENTS clients start together, each
sends ROUNDS requests in turn over its own keep-alive connection, cycling through the page,
its assets and the API of one run, then stops. Nothing runs longer than --deadline seconds:
a request still unanswered then counts as failed.

Prints one JSON object: requests sent and answered, the count per HTTP status, failures
(connection errors, timeouts) with their first message, and latency percentiles in ms.
Exits 0 when every request was answered without a 5xx, 1 otherwise.

With --job ID, the job's state is read just before the clients start and just after they
stop ("job_state_at_start", "job_state_at_end"), to show the load met a running job.

  serve_load.py --port P --run RUN_ID [--job ID] [--clients 200] [--rounds 10] [--deadline 120]
"""
import argparse
import collections
import http.client
import json
import sys
import threading
import time


def paths_for(run_id):
    # What a browser asks for when it opens a run, and what a monitor or a script polls.
    return [
        "/",
        "/assets/main.js",
        "/assets/app.css",
        "/api/info",
        "/api/runs",
        f"/api/runs/{run_id}",
        f"/api/runs/{run_id}/leaderboard/campaign",
        f"/api/runs/{run_id}/leaderboard/adset",
        f"/api/runs/{run_id}/leads?order=top&limit=10",
        f"/api/runs/{run_id}/section/overview",
        "/api/jobs",
        "/healthz",
    ]


def job_state(port, job):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", f"/api/jobs/{job}")
        return json.loads(conn.getresponse().read()).get("state")
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--run", required=True)
    ap.add_argument("--job")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--deadline", type=float, default=120.0)
    args = ap.parse_args()

    paths = paths_for(args.run)
    statuses = collections.Counter()
    failures = collections.Counter()
    first_failure = {}
    latencies = []
    lock = threading.Lock()
    start = threading.Barrier(args.clients)
    t_end = time.monotonic() + args.deadline

    def client(k):
        conn = None
        start.wait()
        for r in range(args.rounds):
            path = paths[(k + r) % len(paths)]
            remaining = t_end - time.monotonic()
            if remaining <= 0:
                with lock:
                    failures["deadline"] += 1
                continue
            t0 = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=remaining)
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
                with lock:
                    statuses[resp.status] += 1
                    latencies.append((time.monotonic() - t0) * 1000)
            except Exception as e:  # a refused, reset or timed-out request is a failure
                with lock:
                    failures[type(e).__name__] += 1
                    first_failure.setdefault(type(e).__name__, f"{path}: {e}")
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
    state_at_start = job_state(args.port, args.job) if args.job else None
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    state_at_end = job_state(args.port, args.job) if args.job else None

    latencies.sort()

    def pct(q):
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1) if latencies else None

    sent = args.clients * args.rounds
    answered = sum(statuses.values())
    server_errors = sum(n for s, n in statuses.items() if s >= 500)
    summary = {
        "clients": args.clients,
        "sent": sent,
        "answered": answered,
        "statuses": {str(s): n for s, n in sorted(statuses.items())},
        "failures": dict(failures),
        "first_failure": first_failure,
        "seconds": round(elapsed, 2),
        "latency_ms": {"p50": pct(0.50), "p95": pct(0.95), "max": pct(1.0)},
    }
    if args.job:
        summary["job_state_at_start"] = state_at_start
        summary["job_state_at_end"] = state_at_end
    print(json.dumps(summary))
    return 0 if answered == sent and server_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
