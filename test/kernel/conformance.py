"""jupyter_kernel_test (Debian's python3-jupyter-kernel-test 0.4.5) against the project's kernel, every sample filled.

Run by scripts/test.mjs (stage "kernel") with Debian's /usr/bin/python3 (jupyter_client 7: 0.4.5 fails on 8), with
JUPYTER_PATH pointing at the project's kernelspec. Prints unittest's verbose report and a last line
"conformance: N passed, N failed".
"""
import sys
import unittest

import jupyter_kernel_test


class TslabKerasKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "tslab-keras"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("some error")'
    completion_samples = [{"text": "Math.PI.toFix", "matches": {"toFixed"}}]
    complete_code_samples = ["1 + 1", "const a = { b: 1 };", "function f() {\n  return 1;\n}"]
    incomplete_code_samples = ["function f() {", "const xs = [1,", "`template"]
    invalid_code_samples = ["1 +* ;", "const = 5;", "let x = );"]
    code_inspect_sample = "Math.max"
    code_display_data = [
        {
            "code": 'import { display } from "tslab";\ndisplay.html("<b>bold</b>")',
            "mime": "text/html",
        },
        {
            "code": 'import { display } from "tslab-keras";\ndisplay.publish({ "text/plain": "x", "image/svg+xml": "<svg></svg>" })',
            "mime": "image/svg+xml",
        },
    ]
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"a" + "b"', "result": "'ab'"},
        {"code": "Promise.resolve([1, 2])", "result": "[ 1, 2 ]"},
        {
            "code": '({ [Symbol.for("Jupyter.display")]() { return { "text/plain": "chart", "image/svg+xml": "<svg/>" }; } })',
            "mime": "image/svg+xml",
            "result": "<svg/>",
        },
    ]
    code_generate_error = 'throw new Error("boom")'
    code_history_pattern = "6 * ?"
    supported_history_operations = ("tail", "range", "search")
    code_page_something = "Math.max?"
    code_clear_output = 'import { display } from "tslab-keras";\nconsole.log("x");\ndisplay.clearOutput({ wait: true })'


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(TslabKerasKernelTests)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors)
    skipped = len(result.skipped)
    print(f"conformance: {result.testsRun - failed - skipped} passed, {failed} failed, {skipped} skipped")
    sys.exit(0 if failed == 0 and result.testsRun > 0 else 1)
