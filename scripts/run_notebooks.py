"""Execute notebooks headless through nbclient on the project's kernel; check their outputs.

usage: run_notebooks.py [--out DIR] [--timeout S] [--allow-errors] NOTEBOOK...

Each notebook runs top to bottom with the kernel "tslab-keras" (cwd: the notebook's folder). The
executed copy is written to --out. Any cell error fails the run and prints the failing cell's source
and traceback, and the cells after it do not run — except in a cell tagged `raises-exception`, or
with --allow-errors (nbclient's allow_errors: every cell runs, errors stay in the outputs). Cells may
carry expectations in their metadata, checked after execution:

    "tslab_keras": {"expect": ["vegalite", "svg", "png", "html", "table", "text:Accuracy"],
    ("vegalite": one output holding the Vega-Lite spec, an SVG fallback and text/plain)
                    "max_outputs": 30}

Results a notebook reports with display.report(...) (MIME application/vnd.tslab-keras.results+json)
are collected into <out>/<name>.results.json for the reproduction table.
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

RESULTS_MIME = "application/vnd.tslab-keras.results+json"
VEGALITE_MIME = "application/vnd.vegalite.v5+json"


def output_mimes(cell):
    mimes = set()
    for out in cell.get("outputs", []):
        mimes.update(out.get("data", {}).keys())
        if out.get("output_type") == "stream":
            mimes.add("stream")
    return mimes


def output_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", "") or "")
        if out.get("output_type") == "error":
            parts.append("\n".join(out.get("traceback", [])))
    return "".join(p if isinstance(p, str) else "".join(p) for p in parts)


def check_expectations(nb_name, index, cell):
    """Returns a list of failure messages for one executed cell."""
    meta = cell.get("metadata", {}).get("tslab_keras", {})
    failures = []
    mimes = output_mimes(cell)
    for expect in meta.get("expect", []):
        if expect == "vegalite":
            # One bundle: the spec, an SVG fallback for exports, and a text summary.
            ok = any(
                VEGALITE_MIME in out.get("data", {})
                and "text/plain" in out.get("data", {})
                and str(out["data"].get("image/svg+xml", "")).lstrip().startswith("<svg")
                for out in cell.get("outputs", [])
            )
        elif expect == "svg":
            ok = any(
                str(out.get("data", {}).get("image/svg+xml", "")).lstrip().startswith("<svg")
                for out in cell.get("outputs", [])
            )
        elif expect == "png":
            ok = "image/png" in mimes
        elif expect in ("html", "table"):
            ok = any("<table" in str(out.get("data", {}).get("text/html", "")) for out in cell.get("outputs", [])) \
                if expect == "table" else "text/html" in mimes
        elif expect.startswith("text:"):
            ok = expect[5:] in output_text(cell)
        else:
            failures.append(f"{nb_name} cell {index}: unknown expectation {expect!r}")
            continue
        if not ok:
            failures.append(f"{nb_name} cell {index}: expected {expect!r} output, got {sorted(mimes) or 'none'}")
    max_outputs = meta.get("max_outputs")
    if max_outputs is not None and len(cell.get("outputs", [])) > max_outputs:
        failures.append(f"{nb_name} cell {index}: {len(cell['outputs'])} outputs, at most {max_outputs} expected")
    return failures


def collect_results(nb):
    results = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if RESULTS_MIME in data:
                payload = data[RESULTS_MIME]
                results.update(payload if isinstance(payload, dict) else json.loads(payload))
    return results


def check_results(nb_name, nb, results):
    """Notebook-level thresholds: metadata.tslab_keras.min_results = {name: minimum}."""
    failures = []
    for name, minimum in nb.metadata.get("tslab_keras", {}).get("min_results", {}).items():
        value = results.get(name)
        if not isinstance(value, (int, float)):
            failures.append(f"{nb_name}: result {name!r} was not reported (got {sorted(results)})")
        elif value < minimum:
            failures.append(f"{nb_name}: result {name} = {value:.4f} is below {minimum}")
    return failures


def run_one(path, out_dir, timeout, kernel, allow_errors=False):
    name = os.path.basename(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel,
        allow_errors=allow_errors,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    started = time.time()
    failures = []
    try:
        client.execute()
    except CellExecutionError as error:
        failures.append(f"{name}: a cell failed\n{error}")
    except Exception as error:  # kernel died, timeout, ...
        failures.append(f"{name}: execution stopped: {type(error).__name__}: {error}")
    elapsed = time.time() - started
    os.makedirs(out_dir, exist_ok=True)
    nbformat.write(nb, os.path.join(out_dir, name))
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        expected_error = allow_errors or "raises-exception" in cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and not failures and not expected_error:
                failures.append(f"{name} cell {index}: error output\n{cell.source}\n" + "\n".join(out.get("traceback", [])))
        failures.extend(check_expectations(name, index, cell))
    results = collect_results(nb)
    failures.extend(check_results(name, nb, results))
    with open(os.path.join(out_dir, name.replace(".ipynb", ".results.json")), "w") as f:
        json.dump({"notebook": name, "seconds": round(elapsed, 1), "results": results}, f, indent=2)
    return failures, elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--out", default="test-results/notebooks")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument("--kernel", default="tslab-keras")
    parser.add_argument("--allow-errors", action="store_true", help="run every cell; errors stay in the outputs")
    args = parser.parse_args()
    all_failures = []
    passed = 0
    for path in args.notebooks:
        failures, elapsed = run_one(path, args.out, args.timeout, args.kernel, args.allow_errors)
        status = "ok" if not failures else "FAILED"
        print(f"{'✔' if not failures else '✖'} {os.path.basename(path)} ({elapsed:.1f}s) {status}", flush=True)
        for failure in failures:
            print("  " + failure.replace("\n", "\n  "), flush=True)
        all_failures.extend(failures)
        passed += 0 if failures else 1
    failed = len(args.notebooks) - passed
    print(f"notebooks: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
