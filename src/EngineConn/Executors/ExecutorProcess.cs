using System.Diagnostics;
using System.Text;
using Linkis.Orleans.EngineConn.Processes;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>
/// The engine's executor: one long-lived bash or python3 child on pipes, so state persists between executions.
/// <see cref="RunAsync"/> must not be called concurrently (the <see cref="ExecutionQueue"/> sees to that).
/// </summary>
internal sealed class ExecutorProcess
{
    /// <summary>Exit code of a timed-out execution, as coreutils' <c>timeout</c> uses.</summary>
    public const int TimedOutExitCode = 124;

    /// <summary>How long a timed-out executor gets to print its marker after its children were killed.</summary>
    private static readonly TimeSpan TimeoutCleanupGrace = TimeSpan.FromSeconds(2);

    /// <summary>How often a timed-out execution is interrupted again until it ends.</summary>
    private static readonly TimeSpan InterruptRepeat = TimeSpan.FromMilliseconds(100);

    private readonly Process _process;
    private readonly ExecutorDialect _dialect;
    private readonly EngineContext _context;
    private readonly HostLog _log;
    private readonly string _runDirectory;
    // Guid.NewGuid draws from the OS CSPRNG without loading OpenSSL (which would cost milliseconds at start).
    private readonly string _nonce = Guid.NewGuid().ToString("N");
    private readonly MarkedOutputReader _stdout;
    private readonly MarkedOutputReader _stderr;
    private readonly Stream _stdin;
    private long _sequence;

    private ExecutorProcess(Process process, ExecutorDialect dialect, EngineContext context, string runDirectory, HostLog log)
    {
        _process = process;
        _dialect = dialect;
        _context = context;
        _runDirectory = runDirectory;
        _log = log;
        _stdin = process.StandardInput.BaseStream;
        _stdout = new MarkedOutputReader(process.StandardOutput.BaseStream);
        _stderr = new MarkedOutputReader(process.StandardError.BaseStream);
        Pid = process.Id;
        Exited = WatchExitAsync();
    }

    public int Pid { get; }

    /// <summary>Completes when the executor process has exited (and been reaped).</summary>
    public Task<ExitStatus> Exited { get; }

    /// <summary>
    /// Set when the host itself had to kill the executor because it did not come back to its prompt after a timed-out
    /// execution's interrupt: the engine is broken, not merely ended by its code.
    /// </summary>
    public string? KilledAsUnresponsive { get; private set; }

    public static ExecutorProcess Start(EngineContext context, string workDirectory, HostLog log)
    {
        var dialect = ExecutorDialect.For(context.Executor);
        // Made at the first execution: an engine that is asked for and never used costs one directory less.
        var runDirectory = Path.Combine(workDirectory, ProtocolConstants.RunDirectoryName);

        // Without control groups the executor's limits are its own rlimits, set by prlimit before it execs the executor.
        var limits = context.ExecutorLimits;
        var startInfo = new ProcessStartInfo(limits?.PrlimitPath ?? context.ExecutorPath)
        {
            WorkingDirectory = workDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (limits is not null)
        {
            foreach (var argument in (IEnumerable<string>)[.. limits.PrlimitArguments, context.ExecutorPath])
            {
                startInfo.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in dialect.Arguments(context))
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in context.Environment)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment["LINKIS_ENGINE_ID"] = context.EngineId;
        startInfo.Environment["LINKIS_ENGINE_WORKDIR"] = workDirectory;

        var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start the executor '{context.ExecutorPath}'.");
        return new ExecutorProcess(process, dialect, context, runDirectory, log);
    }

    /// <summary>Runs one piece of code and returns its output and exit code; 124 when it timed out.</summary>
    public async Task<ExecuteResultMessage> RunAsync(string code, TimeSpan timeout)
    {
        var sequence = ++_sequence;
        if (sequence == 1)
        {
            Directory.CreateDirectory(_runDirectory);
        }

        var codePath = Path.Combine(_runDirectory, $"{sequence}{_dialect.FileExtension}");
        await File.WriteAllTextAsync(codePath, code).ConfigureAwait(false);
        try
        {
            var markerPrefix = $"\u001eLNK-{_nonce}-{sequence}:";
            var markerPrefixBytes = Encoding.ASCII.GetBytes(markerPrefix);
            var stdoutTask = _stdout.ReadUntilMarkerAsync(markerPrefixBytes, _context.MaxOutputBytes);
            var stderrTask = _stderr.ReadUntilMarkerAsync(markerPrefixBytes, _context.MaxOutputBytes);
            var both = Task.WhenAll(stdoutTask, stderrTask);

            await SendCommandAsync(_dialect.RunCommand(codePath, markerPrefix[1..])).ConfigureAwait(false);

            var timedOut = false;
            try
            {
                await both.WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                timedOut = true;
                await InterruptAsync(sequence, both).ConfigureAwait(false);
            }

            var stdout = await stdoutTask.ConfigureAwait(false);
            var stderr = await stderrTask.ConfigureAwait(false);
            var exitCode = timedOut
                ? TimedOutExitCode
                : stdout.ExitCode ?? stderr.ExitCode ?? await ExitCodeAfterDeathAsync().ConfigureAwait(false);
            return new ExecuteResultMessage(exitCode, stdout.Text, stderr.Text, timedOut, stdout.Truncated, stderr.Truncated);
        }
        finally
        {
            TryDelete(codePath);
        }
    }

    /// <summary>
    /// Stops the executor: SIGTERMs it and its descendants, closes its stdin, and SIGKILLs whatever is left of them
    /// after <paramref name="grace"/>. Returns once the executor has been reaped.
    /// </summary>
    public async Task<ExitStatus> StopAsync(TimeSpan grace)
    {
        if (!Exited.IsCompleted)
        {
            // Remember the children now: once the executor is gone they are no longer its descendants.
            var descendants = ProcessTree.SignalDescendants(Pid, LibC.SIGTERM);
            LibC.Kill(Pid, LibC.SIGTERM);
            try
            {
                _stdin.Close();
            }
            catch (IOException)
            {
                // Its stdin is already gone.
            }

            try
            {
                await Exited.WaitAsync(grace).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _log.Write($"executor {Pid} still running {grace.TotalMilliseconds:0} ms after SIGTERM; killing it");
                Kill();
            }

            foreach (var pid in descendants)
            {
                LibC.Kill(pid, LibC.SIGKILL);
            }
        }

        return await Exited.ConfigureAwait(false);
    }

    /// <summary>SIGKILLs the executor and everything under it.</summary>
    public void Kill()
    {
        ProcessTree.KillDescendants(Pid);
        LibC.Kill(Pid, LibC.SIGKILL);
    }

    /// <summary>
    /// Stops a timed-out execution: its children are killed and (where the dialect interrupts) the executor gets
    /// SIGINT — again every <see cref="InterruptRepeat"/> until the execution ends, since an executor that had not
    /// started the code yet (a slow machine) ignores the interrupt. What is still running after the cleanup grace is
    /// killed, executor and all.
    /// </summary>
    private async Task InterruptAsync(long sequence, Task both)
    {
        var started = Stopwatch.GetTimestamp();
        var killed = 0;
        while (!both.IsCompleted)
        {
            killed += ProcessTree.KillDescendants(Pid);
            if (_dialect.InterruptOnTimeout)
            {
                LibC.Kill(Pid, LibC.SIGINT);
            }

            var left = TimeoutCleanupGrace - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                KilledAsUnresponsive = $"the executor did not come back to its prompt within {TimeoutCleanupGrace.TotalSeconds:0} s of a timed-out execution's interrupt, so the host killed it";
                _log.Write($"executor {Pid} did not finish execution {sequence} within {TimeoutCleanupGrace.TotalSeconds:0} s of its timeout; killing it");
                Kill();
                await both.ConfigureAwait(false);
                return;
            }

            try
            {
                await both.WaitAsync(left < InterruptRepeat ? left : InterruptRepeat).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        _log.Write($"execution {sequence} timed out; killed {killed} child process(es) of the executor");
    }

    private async Task SendCommandAsync(string command)
    {
        try
        {
            await _stdin.WriteAsync(Encoding.UTF8.GetBytes(command)).ConfigureAwait(false);
            await _stdin.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            // The executor is gone: its output streams end too, and the execution reports its exit code.
            _log.Write($"could not write to the executor: {exception.Message}");
        }
    }

    /// <summary>Both streams ended without a marker: the executor died, or closed both and must die now.</summary>
    private async Task<int> ExitCodeAfterDeathAsync()
    {
        try
        {
            await Exited.WaitAsync(TimeoutCleanupGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.Write($"executor {Pid} closed its output but kept running; killing it");
            Kill();
        }

        var exit = await Exited.ConfigureAwait(false);
        return exit.ToProcessExitCode();
    }

    private async Task<ExitStatus> WatchExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        return ExitStatus.FromProcessExitCode(_process.ExitCode);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
