using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Plugins;

namespace Linkis.Orleans.Grains.AppManager;

/// <summary>A valid ask, with everything parsed out of it.</summary>
public sealed record ValidAsk(
    LabelSet Labels,
    IEngineConnPlugin Plugin,
    ResourceVector Resources,
    TimeSpan IdleTimeout,
    TimeSpan Timeout,
    string RequestedBy,
    IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>Retire the engine when it is next idle after this long since it started.</summary>
    public TimeSpan? MaxLifetime { get; init; }

    /// <summary>Retire the engine after this many executions.</summary>
    public long? MaxExecutions { get; init; }

    /// <summary>Where each property came from (<c>ask</c>, or a scope of defaults); empty until defaults are merged.</summary>
    public IReadOnlyDictionary<string, string> PropertySources { get; init; } = new Dictionary<string, string>();

    /// <summary>The warm pool asking for an engine to hold in reserve.</summary>
    public string? WarmPool { get; init; }

    /// <summary>Who the engine may be shared with.</summary>
    public ShareLevel Share { get; init; }

    /// <summary>For a group or server engine: the asking user, whom the engine is shared with (its labels name its account).</summary>
    public string? Sharer { get; init; }

    /// <summary>A run-once engine for one job (<see cref="EngineAsk.Job"/>).</summary>
    public bool Job { get; init; }
}

/// <summary>Checks an ask completely before anything is booked or launched, collecting every problem at once.</summary>
public static class AskValidator
{
    public static ValidAsk? Validate(EngineAsk ask, EngineConnPluginCatalog plugins, EngineOptions options, out LinkisError? error)
    {
        var problems = new List<ValidationError>();
        _ = LabelParser.TryParse(ask.Labels, out var labels, out var labelErrors);
        problems.AddRange(labelErrors);

        IEngineConnPlugin? plugin = null;
        if (labels is not null && !plugins.TryGet(labels.EngineType.ToString(), out plugin))
        {
            problems.Add(new($"labels.{LabelKeys.EngineType}",
                $"no engine type '{labels.EngineType}' is installed; installed: {string.Join(", ", plugins.EngineTypes.Order(StringComparer.Ordinal))}"));
        }

        var resources = ResourceVector.Zero;
        if (plugin is not null)
        {
            // A property nobody reads would be silently ignored: most likely a typo the asker wants to hear about.
            foreach (var key in ask.Properties.Keys.Where(k => !plugin.Properties.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
            {
                problems.Add(new($"properties.{key}",
                    $"engine type {plugin.EngineType} reads no property '{key}'; it reads {string.Join(", ", plugin.Properties)}"));
            }

            if (!plugin.TryGetResources(ask.Properties, out resources, out var resourceErrors))
            {
                problems.AddRange(resourceErrors);
            }
        }
        else
        {
            // Still say what is wrong with memory and cores, even when the engine type is.
            EngineProperties.TryGetResources(ask.Properties, ResourceVector.Zero, out _, out var resourceErrors);
            problems.AddRange(resourceErrors);
        }

        EngineProperties.TryGetIdleTimeout(ask.Properties, out var idleTimeout, out var idleError);
        if (idleError is not null)
        {
            problems.Add(idleError);
        }
        else if (idleTimeout > options.MaxIdleTimeout)
        {
            problems.Add(new($"properties.{EngineProperties.IdleTimeout}", $"may be at most {Quantities.FormatDuration(options.MaxIdleTimeout)}"));
        }

        EngineProperties.TryGetLifetime(ask.Properties, out var maxLifetime, out var maxExecutions, out var lifetimeErrors);
        problems.AddRange(lifetimeErrors);

        if (ask.Timeout <= TimeSpan.Zero || ask.Timeout > TimeSpan.FromSeconds(ServiceLimits.MaxAskTimeoutSeconds))
        {
            problems.Add(new("timeoutSeconds", $"must be between 1 and {ServiceLimits.MaxAskTimeoutSeconds}"));
        }

        var requestedBy = ask.RequestedBy ?? labels?.UserCreator.User ?? "";
        if (problems.Count > 0 || labels is null || plugin is null)
        {
            error = LinkisError.Invalid(problems);
            return null;
        }

        error = null;
        return new ValidAsk(labels, plugin, resources, idleTimeout ?? options.DefaultIdleTimeout, ask.Timeout, requestedBy, ask.Properties)
        {
            MaxLifetime = maxLifetime,
            MaxExecutions = maxExecutions,
            WarmPool = ask.WarmPool,
            Job = ask.Job,
        };
    }
}
