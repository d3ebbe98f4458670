"""The ONNX checker of Debian's python3-onnx on each file given: onnx.checker.check_model(path, full_check=True)
(structure, operator schemas of the declared opset, and shape inference). Prints one line per file; exits 1 on the
first file the checker rejects, with its message."""
import sys

import onnx

for path in sys.argv[1:]:
    try:
        onnx.checker.check_model(path, full_check=True)
    except Exception as e:  # the checker's ValidationError, or shape inference's InferenceError
        print(f"{path}: {type(e).__name__}: {e}")
        sys.exit(1)
    model = onnx.load(path)
    print(f"{path}: ok (ir {model.ir_version}, opset {model.opset_import[0].version}, {len(model.graph.node)} nodes)")
