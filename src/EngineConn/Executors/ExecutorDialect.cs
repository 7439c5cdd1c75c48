using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>How one kind of executor is started and told to run a code file and then print end markers.</summary>
internal abstract class ExecutorDialect
{
    /// <summary>Extension of the code files written for this executor.</summary>
    public abstract string FileExtension { get; }

    /// <summary>
    /// Whether a timed-out execution should also get SIGINT, for executors that run code in their own process
    /// (python) rather than in children that the host can kill (bash).
    /// </summary>
    public abstract bool InterruptOnTimeout { get; }

    public abstract IEnumerable<string> Arguments(EngineContext context);

    /// <summary>
    /// The line written to the executor's stdin to run <paramref name="codePath"/> and then write
    /// <c>\x1e{markerPrefix}{exit code}\x1e</c> to both stdout and stderr.
    /// </summary>
    public abstract string RunCommand(string codePath, string markerPrefix);

    /// <exception cref="ArgumentException">An executor kind the host does not know.</exception>
    public static ExecutorDialect For(string executor) => executor switch
    {
        "bash" or "shell" or "sh" => new BashDialect(),
        "python" or "python3" => new PythonDialect(),
        _ => throw new ArgumentException($"Unknown executor '{executor}': expected 'bash' or 'python'.", nameof(executor)),
    };
}
