using System.Text;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>
/// One stream of one execution as it is printed: appended to the execution's file (when it has one) up to
/// <c>MaxExecutionLogBytes</c>, its first <c>MaxOutputBytes</c> kept for the result, and each append announced to
/// whoever follows the execution. Only the executor's reader for this stream appends.
/// </summary>
internal sealed class ExecutionLog : IDisposable
{
    private readonly FileStream? _file;
    private readonly MemoryStream _kept = new();
    private readonly int _maxKept;
    private readonly long _maxLogged;
    private readonly Action<ExecutionLog> _grew;
    private long _logged;
    private readonly Lock _gate = new();
    private bool _fileFailed;
    private bool _closed;

    public ExecutionLog(string stream, string? path, int maxKept, long maxLogged, Action<ExecutionLog> grew)
    {
        Stream = stream;
        _maxKept = maxKept;
        _maxLogged = maxLogged;
        _grew = grew;
        if (path is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Unbuffered: what the executor printed is in the file the moment its node hears of it.
            _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
    }

    public string Stream { get; }

    /// <summary>Bytes logged so far (in the file, when there is one); stops growing at the cap.</summary>
    public long Length => Interlocked.Read(ref _logged);

    /// <summary>More was printed than the first <c>MaxOutputBytes</c> the result keeps.</summary>
    public bool TextTruncated { get; private set; }

    /// <summary>More was printed than <c>MaxExecutionLogBytes</c>: the file stopped growing there.</summary>
    public bool LogTruncated { get; private set; }

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
            }
        }
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                AppendOpen(bytes);
            }
        }
    }

    private void AppendOpen(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        var keepRoom = (int)Math.Max(0, _maxKept - _kept.Length);
        if (bytes.Length > keepRoom)
        {
            TextTruncated = true;
        }

        _kept.Write(bytes[..Math.Min(bytes.Length, keepRoom)]);

        var logRoom = _fileFailed ? 0 : Math.Max(0, _maxLogged - _logged);
        if (bytes.Length > logRoom)
        {
            LogTruncated = true;
        }

        var logged = (int)Math.Min(bytes.Length, logRoom);
        if (logged == 0)
        {
            return;
        }

        try
        {
            _file?.Write(bytes[..logged]);
        }
        catch (IOException)
        {
            // A full disk (or a removed work directory) ends the file, not the execution: it runs on, its result
            // keeps what it keeps, and the log says it stopped short.
            _fileFailed = true;
            LogTruncated = true;
            return;
        }

        Interlocked.Add(ref _logged, logged);
        _grew(this);
    }

    /// <summary>Closes the file; a reader left reading pipes a gone executor's daemon still holds appends nothing after.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            _file?.Dispose();
        }
    }
}
