"""Scores a leads file through elv on a Dask LocalCluster, one task per partition
(tests/e2e/test_dask_partitions.sh; the recipe in docs/SCALING.md).

Usage: dask_score_partitions.py ELV CONFIG MODEL LEADS PARTITIONS OUT [BROKEN_PARTITION]

Splits LEADS into PARTITIONS parts (every part keeps the header), scores each part with
`elv batch-score --leads-path - --predictions-out -` as a Dask task on two worker processes,
and writes the union of the parts' predictions to OUT (one header). With BROKEN_PARTITION,
that part gets an unterminated quote after its fifth record: the task must fail, and the
script prints the failure and exits 3.
"""
import subprocess
import sys

from dask.distributed import Client, LocalCluster, get_worker


def score_partition(elv, config, model, csv_bytes):
    """One task: the partition's CSV on elv's stdin, its predictions CSV from elv's stdout,
    with the address of the worker that ran it."""
    done = subprocess.run(
        [elv, "batch-score", "--config", config, "--model", model, "--quiet",
         "--leads-path", "-", "--predictions-out", "-"],
        input=csv_bytes, capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"elv exit {done.returncode}: {done.stderr.decode().strip()}")
    return get_worker().address, done.stdout


def main():
    elv, config, model, leads, n_parts, out = sys.argv[1:7]
    broken = int(sys.argv[7]) if len(sys.argv) > 7 else -1
    lines = open(leads, "rb").read().splitlines(keepends=True)
    header, records = lines[0], lines[1:]
    n = int(n_parts)
    parts = [records[i * len(records) // n:(i + 1) * len(records) // n] for i in range(n)]
    if 0 <= broken < n:
        parts[broken].insert(5, b'lead_broken,"2026-10-23T00:04:30+00:00,cmp_001\n')
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.wait_for_workers(2)
        print(f"cluster: {len(client.scheduler_info()['workers'])} workers")
        futures = [client.submit(score_partition, elv, config, model, header + b"".join(p),
                                 pure=False) for p in parts]
        try:
            done = client.gather(futures)
        except RuntimeError as e:
            print(f"task failed: {e}")
            sys.exit(3)
    print(f"workers used: {len({address for address, _ in done})}")
    results = [csv_bytes for _, csv_bytes in done]
    with open(out, "wb") as f:
        for i, csv_bytes in enumerate(results):
            body = csv_bytes.split(b"\n", 1)
            if i == 0:
                f.write(body[0] + b"\n")
            f.write(body[1] if len(body) > 1 else b"")
    rows = sum(r.count(b"\n") - 1 for r in results)
    print(f"parts: {n}, rows: {rows}")


if __name__ == "__main__":
    main()
