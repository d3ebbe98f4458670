using Course.Serving;

namespace Serving.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Options_are_read()
    {
        var c = ServerCommandLine.Parse(["--model", "lenet", "--port", "0", "--max-batch", "1", "--max-wait-ms", "0.5", "--queue", "7", "--timeout-ms", "250", "--max-body", "1000"]);
        Assert.Equal("lenet", c.Model);
        Assert.Equal(0, c.Port);
        Assert.Equal(1, c.Options.MaxBatch);
        Assert.Equal(TimeSpan.FromMilliseconds(0.5), c.Options.MaxWait);
        Assert.Equal(7, c.Options.QueueCapacity);
        Assert.Equal(TimeSpan.FromMilliseconds(250), c.Options.QueueTimeout);
        Assert.Equal(1000, c.Options.MaxBodyBytes);
        Assert.Null(ServerCommandLine.Parse([]).Model);
        Assert.Equal(8080, ServerCommandLine.Parse([]).Port);
        Assert.Equal("libtorch", ServerCommandLine.Parse([]).Engine);
        Assert.Equal("onnxruntime", ServerCommandLine.Parse(["--engine", "onnxruntime", "--model", "a/lenet.onnx"]).Engine);
    }

    [Theory]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("--port", "--port needs a value")]
    [InlineData("--port x", "--port needs a whole number")]
    [InlineData("--port 70000", "not a TCP port")]
    [InlineData("--max-batch 0", "largest batch")]
    [InlineData("--queue 0", "queue must hold")]
    [InlineData("--timeout-ms -1", "queue timeout")]
    [InlineData("--engine tensorflow", "the engines are libtorch and onnxruntime")]
    [InlineData("--model a/lenet.onnx", "serve it with --engine onnxruntime")]
    public void A_bad_option_is_an_error_naming_it(string args, string mentions)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ServerCommandLine.Parse(args.Split(' ')));
        Assert.Contains(mentions, e.Message);
    }
}
