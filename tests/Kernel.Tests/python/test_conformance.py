"""Jupyter's own kernel conformance checks (Debian's python3-jupyter-kernel-test) against the "C# (course)" kernel.

Run with /usr/bin/python3 -m unittest test_conformance, with JUPYTER_DATA_DIR (or JUPYTER_PATH) pointing at a folder
holding the csharp-course kernelspec. Kernel.Tests does this in ConformanceTests.
"""
import unittest

import jupyter_kernel_test


class CSharpCourseKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "csharp-course"
    language_name = "C#"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world");'
    code_stderr = 'Console.Error.WriteLine("something went wrong");'

    completion_samples = [
        {"text": "Console.WriteL", "matches": {"WriteLine"}},
        {"text": "Math.Ab", "matches": {"Abs"}},
        {"text": "var conformanceValue = 1;\nconformanceV", "matches": {"conformanceValue"}},
        {"text": '"abc".ToUpperI', "matches": {"ToUpperInvariant"}},
    ]

    complete_code_samples = ["1 + 1", "var x = 1;", "Console.WriteLine(\"hi\");", "#!csharp\nvar y = 2;"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "Console.WriteLine(", "class A {", "var s = \"\"\"\nabc"]
    invalid_code_samples = ["var = ;", "#!python\nprint(1)"]

    code_generate_error = 'throw new InvalidOperationException("boom");'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "\"hello\"", "result": "hello"},
        {"code": "HTML(\"<b>bold</b>\")", "mime": "text/html"},
    ]

    code_display_data = [
        {"code": 'display(HTML("<i>shown</i>"));', "mime": "text/html"},
        {"code": 'display("plain text");', "mime": "text/plain"},
    ]

    code_inspect_sample = "Console.WriteLine"


if __name__ == "__main__":
    unittest.main()
