using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Plugins;

/// <summary>The properties every engine type understands, with their Linkis aliases.</summary>
public static class EngineProperties
{
    public const string Memory = "memory";
    public const string Cores = "cores";
    public const string IdleTimeout = "idleTimeout";

    /// <summary>An engine older than this is shut down when it is next idle (end reason <c>MaxLifetime</c>).</summary>
    public const string MaxLifetime = "maxLifetime";

    /// <summary>An engine is retired after this many executions (Linkis' <c>wds.linkis.engineconn.max.task.execute.num</c>).</summary>
    public const string MaxExecutions = "maxExecutions";

    /// <summary>Linkis' name for <see cref="MaxExecutions"/>, accepted as an alias.</summary>
    public const string LinkisMaxExecutions = "wds.linkis.engineconn.max.task.execute.num";

    /// <summary>Linkis' name for the idle timeout, accepted as an alias.</summary>
    public const string LinkisIdleTimeout = "linkis.engineconn.max.free.time";

    public static IReadOnlyList<string> Common { get; } = [Memory, Cores, IdleTimeout, LinkisIdleTimeout, MaxLifetime, MaxExecutions, LinkisMaxExecutions];

    /// <summary>The one name of a property that has several: Linkis' aliases are read as ours.</summary>
    public static string Canonical(string key) => key switch
    {
        LinkisIdleTimeout => IdleTimeout,
        LinkisMaxExecutions => MaxExecutions,
        _ => key,
    };

    /// <summary>The lifetime limits from <c>maxLifetime</c> and <c>maxExecutions</c> (or its alias); null where unset.</summary>
    public static bool TryGetLifetime(
        IReadOnlyDictionary<string, string> properties, out TimeSpan? maxLifetime, out long? maxExecutions, out IReadOnlyList<ValidationError> errors)
    {
        var problems = new List<ValidationError>();
        maxLifetime = null;
        maxExecutions = null;
        if (properties.TryGetValue(MaxLifetime, out var lifetimeText))
        {
            if (!Quantities.TryParseDuration(lifetimeText, out var lifetime, out var message))
                problems.Add(new($"properties.{MaxLifetime}", message));
            else if (lifetime <= TimeSpan.Zero)
                problems.Add(new($"properties.{MaxLifetime}", $"'{lifetimeText}' must be more than zero"));
            else
                maxLifetime = lifetime;
        }

        foreach (var key in (ReadOnlySpan<string>)[MaxExecutions, LinkisMaxExecutions])
        {
            if (properties.TryGetValue(key, out var text))
            {
                if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count >= 1)
                    maxExecutions = count;
                else
                    problems.Add(new($"properties.{key}", $"'{text}' must be a whole number of executions, at least 1"));
                break;
            }
        }

        errors = problems;
        return problems.Count == 0;
    }

    /// <summary>Memory and cores from the properties, with the plugin's defaults where they are absent.</summary>
    public static bool TryGetResources(
        IReadOnlyDictionary<string, string> properties,
        ResourceVector defaults,
        out ResourceVector resources,
        out IReadOnlyList<ValidationError> errors)
    {
        var problems = new List<ValidationError>();
        var memory = defaults.Memory;
        var cores = defaults.Cores;
        if (properties.TryGetValue(Memory, out var memoryText))
        {
            if (!Quantities.TryParseBytes(memoryText, out memory, out var error))
                problems.Add(new($"properties.{Memory}", error));
            else if (memory < ServiceLimits.MinEngineMemoryBytes)
                problems.Add(new($"properties.{Memory}",
                    $"'{memoryText}' is less than {Quantities.FormatBytes(ServiceLimits.MinEngineMemoryBytes)}, the least an engine may book: it is the engine's memory limit, and its host and executor must fit in it"));
        }

        if (properties.TryGetValue(Cores, out var coresText) && !Quantities.TryParseCores(coresText, out cores, out var coresError))
        {
            problems.Add(new($"properties.{Cores}", coresError));
        }

        errors = problems;
        resources = problems.Count == 0 ? ResourceVector.FromCores(memory, cores, 1) : ResourceVector.Zero;
        return problems.Count == 0;
    }

    /// <summary>The idle timeout from <c>idleTimeout</c> or its Linkis alias; null when neither is set.</summary>
    public static bool TryGetIdleTimeout(IReadOnlyDictionary<string, string> properties, out TimeSpan? idleTimeout, out ValidationError? error)
    {
        idleTimeout = null;
        error = null;
        foreach (var key in (ReadOnlySpan<string>)[IdleTimeout, LinkisIdleTimeout])
        {
            if (!properties.TryGetValue(key, out var text))
            {
                continue;
            }

            if (!Quantities.TryParseDuration(text, out var value, out var message))
            {
                error = new($"properties.{key}", message);
                return false;
            }

            if (value <= TimeSpan.Zero)
            {
                error = new($"properties.{key}", $"'{text}' must be more than zero");
                return false;
            }

            idleTimeout = value;
            return true;
        }

        return true;
    }
}
