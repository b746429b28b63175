"""Execute notebooks headless through nbclient on the project's kernel; check their outputs.

usage: run_notebooks.py [--out DIR] [--timeout S] [--allow-errors] NOTEBOOK...

Each notebook runs top to bottom with the kernel "tslab-keras" (cwd: the notebook's folder). The
executed copy is written to --out. Any cell error fails the run and prints the failing cell's source
and traceback, and the cells after it do not run — except in a cell tagged `raises-exception`, or
with --allow-errors (nbclient's allow_errors: every cell runs, errors stay in the outputs). Cells may
carry expectations in their metadata, checked after execution:

    "tslab_keras": {"expect": ["vegalite", "svg", "png", "html", "table", "text:Accuracy", "result:000/x"],
    ("vegalite": one output holding the Vega-Lite spec, an SVG and a PNG copy, and text/plain;
     "result:NAME": the cell reports NAME with display.report)
                    "max_outputs": 30}

Results a notebook reports with display.report(...) (MIME application/vnd.tslab-keras.results+json,
which front ends do not render) are collected into <out>/<name>.results.json for the reproduction table.
Every notebook also fails on what a class must not see: a stderr output, or a result-marker line
(`004/final_val_acc: 0.7757`) among the outputs people see.
"""
import argparse
import base64
import json
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

RESULTS_MIME = "application/vnd.tslab-keras.results+json"
VEGALITE_MIME = "application/vnd.vegalite.v5+json"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A reproduction marker as report() used to print it: `004/final_val_acc: 0.7757`.
MARKER_LINE = re.compile(r"^\s*\d{3}/[\w.\-]+: -?[\d.]+(e[+-]?\d+)?\s*$", re.M)


def is_png(value):
    """A base64 PNG as notebooks store it: the signature and a non-empty IHDR size."""
    try:
        raw = base64.b64decode("".join(value) if isinstance(value, list) else str(value))
    except ValueError:
        return False
    return raw.startswith(PNG_SIGNATURE) and len(raw) > 24 and raw[16:24] != b"\0" * 8


def cell_results(cell):
    results = {}
    for out in cell.get("outputs", []):
        payload = out.get("data", {}).get(RESULTS_MIME)
        if payload is not None:
            results.update(payload if isinstance(payload, dict) else json.loads(payload))
    return results


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
            # One bundle: the spec, SVG and PNG copies for exports and GitHub, and a text summary.
            ok = any(
                VEGALITE_MIME in out.get("data", {})
                and "text/plain" in out.get("data", {})
                and str(out["data"].get("image/svg+xml", "")).lstrip().startswith("<svg")
                and is_png(out["data"].get("image/png", ""))
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
        elif expect.startswith("result:"):
            ok = isinstance(cell_results(cell).get(expect[7:]), (int, float))
        else:
            failures.append(f"{nb_name} cell {index}: unknown expectation {expect!r}")
            continue
        if not ok:
            failures.append(f"{nb_name} cell {index}: expected {expect!r} output, got {sorted(mimes) or 'none'}")
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = "".join(out.get("text", ""))
            failures.append(f"{nb_name} cell {index}: a stderr output (shown as a red box): {text.strip()[:200]!r}")
    marker = next(filter(None, (MARKER_LINE.search(output_text({"outputs": [out]})) for out in cell.get("outputs", []))), None)
    if marker:
        failures.append(f"{nb_name} cell {index}: a result-marker line among the outputs: {marker.group(0).strip()!r}")
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
    # iopub_timeout: after a cell's reply, nbclient waits this long for the rest of its outputs (4 s by
    # default). A 200-epoch verbose fit sends 400 progress messages in about a second, which a loaded
    # machine delivers for longer than that; the default dropped a cell's last outputs without an error.
    client = NotebookClient(
        nb,
        timeout=timeout,
        iopub_timeout=120,
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
