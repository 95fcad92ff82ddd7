#!/usr/bin/env python3
"""The runtime export benchmark: how `dora-tui import deployments` of a kubectl export compares with json.load.

    python bench/bench_deploy_import.py [--work DIR] [--revisions N] [--runs N] [--keep]

Writes (or reuses, with --keep) into DIR (default ``bench/work/deploys``), deterministically
(standard library only, fixed seed):

- ``replicasets.json``: what ``kubectl get replicasets -A -o json`` prints for a cluster
  holding --revisions ReplicaSets (default 20,000): kubectl's layout (a ``List``, 4-space
  indent, sorted keys), 10 revisions each of Deployments ``svcNNN`` in namespaces ``shop-N``,
  a tenth of them in ``*-staging`` namespaces and a few in ``kube-system`` (left out), with
  the containers, probes, resources and annotations a real ReplicaSet carries, image tags
  in the default forms (``sha-abc1234``, ``1.4.2-abc1234``, a bare sha, a version), some
  sidecars, rollbacks (``revision-history``) and ``kubectl rollout restart`` revisions;
- ``dora.toml``: the services ``svcNNN`` the Deployments map to, database ``DIR/dora.db``;

then measures, as whole processes and wall clock, in one run, alternating:

- the floor: ``python -c 'json.load(open(FILE, "rb"))'``, the least any Python reader of the
  file must do (one warm-up run, then --runs runs);
- the import: ``dora-tui import deployments FILE --config DIR/dora.toml`` into a fresh
  database (deleted before each run), each followed by a check of the rows stored;
- for scale, not a target: the floor with Python's cyclic garbage collector paused, as the
  import pauses it.

Target (issue 11): the import's median at most 4x the floor's median. Exit status 0 when met,
1 otherwise (a failing command counts as a miss), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import shlex
import sqlite3
import statistics
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import (
    banner,
    database_files,
    dora_command,
    explain_failure,
    load_average,
    machine,
    remove_paths,
    run,
    spread,
)

MAX_RATIO = 4.0
SEED = 11
GENERATOR_VERSION = 2
FLOOR_CODE = "import json, sys\njson.load(open(sys.argv[1], 'rb'))"
# For scale, not a target: json.load with the cyclic garbage collector paused, as dora-tui
# pauses it while it reads and stores an export.
NO_GC_CODE = "import gc, json, sys\ngc.disable()\njson.load(open(sys.argv[1], 'rb'))"
PER_DEPLOYMENT = 10


def replica_set(rng: random.Random, namespace: str, app: str, revision: int, day: int) -> dict[str, Any]:
    """One ReplicaSet of Deployment ``app`` at ``revision`` as kubectl prints it."""
    pod_hash = "".join(rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(10))
    sha = f"{rng.getrandbits(160):040x}"
    tag = rng.choice([f"sha-{sha[:7]}", f"1.{revision}.{day % 7}-{sha[:7]}", sha, f"1.{revision}.0"])
    labels = {"app.kubernetes.io/name": app, "app.kubernetes.io/part-of": "shop", "pod-template-hash": pod_hash}
    annotations = {
        "deployment.kubernetes.io/desired-replicas": "3",
        "deployment.kubernetes.io/max-replicas": "4",
        "deployment.kubernetes.io/revision": str(revision),
    }
    if rng.random() < 0.5:
        annotations["kubernetes.io/change-cause"] = f"deploy {app} {tag} by ci (run {rng.randrange(10**10)})"
    containers = [
        {
            "env": [{"name": "OTEL_SERVICE_NAME", "value": app}, {"name": "PORT", "value": "8080"}],
            "image": f"ghcr.io/acme/{app}:{tag}",
            "imagePullPolicy": "IfNotPresent",
            "name": app,
            "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
            "readinessProbe": {
                "failureThreshold": 3,
                "httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
                "periodSeconds": 10,
                "successThreshold": 1,
                "timeoutSeconds": 1,
            },
            "resources": {"limits": {"cpu": "1", "memory": "512Mi"}, "requests": {"cpu": "250m", "memory": "256Mi"}},
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
        }
    ]
    if rng.random() < 0.3:
        containers.append({"image": "envoyproxy/envoy:v1.31.2", "name": "envoy", "resources": {}})
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "annotations": annotations,
            "creationTimestamp": f"2025-{1 + day // 28:02d}-{1 + day % 28:02d}T{rng.randrange(24):02d}:"
            f"{rng.randrange(60):02d}:{rng.randrange(60):02d}Z",
            "generation": rng.randrange(1, 12),
            "labels": labels,
            "name": f"{app}-{pod_hash}",
            "namespace": namespace,
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "blockOwnerDeletion": True,
                    "controller": True,
                    "kind": "Deployment",
                    "name": app,
                    "uid": deployment_uid(namespace, app),  # one Deployment's ReplicaSets share it
                }
            ],
            "resourceVersion": str(rng.randrange(10**8)),
            "uid": f"{rng.getrandbits(128):032x}",
        },
        "spec": {
            "replicas": 0,
            "selector": {"matchLabels": {"app.kubernetes.io/name": app, "pod-template-hash": pod_hash}},
            "template": {
                "metadata": {"creationTimestamp": None, "labels": labels},
                "spec": {"containers": containers, "dnsPolicy": "ClusterFirst", "restartPolicy": "Always"},
            },
        },
        "status": {"observedGeneration": 1, "replicas": 0},
    }


def deployment_uid(namespace: str, app: str) -> str:
    """The uid of Deployment ``namespace/app``: the same for all its ReplicaSets, as in a cluster."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"k8s://{namespace}/{app}"))


def generate(work: Path, revisions: int) -> tuple[int, int]:
    """Write the export and the config; (ReplicaSets written, deployments an import stores)."""
    rng = random.Random(SEED)
    items: list[dict[str, Any]] = []
    expected, services = 0, set()
    for number in range(revisions // PER_DEPLOYMENT):
        app = f"svc{number % 200:03d}"
        namespace = f"shop-{number // 200}"
        if number % 10 == 9:
            namespace += "-staging"
        elif number % 50 == 48:
            namespace, app = "kube-system", f"addon{number}"
        production = namespace.startswith("shop") and not namespace.endswith("-staging")
        for revision in range(1, PER_DEPLOYMENT + 1):
            day = (number + revision * 30) % 336
            item = replica_set(rng, namespace, app, revision, day)
            if revision == PER_DEPLOYMENT and number % 7 == 0:  # a rollback: the ReplicaSet of revision 8 again
                rolled = items[-2]["metadata"]["annotations"]
                rolled["deployment.kubernetes.io/revision-history"] = rolled["deployment.kubernetes.io/revision"]
                rolled["deployment.kubernetes.io/revision"] = str(revision + 1)
                expected += production
            if revision == PER_DEPLOYMENT - 1 and number % 11 == 0:  # kubectl rollout restart
                template = json.loads(json.dumps(items[-1]["spec"]["template"]))
                template["metadata"]["annotations"] = {"kubectl.kubernetes.io/restartedAt": "2025-06-01T10:00:00Z"}
                item["spec"]["template"] = template
                expected -= production
            items.append(item)
            expected += production
        if production:
            services.add(app)
    document = {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    work.mkdir(parents=True, exist_ok=True)
    (work / "replicasets.json").write_text(json.dumps(document, indent=4, sort_keys=True) + "\n", encoding="utf-8")
    config = ['database = "dora.db"', 'timezone = "UTC"']
    for name in sorted(services):
        config += ["[[services]]", f'name = "{name}"', 'repo = "repo"']
    (work / "dora.toml").write_text("\n".join(config) + "\n", encoding="utf-8")
    (work / "repo").mkdir(exist_ok=True)
    return len(items), expected


def stored(database: Path) -> int:
    """How many deployments the database holds."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM deployments").fetchone()[0])


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the export, measure floor and import, print the results; the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=HERE / "work" / "deploys", help="work folder")
    parser.add_argument("--revisions", type=int, default=20_000, help="ReplicaSets in the export (default 20000)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each measurement, median taken (default 7)")
    parser.add_argument("--keep", action="store_true", help="keep the export for the next run / inspection")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a command is killed")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.revisions < PER_DEPLOYMENT:
        parser.error(f"need --runs >= 1 and --revisions >= {PER_DEPLOYMENT}")
    work = args.work.resolve()
    export, config, database = work / "replicasets.json", work / "dora.toml", work / "dora.db"
    stamp = work / "deploys.json"
    params = {"generator": GENERATOR_VERSION, "revisions": args.revisions, "seed": SEED}
    manifest = json.loads(stamp.read_text()) if stamp.exists() and export.exists() else {}
    if manifest.get("params") != params:
        print(f"writing the export in {work} ...", flush=True)
        written, expected = generate(work, args.revisions)
        manifest = {"params": params, "replicasets": written, "expected": expected}
        stamp.write_text(json.dumps(manifest) + "\n")
    expected = manifest["expected"]
    export_mb = export.stat().st_size / 1e6
    print(f"{export.name}: {manifest['replicasets']:,} ReplicaSets, {export_mb:.1f} MB")

    dora = dora_command()
    load = banner("importer", dora)
    floor_cmd = [sys.executable, "-c", FLOOR_CODE, str(export)]
    no_gc_cmd = [sys.executable, "-c", NO_GC_CODE, str(export)]
    import_cmd = [*dora, "import", "deployments", str(export), "--config", str(config)]
    floors: list[float] = []
    imports: list[float] = []
    no_gc: list[float] = []
    failure = None
    warm = run(floor_cmd, timeout=args.timeout)
    if not warm.ok:
        failure = explain_failure("the floor (json.load)", warm)
    for _ in range(args.runs if failure is None else 0):
        r = run(floor_cmd, timeout=args.timeout)
        if not r.ok:
            failure = explain_failure("the floor (json.load)", r)
            break
        floors.append(r.seconds)
        remove_paths(database_files(database))
        r = run(import_cmd, timeout=args.timeout)
        if not r.ok:
            failure = explain_failure("the import", r)
            break
        imports.append(r.seconds)
        if (rows := stored(database)) != expected:
            failure = f"the import stored {rows} deployments, expected {expected}\n  command: {shlex.join(import_cmd)}"
            break
        r = run(no_gc_cmd, timeout=args.timeout)
        if not r.ok:
            failure = explain_failure("json.load without the garbage collector", r)
            break
        no_gc.append(r.seconds)
    remove_paths(database_files(database))
    if not args.keep:
        remove_paths([export, config, stamp, work / "repo"])
        with contextlib.suppress(OSError):
            work.rmdir()
    if failure is not None:
        print(failure)
        return 1
    floor, imported, paused = statistics.median(floors), statistics.median(imports), statistics.median(no_gc)
    ratio = imported / floor
    verdict = "PASS" if ratio <= MAX_RATIO else "FAIL"
    print(f"floor (json.load): {spread(floors)} s\nimport: {spread(imports)} s")
    print(f"json.load, garbage collector paused (for scale): {spread(no_gc)} s")
    print(f"\n{expected:,} deployments stored; median floor {floor:.2f} s, import {imported:.2f} s")
    print(f"ratio import / floor: x{ratio:.2f} (target <= x{MAX_RATIO:g}): {verdict}")
    print(f"ratio import / json.load with the collector paused (for scale): x{imported / paused:.2f}")
    end = load_average()
    print(f"(load average at the end: {end}; at the start: {load.removeprefix('load average ')})")
    print(
        "\nrow for bench/README.md:\n"
        f"| {date.today().isoformat()} | {machine()} | {manifest['replicasets']} | {export_mb:.1f} | "
        f"{floor:.2f} | {paused:.2f} | {imported:.2f} | {ratio:.2f} | {imported / paused:.2f} | {end} | {verdict} |"
    )
    return 0 if ratio <= MAX_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
