"""Drive the project's kernel over the real Jupyter protocol (jupyter_client), for test/kernel tests.

stdin: {"cells": [{"code": "...", "interrupt_after": 2.0?, "complete_at": 12?}], "kernel": "tslab-keras", "timeout": 120}
       (a cell with "complete_at" is a complete_request at that cursor position, not an execution)
stdout: JSON {"cells": [{"status": "ok"|"error"|"abort"|"timeout", "outputs": [iopub messages' content + type],
                         "matches": [completions, for complete_at]}],
              "alive": bool, "kernel_log": the tail of the kernel's own stdout/stderr (the server log)}
"""
import json
import sys
import tempfile
import time

from jupyter_client.manager import KernelManager


def run_cell(kc, km, code, interrupt_after, timeout):
    msg_id = kc.execute(code)
    outputs = []
    started = time.time()
    interrupted = False
    while True:
        if interrupt_after is not None and not interrupted and time.time() - started > interrupt_after:
            km.interrupt_kernel()
            interrupted = True
        if time.time() - started > timeout:
            return {"status": "timeout", "outputs": outputs}
        try:
            msg = kc.get_iopub_msg(timeout=0.2)
        except Exception:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind in ("stream", "display_data", "update_display_data", "execute_result", "error"):
            outputs.append({"type": kind, **msg["content"]})
    while True:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id and reply["msg_type"] == "execute_reply":
            return {"status": reply["content"].get("status", "?"), "outputs": outputs}


def complete(kc, code, cursor_pos):
    msg_id = kc.complete(code, cursor_pos)
    while True:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id and reply["msg_type"] == "complete_reply":
            return {"status": reply["content"].get("status", "?"), "outputs": [], "matches": reply["content"]["matches"]}


def main():
    spec = json.load(sys.stdin)
    km = KernelManager(kernel_name=spec.get("kernel", "tslab-keras"))
    # The kernel gets its own stdout/stderr: sharing ours, Node makes the pipe non-blocking and our JSON
    # answer loses pieces; the log also tells why a kernel died.
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
    km.start_kernel(cwd=spec.get("cwd"), stdout=log, stderr=log)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        results = []
        for cell in spec["cells"]:
            if "complete_at" in cell:
                results.append(complete(kc, cell["code"], cell["complete_at"]))
                continue
            results.append(run_cell(kc, km, cell["code"], cell.get("interrupt_after"), spec.get("timeout", 120)))
            if results[-1]["status"] != "ok":
                time.sleep(0.5)  # tslab aborts requests queued within 200 ms of an error, as Jupyter's "stop on error"
        alive = km.is_alive()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    log.seek(0)
    json.dump({"cells": results, "alive": alive, "kernel_log": log.read()[-4000:]}, sys.stdout)


if __name__ == "__main__":
    main()
