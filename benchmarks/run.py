"""kube-mcp benchmarks: cold start, memory, call overhead, a silent API server, load, a big list,
a burst from one caller.

    .venv/bin/python benchmarks/run.py [--quick] [--runs N] [--skip peers,load,...] [--kubeconfig PATH]

Every target is printed as a ratio or a difference against a floor measured in the same run on the
same machine (the SDK's own import, the raw API request), then PASS or MISS. Peers are measured
beside us where they install (cached under ~/.cache/kube-mcp/peers). Sections that need a cluster
run when one answers. Figures only: nothing here asserts a timing in a test.
"""

from __future__ import annotations

import argparse
import sys

import burst
import environment
import report
import sections

SECTIONS = ("coldstart", "peers", "profile", "overhead", "silent", "load", "biglist", "burst")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and a smaller load (a smoke run)")
    parser.add_argument("--runs", type=int, help="cold-start runs per subject (default 7, quick 3)")
    parser.add_argument("--skip", default="", help=f"comma-separated sections to skip: {','.join(SECTIONS)}")
    parser.add_argument("--kubeconfig", help="cluster to use (default $KUBECONFIG, else scripts/cluster env)")
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) in --skip: {', '.join(sorted(unknown))}")
    args.runs = args.runs or (3 if args.quick else 7)
    args.calls = 50 if args.quick else 300
    args.sessions, args.per_session = (10, 5) if args.quick else (50, 10)
    args.objects = 300 if args.quick else 2000
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cluster = environment.find_cluster(args.kubeconfig)
    print(f"kube-mcp benchmarks: {environment.machine()}", flush=True)
    where = (
        f"{cluster.kubeconfig} (Kubernetes {cluster.version})" if cluster.up else f"none ({cluster.reason})"
    )
    print(f"cluster: {where}", flush=True)
    targets: list[report.Target] = []
    missed = False
    if "coldstart" not in args.skip:
        missed = sections.cold_start(args, cluster, targets)
    if "profile" not in args.skip and (missed or not args.quick):
        sections.profile(cluster)
    if "silent" not in args.skip:
        sections.silent(args, targets)
    if "burst" not in args.skip:  # needs no cluster: without one it bursts tools/list
        burst.section(args, cluster, targets)
    cluster_sections = (
        ("overhead", sections.call_overhead),
        ("load", sections.load_section),
        ("biglist", sections.big_list),
    )
    for name, section in cluster_sections:
        if name in args.skip:
            continue
        if not cluster.up:
            report.heading(f"{name}: skipped, no cluster answered")
            continue
        section(args, cluster, targets)
    report.targets(targets)
    print(f"\nload average at the end: {environment.load_average()}", flush=True)
    return 0  # figures, not a gate: PASS and MISS are read by people


if __name__ == "__main__":
    sys.exit(main())
