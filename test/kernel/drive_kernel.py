"""Drive the project's kernel over the real Jupyter protocol (jupyter_client), for test/kernel tests.

stdin: {"cells": [{"code": "...", "interrupt_after": 2.0?, "stop_on_error": bool?, "complete_at": 12?}],
        "kernel": "tslab-keras", "timeout": 120, "cwd": the kernel's folder,
        "queued": bool (send every request at once, as "Run All" does, instead of one by one)}
        (a cell with "complete_at" is a complete_request at that cursor position, not an execution)
stdout: JSON {"cells": [{"status": "ok"|"error"|"aborted"|"timeout", "reply": execute_reply content,
                         "outputs": [iopub messages' content + type], "matches": [completions, for complete_at]}],
              "comm_info_reply_type": the msg_type of the answer to a comm_info_request,
              "alive": bool, "kernel_log": the tail of the kernel's own stdout/stderr (the server log)}
"""
import json
import sys
import tempfile
import time

from jupyter_client.manager import KernelManager


OUTPUT_TYPES = ("stream", "display_data", "update_display_data", "execute_result", "error", "clear_output")


def run_queued(kc, cells, timeout):
    """Sends every request before reading anything; collects each one's outputs and reply."""
    ids = [kc.execute(c["code"], stop_on_error=c.get("stop_on_error", True)) for c in cells]
    outputs = {i: [] for i in ids}
    idle = set()
    started = time.time()
    while len(idle) < len(ids) and time.time() - started < timeout:
        try:
            msg = kc.get_iopub_msg(timeout=0.2)
        except Exception:
            continue
        parent = msg["parent_header"].get("msg_id")
        if parent not in outputs:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            idle.add(parent)
        elif msg["msg_type"] in OUTPUT_TYPES:
            outputs[parent].append({"type": msg["msg_type"], **msg["content"]})
    replies = {}
    while len(replies) < len(ids) and time.time() - started < timeout + 30:
        reply = kc.get_shell_msg(timeout=30)
        if reply["msg_type"] == "execute_reply":
            replies[reply["parent_header"].get("msg_id")] = reply["content"]
    return [
        {"status": replies.get(i, {}).get("status", "timeout"), "reply": replies.get(i, {}), "outputs": outputs[i]}
        for i in ids
    ]


def run_cell(kc, km, code, interrupt_after, timeout, stop_on_error=True):
    msg_id = kc.execute(code, stop_on_error=stop_on_error)
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
        if kind in OUTPUT_TYPES:
            outputs.append({"type": kind, **msg["content"]})
    while True:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id and reply["msg_type"] == "execute_reply":
            return {"status": reply["content"].get("status", "?"), "reply": reply["content"], "outputs": outputs}


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
        timeout = spec.get("timeout", 120)
        if spec.get("queued"):
            results = run_queued(kc, spec["cells"], timeout)
        else:
            results = []
            for c in spec["cells"]:
                if "complete_at" in c:
                    results.append(complete(kc, c["code"], c["complete_at"]))
                    continue
                results.append(
                    run_cell(kc, km, c["code"], c.get("interrupt_after"), timeout, c.get("stop_on_error", True))
                )
        comm_info = kc.comm_info(reply=True, timeout=30)
        alive = km.is_alive()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    log.seek(0)
    json.dump(
        {
            "cells": results,
            "comm_info_reply_type": comm_info["msg_type"],
            "alive": alive,
            "kernel_log": log.read()[-4000:],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
