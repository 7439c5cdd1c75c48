using System.Buffers;
using System.Text;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>
/// One stream of one execution as it is printed: appended to the execution's file (when it has one) up to
/// <c>MaxExecutionLogBytes</c>, and each append announced to whoever follows the execution. Its text — the first
/// <c>MaxOutputBytes</c>, for the result — is read back from the file; memory holds only what the file could not take
/// (no file, a full disk, a cap below <c>MaxOutputBytes</c>), so a finished execution kept for a re-attaching node costs
/// the host nothing. Only the executor's reader for this stream appends.
/// </summary>
internal sealed class ExecutionLog : IDisposable
{
    private readonly string? _path;
    private readonly FileStream? _file;
    private readonly MemoryStream _unlogged = new();
    private readonly int _maxKept;
    private readonly long _maxLogged;
    private readonly Action<ExecutionLog> _grew;
    private long _logged;
    private long _printed;
    private readonly Lock _gate = new();
    private bool _fileFailed;
    private bool _closed;

    public ExecutionLog(string stream, string? path, int maxKept, long maxLogged, Action<ExecutionLog> grew)
    {
        Stream = stream;
        _path = path;
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

    /// <summary>
    /// The first <c>MaxOutputBytes</c> printed, as text, and whether it could be read: from a file removed since (by
    /// whoever owns the work directory) it cannot.
    /// </summary>
    public (string Text, bool Complete) ReadText()
    {
        lock (_gate)
        {
            var fromFile = _file is null ? 0 : (int)Math.Min(_logged, _maxKept);
            var length = fromFile + (int)_unlogged.Length;
            // Pooled: a megabyte or so for every result would be large-object garbage the GC leaves for long.
            var bytes = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                if (fromFile > 0)
                {
                    using var file = new FileStream(_path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
                    file.ReadExactly(bytes, 0, fromFile);
                }

                _unlogged.GetBuffer().AsSpan(0, (int)_unlogged.Length).CopyTo(bytes.AsSpan(fromFile));
                return (Encoding.UTF8.GetString(bytes, 0, length), true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return ("", false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(bytes);
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

        var keptBefore = Math.Min(_printed, _maxKept);
        _printed += bytes.Length;
        TextTruncated = _printed > _maxKept;

        var logRoom = _fileFailed ? 0 : Math.Max(0, _maxLogged - _logged);
        if (bytes.Length > logRoom)
        {
            LogTruncated = true;
        }

        var logged = (int)Math.Min(bytes.Length, logRoom);
        if (_file is not null && logged > 0)
        {
            try
            {
                _file.Write(bytes[..logged]);
            }
            catch (IOException)
            {
                // A full disk (or a removed work directory) ends the file, not the execution: it runs on, its result
                // keeps what memory can, and the log says it stopped short.
                _fileFailed = true;
                LogTruncated = true;
                logged = 0;
            }
        }

        // Memory keeps the part of the text the file does not hold. The file stops for good once it stops (cap or
        // failure), so it holds a prefix of the text and memory the rest.
        var inFile = _file is null ? 0 : logged;
        var keep = (int)Math.Max(0, Math.Min(bytes.Length, _maxKept - keptBefore) - inFile);
        _unlogged.Write(bytes.Slice(inFile, keep));
        if (logged > 0)
        {
            Interlocked.Add(ref _logged, logged);
            _grew(this);
        }
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
