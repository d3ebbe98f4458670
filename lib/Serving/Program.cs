// ./course serve: chapter 02's LeNet behind an HTTP API with dynamic batching (see ModelServer and ServerCommandLine).
using Course.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

if (args is ["--help"] or ["-h"]) { Console.WriteLine(ServerCommandLine.Usage); return 0; }
ServerCommandLine command;
try { command = ServerCommandLine.Parse(args); }
catch (ArgumentException e) { Console.Error.WriteLine($"serve: {e.Message}"); return 2; }

var app = ModelServer.Build(() =>
{
    IModelBackend backend = command.Engine == "onnxruntime"
        ? OnnxBackend.LeNet(command.Model, out var warning)
        : TorchBackend.LeNet(command.Model, out warning);
    if (warning is not null) Console.Error.WriteLine($"serve: warning: {warning}");
    return backend;
}, command.Options, command.Port);
await app.StartAsync();
var batcher = app.Services.GetRequiredService<DynamicBatcher>();
await batcher.Loaded;
if (batcher.State != BackendState.Ready)
{
    Console.Error.WriteLine($"serve: {batcher.NotReadyReason}");
    await app.StopAsync();
    return 1;
}
var o = command.Options;
Console.Error.WriteLine($"serve: listening on {ModelServer.Address(app)} (max batch {o.MaxBatch}, max wait {o.MaxWait.TotalMilliseconds} ms, queue {o.QueueCapacity}, queue timeout {o.QueueTimeout.TotalMilliseconds} ms); Ctrl+C stops it gracefully");
await app.WaitForShutdownAsync();
await app.DisposeAsync();
Console.Error.WriteLine("serve: stopped; every accepted request was answered");
return 0;
