"""Issue 25's figures in one run: the relay beside smee-client, the platform against /healthz,
and SSE against the relay — each against its baseline measured in the same run.

One command: ``python benchmarks/fastpath.py`` (``--json`` for machine output).

1. ``../shared/relay-bench/run-cstar.sh`` (``N`` events, loads ``c32 r200``, ``--repeat`` runs,
   medians): ``cstar listen`` with its default flags beside smee-client and a bare keep-alive
   POST (``direct-raw``). ``cstar`` comes from this Python's folder, with this ``PYTHONPATH``.
2. ``benchmarks/platform.py --json``: ticket create and list (20) p50 against ``GET /healthz``
   on the same server and connection.
3. ``benchmarks/realtime.py --json``: ``cstar events --tail`` (SSE) p50 against ``cstar listen
   --forward-to`` at 200 events/s.

Then one table with the ratios and issue 25's goals. These 2-core machines are shared and
noisy: compare the ratios, not the milliseconds.
"""

from __future__ import annotations

import os
import sys

if sys.path and sys.path[0].rstrip("/").endswith("benchmarks"):
    sys.path.append(os.path.dirname(sys.path.pop(0)))  # see benchmarks/_common.py

import argparse
import json
import subprocess
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RELAY_BENCH = HERE.parent.parent / "shared" / "relay-bench" / "run-cstar.sh"
COLUMNS = ("scenario", "load", "N", "delivered", "lost", "dup", "ev/s", "p50ms", "p99ms", "rssMB")


def relay_bench(script: Path, n: int, repeat: int) -> dict[tuple[str, str], dict[str, Any]]:
    """The shared relay bench's final table: one row per (scenario, load)."""
    env = {
        **os.environ,
        "N": str(n),
        "LOADS": "c32 r200",
        "REPEAT": str(repeat),
        "SCENARIOS": "direct-raw smee cstar",
    }
    bin_dir = str(Path(sys.executable).parent)
    done = subprocess.run(
        [str(script), bin_dir], env=env, capture_output=True, text=True, check=False
    )
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    table = done.stdout.split("scenario ", 1)[-1].splitlines()[1:]
    for line in table:
        cells = line.split()
        if len(cells) < len(COLUMNS) or cells[0].startswith("#"):
            continue
        row = dict(zip(COLUMNS, cells, strict=False))
        row["ooo"] = cells[11] if len(cells) > 11 else "?"
        rows[(row["scenario"], row["load"])] = row
    if not rows:
        raise SystemExit(f"relay bench printed no table:\n{done.stdout[-2000:]}\n{done.stderr}")
    return rows


def script_json(name: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(HERE / name), "--json", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout[done.stdout.index("{") :])
    return result


def summarize(
    relay: dict[tuple[str, str], dict[str, Any]], platform: dict[str, Any], sse: dict[str, Any]
) -> dict[str, Any]:
    def cell(scenario: str, load: str, column: str) -> float:
        return float(relay[(scenario, load)][column])

    cstar = relay[("cstar", "r200")]
    lost = sum(int(relay[("cstar", load)]["lost"]) for load in ("c32", "r200"))
    dup = sum(int(relay[("cstar", load)]["dup"]) for load in ("c32", "r200"))
    ooo = sum(int(relay[("cstar", load)]["ooo"]) for load in ("c32", "r200"))
    ratios = {
        "listen_p50_vs_smee": cell("cstar", "r200", "p50ms") / cell("smee", "r200", "p50ms"),
        "listen_p99_vs_smee": cell("cstar", "r200", "p99ms") / cell("smee", "r200", "p99ms"),
        "listen_flat_out_vs_smee": cell("cstar", "c32", "ev/s") / cell("smee", "c32", "ev/s"),
        "create_p50_vs_healthz": platform["create"]["p50_vs_baseline"],
        "list_p50_vs_healthz": platform["list"]["p50_vs_baseline"],
        "sse_p50_vs_relay": sse["sse_over_listen_p50"],
    }
    rss = max(cell("cstar", load, "rssMB") for load in ("c32", "r200"))
    goals = {
        "listen p50 <= 0.9x smee (goal 0.8x)": ratios["listen_p50_vs_smee"] <= 0.9,
        "listen p99 <= 0.5x smee": ratios["listen_p99_vs_smee"] <= 0.5,
        "flat out >= 2.5x smee": ratios["listen_flat_out_vs_smee"] >= 2.5,
        "peak RSS <= 60 MB": rss <= 60,
        "0 lost, 0 repeated, 0 out of order": lost == dup == ooo == 0,
        "create p50 <= 1.3x /healthz": ratios["create_p50_vs_healthz"] <= 1.3,
        "list (20) p50 <= 1.8x /healthz": ratios["list_p50_vs_healthz"] <= 1.8,
    }
    return {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": os.getloadavg()[0],
        "relay": {f"{s} {load}": row for (s, load), row in relay.items()},
        "platform": platform,
        "sse": sse["latency"],
        "ratios": {k: round(v, 2) for k, v in ratios.items()},
        "listen_rss_mb": rss,
        "cstar_r200": cstar,
        "lost_dup_ooo": [lost, dup, ooo],
        "goals": goals,
    }


def report(summary: dict[str, Any]) -> None:
    print(f"{summary['when']}, load average {summary['load_average']:.1f}")
    print(f"{'relay':<18}{'ev/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'RSS MB':>8}{'lost':>6}{'dup':>5}")
    for name, row in summary["relay"].items():
        print(
            f"{name:<18}{row['ev/s']:>8}{row['p50ms']:>9}{row['p99ms']:>9}{row['rssMB']:>8}"
            f"{row['lost']:>6}{row['dup']:>5}"
        )
    p = summary["platform"]
    for name in ("baseline", "create", "list"):
        print(f"platform {name:<9} p50 {p[name]['p50_ms']:.2f} ms  p99 {p[name]['p99_ms']:.2f} ms")
    for kind, row in summary["sse"].items():
        print(f"sse-bench {kind:<8} p50 {row['p50_ms']:.2f} ms  p99 {row['p99_ms']:.2f} ms")
    for name, value in summary["ratios"].items():
        print(f"{name:<26}{value:>6.2f}")
    for goal, met in summary["goals"].items():
        print(f"{'met' if met else 'NOT met':<9}{goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="events per relay-bench run")
    parser.add_argument("--repeat", type=int, default=3, help="relay-bench runs (medians)")
    parser.add_argument("--rounds", type=int, default=3, help="platform and SSE rounds")
    parser.add_argument("--relay-bench", type=Path, default=RELAY_BENCH)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    relay = relay_bench(args.relay_bench, args.events, args.repeat)
    platform = script_json("platform.py", "--rounds", str(args.rounds))
    sse = script_json(
        "realtime.py", "--rounds", str(args.rounds), "--resume-events", "400", "--streams", "10"
    )
    summary = summarize(relay, platform, sse)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        report(summary)


if __name__ == "__main__":
    main()
