using System.Text;
using Course.Display;

namespace Course.Notebook;

/// <summary>
/// Where the running cell's outputs go, in the order they happen. Console text is sent a complete line at a time
/// (a kernel shows it live) as one stream output per run of the same stream; any other output first flushes the
/// pending text and, when it requires page assets the page has not loaded, their loaders. Safe to use from the
/// cell's own threads.
/// </summary>
internal sealed class CellOutputWriter
{
    private readonly object _gate = new();
    private readonly LoadedPageAssets? _assets;
    private readonly StringBuilder _pendingText = new();
    private string? _pendingStream;
    private Action<CellOutput> _sink = _ => { };

    /// <param name="emitAssets">Whether to emit the loaders of the page assets outputs require (false when the front end provides them).</param>
    public CellOutputWriter(bool emitAssets) => _assets = emitAssets ? new LoadedPageAssets() : null;

    /// <summary>Sends what follows to <paramref name="sink"/> (the output callback of the cell that starts now).</summary>
    public void Redirect(Action<CellOutput> sink)
    {
        lock (_gate) _sink = sink;
    }

    /// <summary>Console text written to the stream <paramref name="name"/> (stdout or stderr).</summary>
    public void WriteStream(string name, string text)
    {
        lock (_gate)
        {
            if (_pendingStream is not null && _pendingStream != name) FlushLocked();
            _pendingStream = name;
            _pendingText.Append(text);
            // send complete lines as they come; keep a partial line for later
            int lastNewline = -1;
            for (int i = _pendingText.Length - 1; i >= 0; i--) if (_pendingText[i] == '\n') { lastNewline = i; break; }
            if (lastNewline >= 0)
            {
                var complete = _pendingText.ToString(0, lastNewline + 1);
                _pendingText.Remove(0, lastNewline + 1);
                _sink(new StreamOutput(name, complete));
            }
        }
    }

    /// <summary>Sends the pending partial line, if any.</summary>
    public void Flush()
    {
        lock (_gate) FlushLocked();
    }

    /// <summary>Sends <paramref name="output"/> after the pending text and the loaders of the page assets it requires.</summary>
    public void Emit(CellOutput output)
    {
        lock (_gate)
        {
            FlushLocked();
            var bundle = output switch
            {
                DisplayDataOutput d => d.Bundle,
                UpdateDisplayDataOutput u => u.Bundle,
                ExecuteResultOutput r => r.Bundle,
                _ => null
            };
            if (bundle is not null && _assets is not null)
                foreach (var loader in _assets.LoadersFor(bundle)) _sink(loader);
            _sink(output);
        }
    }

    private void FlushLocked()
    {
        if (_pendingStream is not null && _pendingText.Length > 0) _sink(new StreamOutput(_pendingStream, _pendingText.ToString()));
        _pendingText.Clear();
        _pendingStream = null;
    }
}
