// ONNX export and ONNX Runtime (lib/Onnx) for the chapters that use them, after the course library:
//     #load "../lib/course.csx"
//     #load "../lib/onnx.csx"
// An assembly of its own, so chapters that do not convert models never load the ONNX packages.
// The references follow the build configuration: building lib/Onnx (./course setup) writes them.
#load "../artifacts/dotnet/onnx.references.csx"

global using Course.Onnx;
