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

    /// <summary>Exit code of an execution whose executor had to be killed to stop it, as a shell reports SIGINT.</summary>
    public const int InterruptedExitCode = 130;

    /// <summary>How long an executor that closed its output gets to exit by itself.</summary>
    private static readonly TimeSpan ExitAfterCloseGrace = TimeSpan.FromSeconds(2);

    /// <summary>How often a timed-out execution is interrupted again until it ends.</summary>
    private static readonly TimeSpan InterruptRepeat = TimeSpan.FromMilliseconds(100);

    private readonly Process _process;
    private readonly ExecutorDialect _dialect;
    private readonly EngineContext _context;
    private readonly HostLog _log;
    private readonly string _runDirectory;
    private readonly string _workDirectory;
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
        _workDirectory = Path.GetDirectoryName(runDirectory)!;
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
    /// Set when the host itself had to kill the executor because it did not stop for an interrupt within the grace: its
    /// state is gone and it is to be replaced, not taken as ended by its code.
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

        startInfo.Environment.Remove(ProtocolConstants.HeapHardLimitVariable);
        foreach (var (name, value) in context.Environment)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment["LINKIS_ENGINE_ID"] = context.EngineId;
        startInfo.Environment["LINKIS_ENGINE_WORKDIR"] = workDirectory;

        var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start the executor '{context.ExecutorPath}'.");
        var executor = new ExecutorProcess(process, dialect, context, runDirectory, log);
        if (dialect.InitCommand is { } init)
        {
            // Written before any execution, so it is read before any code: a pipe keeps the order.
            executor.SendCommandAsync(init).GetAwaiter().GetResult();
        }

        return executor;
    }

    /// <summary>
    /// Runs one execution and returns its result: its exit code (124 when it timed out), the start of its output, and
    /// what its files hold. A timeout or a cancel interrupts it; one it does not stop for within its grace gets the
    /// executor killed, and the result says <c>StateLost</c> (the caller starts a new executor).
    /// </summary>
    public async Task<ExecuteResultMessage> RunAsync(HostExecution execution)
    {
        var sequence = ++_sequence;
        if (sequence == 1)
        {
            Directory.CreateDirectory(_runDirectory);
        }

        var codePath = Path.Combine(_runDirectory, $"{sequence}{_dialect.FileExtension}");
        await File.WriteAllTextAsync(codePath, execution.Code).ConfigureAwait(false);
        var (stdout, stderr) = execution.OpenLogs(_workDirectory, _context.MaxOutputBytes, _context.MaxExecutionLogBytes);
        try
        {
            var markerPrefix = $"\u001eLNK-{_nonce}-{sequence}:";
            var markerPrefixBytes = Encoding.ASCII.GetBytes(markerPrefix);
            var stdoutTask = _stdout.ReadUntilMarkerAsync(markerPrefixBytes, stdout);
            var stderrTask = _stderr.ReadUntilMarkerAsync(markerPrefixBytes, stderr);
            var both = Task.WhenAll(stdoutTask, stderrTask);

            await SendCommandAsync(_dialect.RunCommand(codePath, markerPrefix[1..])).ConfigureAwait(false);

            using var timer = new CancellationTokenSource();
            var timeout = Task.Delay(execution.Timeout, timer.Token);
            var first = await Task.WhenAny(both, timeout, execution.CancelRequested).ConfigureAwait(false);
            timer.Cancel();
            var timedOut = first == timeout && !both.IsCompleted;
            var cancelled = first == execution.CancelRequested && !both.IsCompleted;
            var stateLost = false;
            if (timedOut || cancelled)
            {
                stateLost = await InterruptAsync(sequence, both, execution.CancelGrace, timedOut ? "timeout" : "cancel").ConfigureAwait(false);
            }

            // A reader that did not end (see ReadersEndAsync) reads for nobody: its log is closed below. (An executor that
            // exits by itself ends the host, which kills what it left, so its readers end.)
            var stdoutCode = stdoutTask.IsCompletedSuccessfully ? stdoutTask.Result : null;
            var stderrCode = stderrTask.IsCompletedSuccessfully ? stderrTask.Result : null;
            var exitCode = timedOut
                ? TimedOutExitCode
                : stdoutCode ?? stderrCode ?? (stateLost ? InterruptedExitCode : await ExitCodeAfterDeathAsync().ConfigureAwait(false));
            // The text is read from the logs when the result is sent (HostExecution.ResultAsync): none is held meanwhile.
            return new ExecuteResultMessage(exitCode, "", "", timedOut, stdout.TextTruncated, stderr.TextTruncated)
            {
                Cancelled = cancelled,
                StateLost = stateLost,
                StdoutBytes = stdout.Length,
                StderrBytes = stderr.Length,
                LogTruncated = stdout.LogTruncated || stderr.LogTruncated,
            };
        }
        finally
        {
            stdout.Dispose();
            stderr.Dispose();
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
    /// Stops an execution that timed out or was cancelled, as Ctrl-C would: SIGINT to the executor and everything it
    /// started — again every <see cref="InterruptRepeat"/> until the execution ends, since code that had not started yet
    /// (a slow machine) or a nested function level outlives one interrupt. What is still running after
    /// <paramref name="grace"/> is killed, executor and all: true then, and the executor's state is gone.
    /// </summary>
    private async Task<bool> InterruptAsync(long sequence, Task both, TimeSpan grace, string why)
    {
        var started = Stopwatch.GetTimestamp();
        while (!both.IsCompleted)
        {
            // The executor first: a shell that gets it after its foreground child died of it would go on to the next command.
            LibC.Kill(Pid, LibC.SIGINT);
            ProcessTree.SignalDescendants(Pid, LibC.SIGINT);
            var left = grace - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                KilledAsUnresponsive = $"the executor did not stop within {grace.TotalSeconds:0.#} s of a {why}'s interrupt, so the host killed it";
                _log.Write($"executor {Pid} did not stop execution {sequence} within {grace.TotalSeconds:0.#} s of its {why}; killing it");
                Kill();
                await ReadersEndAsync(both, "was killed").ConfigureAwait(false);
                return true;
            }

            try
            {
                await both.WaitAsync(left < InterruptRepeat ? left : InterruptRepeat).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        _log.Write($"execution {sequence} stopped after its {why}'s interrupt");
        return false;
    }

    /// <summary>
    /// Waits for both readers of an executor that is gone, for <see cref="ExitAfterCloseGrace"/>: a process that left
    /// the executor's tree (a daemon) still holds its pipes, and would otherwise hold the execution until it ends.
    /// </summary>
    private async Task ReadersEndAsync(Task both, string how)
    {
        try
        {
            await both.WaitAsync(ExitAfterCloseGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.Write($"executor {Pid} {how} but its output pipes are still open (held by a process it left running); the execution ends without what that prints");
        }
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
            await Exited.WaitAsync(ExitAfterCloseGrace).ConfigureAwait(false);
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
