using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>
/// One execution as the host knows it, by id: waiting, running, then finished with its result. Whoever sent it — or
/// sent its id again after a restart of their silo — follows it: each append to its output is told to every follower
/// (<see cref="Follow"/>), and its result completes once.
/// </summary>
internal sealed class HostExecution(string id, string code, TimeSpan timeout, TimeSpan cancelGrace, bool keepsFiles)
{
    private readonly TaskCompletionSource _cancel = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _followersLock = new();
    private Action<string, long>[] _followers = [];
    private (ExecutionLog Stdout, ExecutionLog Stderr)? _logs;

    public string Id { get; } = id;

    public string Code { get; } = code;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Whether its output goes to files named by its id (sent with an id) or only into its result.</summary>
    public bool KeepsFiles { get; } = keepsFiles;

    /// <summary>
    /// Set once it finished: what it ran for, with its output's text left out when it ran (that is in its logs; see
    /// <see cref="ResultAsync"/>).
    /// </summary>
    public TaskCompletionSource<ExecuteResultMessage> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a cancel came for it.</summary>
    public Task CancelRequested => _cancel.Task;

    /// <summary>How long an interrupt gets to stop it before its executor is killed and restarted.</summary>
    public TimeSpan CancelGrace { get; private set; } = cancelGrace;

    public DateTimeOffset? StartedAt { get; set; }

    public bool IsFinished => Result.Task.IsCompleted;

    public void RequestCancel(TimeSpan grace)
    {
        if (grace > TimeSpan.Zero)
        {
            CancelGrace = grace;
        }

        _cancel.TrySetResult();
    }

    /// <summary>Calls <paramref name="follower"/> with (stream, new length) at each append until it is disposed.</summary>
    public IDisposable Follow(Action<string, long> follower)
    {
        lock (_followersLock)
        {
            _followers = [.. _followers, follower];
        }

        return new Unfollow(this, follower);
    }

    /// <summary>Its result once it finished, with the start of its output read from its logs when it ran.</summary>
    public async Task<ExecuteResultMessage> ResultAsync()
    {
        var result = await Result.Task.ConfigureAwait(false);
        // Opened (if at all) before the result was set, so seen here.
        if (_logs is not { } logs)
        {
            return result;
        }

        var (stdoutText, stdoutRead) = logs.Stdout.ReadText();
        var (stderrText, stderrRead) = logs.Stderr.ReadText();
        return result with
        {
            Stdout = stdoutText,
            Stderr = stderrText,
            StdoutTruncated = result.StdoutTruncated || !stdoutRead,
            StderrTruncated = result.StderrTruncated || !stderrRead,
        };
    }

    /// <summary>Opens its two logs; the files when it keeps them, under <paramref name="workDirectory"/>.</summary>
    public (ExecutionLog Stdout, ExecutionLog Stderr) OpenLogs(string workDirectory, int maxKept, long maxLogged)
    {
        ExecutionLog Open(string stream) => new(
            stream,
            KeepsFiles ? ProtocolConstants.ExecutionOutputPath(workDirectory, Id, stream) : null,
            maxKept,
            maxLogged,
            Grew);
        var logs = (Open(ProtocolConstants.Stdout), Open(ProtocolConstants.Stderr));
        _logs = logs;
        return logs;
    }

    private void Grew(ExecutionLog log)
    {
        var length = log.Length;
        foreach (var follower in Volatile.Read(ref _followers))
        {
            follower(log.Stream, length);
        }
    }

    private sealed class Unfollow(HostExecution execution, Action<string, long> follower) : IDisposable
    {
        public void Dispose()
        {
            lock (execution._followersLock)
            {
                execution._followers = [.. execution._followers.Where(f => f != follower)];
            }
        }
    }
}
