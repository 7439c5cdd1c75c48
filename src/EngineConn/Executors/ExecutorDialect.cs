using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>How one kind of executor is started and told to run a code file and then print end markers.</summary>
internal abstract class ExecutorDialect
{
    /// <summary>Extension of the code files written for this executor.</summary>
    public abstract string FileExtension { get; }

    /// <summary>A line written to the executor's stdin as it starts, before any execution; null for none.</summary>
    public virtual string? InitCommand => null;

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
