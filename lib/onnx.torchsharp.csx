// lib/onnx.csx for the chapters on TorchSharp: ONNX export and ONNX Runtime built against the course library's
// TorchSharp build (lib/Onnx.TorchSharp), after lib/course.torchsharp.csx:
//     #load "../lib/course.torchsharp.csx"
//     #load "../lib/onnx.torchsharp.csx"
// Building lib/Course.TorchSharp.Runtime writes the references (README, "Two backends").
#load "../artifacts/dotnet/onnx.torchsharp.references.csx"

global using Course.Onnx;
