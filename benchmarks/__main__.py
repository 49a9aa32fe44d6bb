"""
Run the camsim benchmarks, print every figure and rewrite ``benchmarks/RESULTS.md``
==================================================================================

::

    python -m benchmarks                 # everything (~10 min on 2 cores); rewrites RESULTS.md
    python -m benchmarks --quick         # smoke run: fewer repeats, smaller sizes (~2 min)
    python -m benchmarks chain noise     # a subset (names with or without the bench_ prefix)
    python -m benchmarks study --full    # bench_study over all 5,400 captures
    python -m benchmarks --output FILE   # write the table to FILE instead

A full default run (all benchmarks, no ``--quick``, no ``--full``) writes
:data:`benchmarks._harness.RESULTS_PATH`; subsets and quick runs only print, unless
``--output`` names a file. Each module provides ``rows(quick=False, ...)`` returning
:class:`benchmarks._harness.Row` objects; a module that is missing (``bench_sr`` until
the srgan benchmark lands) is skipped with a note, and one that fails is reported
and the others still run (exit status 1).

Each module runs in its own Python process (this runner with ``--child NAME``), which
prints its lines as it goes and hands its rows back as one JSON line. So no benchmark
is timed in a process that an earlier one changed: torch's OpenMP threads keep
spinning after an inference and would slow every later numba/FFT timing by several
times, and numba thread-count changes or a large heap would carry over too. Each
benchmark still runs its baseline in the same process as the code it is compared with.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import importlib.util
import inspect
import json
import os
import shlex
import subprocess
import sys
import time

from benchmarks._harness import RESULTS_PATH, Row, load_average, machine_info, print_rows, write_results

MODULES = ("bench_chain", "bench_noise", "bench_scielab", "bench_sr", "bench_train", "bench_memory", "bench_startup",
           "bench_study", "bench_data", "bench_dask", "bench_spectral")
_ROWS_MARK = "##benchmark-rows## "  # prefix of the child's JSON line


def _resolve(names: list[str]) -> list[str]:
    if not names:
        return list(MODULES)
    out = []
    for n in names:
        full = n if n.startswith("bench_") else f"bench_{n}"
        full = full.removesuffix(".py")
        if full not in MODULES:
            raise SystemExit(f"unknown benchmark {n!r}; choose from {', '.join(m.removeprefix('bench_') for m in MODULES)}")
        out.append(full)
    return out


def _call_rows(module, *, quick: bool, full: bool) -> list[Row]:
    rows_fn = module.rows
    params = inspect.signature(rows_fn).parameters
    kwargs = {}
    if "quick" in params:
        kwargs["quick"] = quick
    elif quick:
        print(f"  note: {module.__name__}.rows() has no `quick` option; running it at full size", flush=True)
    if "full" in params:
        kwargs["full"] = full
    return list(rows_fn(**kwargs))


def _child(name: str, *, quick: bool, full: bool) -> int:
    """Run one module here; print its rows, then hand them to the parent as one JSON line."""
    module = importlib.import_module(f"benchmarks.{name}")
    got = _call_rows(module, quick=quick, full=full)
    print_rows(got)
    payload = {"rows": [dataclasses.asdict(r) for r in got], "notes": list(getattr(module, "NOTES", ()))}
    print(_ROWS_MARK + json.dumps(payload), flush=True)
    return 0


def _run_in_child(name: str, *, quick: bool, full: bool) -> tuple[list[Row], list[str]]:
    """Run module ``name`` in a fresh interpreter, streaming its output; its rows and notes."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""), PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "benchmarks", "--child", name] + (["--quick"] if quick else []) + (
        ["--full"] if full else [])
    payload = None
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env, cwd=root) as proc:
        for line in proc.stdout:
            if line.startswith(_ROWS_MARK):
                payload = json.loads(line[len(_ROWS_MARK):])
            else:
                print(line, end="", flush=True)
    if proc.returncode != 0 or payload is None:
        raise RuntimeError(f"benchmark process exited with status {proc.returncode}")
    return [Row(**r) for r in payload["rows"]], payload["notes"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[1])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all): "
                        + ", ".join(m.removeprefix("bench_") for m in MODULES))
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer repeats, smaller sizes")
    parser.add_argument("--full", action="store_true", help="bench_study: time all 5,400 captures (slow)")
    parser.add_argument("--output", help="write the results table here (default: benchmarks/RESULTS.md on a "
                        "full default run, nowhere otherwise)")
    parser.add_argument("--child", metavar="NAME", help=argparse.SUPPRESS)  # internal: run one module here
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child, quick=args.quick, full=args.full)
    names = _resolve(args.names)
    command = "python -m benchmarks" + "".join(f" {shlex.quote(a)}" for a in (sys.argv[1:] if argv is None else argv))
    output = args.output
    if output is None and not args.names and not args.quick and not args.full:
        output = str(RESULTS_PATH)

    info = machine_info()
    load_start = load_average()
    print("camsim benchmarks —", command)
    for k, v in info.items():
        print(f"  {k}: {v}")
    print(f"  load average: {load_start}")
    t_start = time.perf_counter()
    rows: list[Row] = []
    notes: list[str] = []
    failed = False
    for name in names:
        print(f"\n== {name} ==", flush=True)
        if importlib.util.find_spec(f"benchmarks.{name}") is None:
            note = f"{name}: skipped — benchmarks/{name}.py does not exist yet"
            print("  " + note, flush=True)
            notes.append(note)
            continue
        t0 = time.perf_counter()
        try:
            got, module_notes = _run_in_child(name, quick=args.quick, full=args.full)
        except Exception as exc:  # keep going: one broken benchmark must not hide the others
            print(f"  {name} FAILED: {exc} (its traceback is above)", flush=True)
            notes.append(f"{name}: FAILED — {type(exc).__name__}: {exc}")
            failed = True
            continue
        rows.extend(got)
        notes.extend(module_notes)
        print(f"  ({name}: {time.perf_counter() - t0:.0f} s)", flush=True)
    wall = time.perf_counter() - t_start
    load_end = load_average()

    print(f"\n== summary ({wall:.0f} s; load average {load_start} at the start, {load_end} at the end) ==")
    print_rows(rows)
    for n in notes:
        print("  note:", n)
    missed = [r for r in rows if r.met is False]
    if missed:
        print(f"{len(missed)} target(s) missed: " + "; ".join(f"{r.benchmark} {r.case} ({r.target})" for r in missed))
    if output:
        repeats = ("quick mode: fewer repeats and smaller sizes (see each row)" if args.quick
                   else "median of ≥ 5 timed runs after a warm-up run unless a row says otherwise")
        path = write_results(output, rows, info=info, command=command, repeats=repeats, notes=notes, wall_s=wall,
                             load=(load_start, load_end))
        print(f"wrote {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
