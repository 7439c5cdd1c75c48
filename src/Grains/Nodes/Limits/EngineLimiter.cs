using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Nodes.Limits;

/// <summary>
/// The node's enforcement of what its engines booked, chosen once at start (<see cref="NodeOptions.Limits"/>): control
/// groups per engine (v2 or v1) limiting the memory, CPU and processes of its whole tree, or — where the silo may make
/// no groups — rlimits on the executor, applied by the host. Also finds and removes the groups a crashed silo left.
/// </summary>
public sealed partial class EngineLimiter(IOptions<NodeOptions> options, ILocalSiloDetails silo, ILogger<EngineLimiter> logger)
{
    private static readonly TimeSpan RemoveTimeout = TimeSpan.FromSeconds(2);
    private readonly Lazy<LimitsChoice> _choice = new(() => Choose(options.Value, logger));

    public EngineLimitsMode Mode => _choice.Value.Mode;

    /// <summary>What the node report says: one of <see cref="LimitsEnforcement.All"/>.</summary>
    public string Enforcement => Mode switch
    {
        EngineLimitsMode.Cgroup2 => LimitsEnforcement.Cgroup2,
        EngineLimitsMode.Cgroup1 => LimitsEnforcement.Cgroup1,
        EngineLimitsMode.Rlimit => LimitsEnforcement.Rlimit,
        _ => LimitsEnforcement.None,
    };

    /// <summary>The layout of the hierarchies in use; null unless the mode is a cgroup one.</summary>
    public CgroupLayout? Cgroups => _choice.Value.Cgroups;

    public EngineLimits LimitsFor(ResourceVector booked) => EngineLimits.For(booked, options.Value.MaxProcessesPerEngine);

    /// <summary>
    /// In rlimit mode, what the host must put on its executor; null otherwise. No process cap when engines run as the
    /// silo's own user: RLIMIT_NPROC counts every process and thread of the real user — the silo's and the rest of that
    /// user's session too — so a cap meant for one engine would make forks fail in all of them.
    /// </summary>
    public ExecutorLimits? ExecutorLimitsFor(EngineLimits limits) => _choice.Value is { Mode: EngineLimitsMode.Rlimit, PrlimitPath: { } prlimit }
        ? new ExecutorLimits
        {
            PrlimitPath = prlimit,
            AddressSpaceBytes = limits.MemoryBytes,
            Processes = options.Value.RunsAsUsers ? limits.MaxProcesses : null,
        }
        : null;

    /// <summary>Makes the engine's groups with its limits written (cgroup modes; null otherwise). Throws <see cref="EngineLaunchException"/>.</summary>
    public EngineCgroup? CreateGroup(string engineId, EngineLimits limits)
    {
        if (Cgroups is not { } layout)
        {
            return null;
        }

        try
        {
            return EngineCgroup.Create(layout, silo.Name, engineId, limits);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EngineLaunchException(
                $"Could not make the control groups of engine {engineId} under {string.Join(", ", layout.Hierarchies)} (cgroup v{layout.Version}): {e.Message}", e);
        }
    }

    /// <summary>The groups of an engine an earlier life of this node started; null when there are none.</summary>
    public EngineCgroup? OpenGroup(string engineId) => Cgroups is { } layout ? EngineCgroup.Open(layout, silo.Name, engineId) : null;

    /// <summary>Kills whatever is left in the engine's groups and removes them; logs when the kernel keeps them.</summary>
    public async Task ReleaseAsync(EngineCgroup group)
    {
        group.KillAll();
        if (await group.RemoveAsync(RemoveTimeout) is { } left)
        {
            LogGroupNotRemoved(group.EngineId, left);
        }
    }

    /// <summary>
    /// Removes the groups under <c>linkis/&lt;node&gt;/</c> of engines that do not run here but whose work dir is under this
    /// node's work root — a crashed silo's. Groups that cannot be tied to this work root may belong to another silo of
    /// the same node name on this machine, and are left alone. Returns the engine ids whose groups were removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> RemoveLeftoversAsync(Func<string, bool> isRunning)
    {
        if (Cgroups is not { } layout)
        {
            return [];
        }

        var workRoot = Path.GetFullPath(options.Value.WorkRoot);
        var leftovers = layout.Hierarchies
            .SelectMany(h => EnumerateGroups(layout.NodeGroup(h, silo.Name)))
            .Distinct(StringComparer.Ordinal)
            .Where(id => !isRunning(id) && Directory.Exists(Path.Combine(workRoot, id)))
            .ToList();
        foreach (var engineId in leftovers)
        {
            if (EngineCgroup.Open(layout, silo.Name, engineId) is { } group)
            {
                LogLeftover(engineId, group.Processes().Count);
                await ReleaseAsync(group);
            }
        }

        return leftovers;
    }

    private static IEnumerable<string> EnumerateGroups(string nodeGroup)
    {
        try
        {
            return Directory.Exists(nodeGroup) ? Directory.GetDirectories(nodeGroup).Select(Path.GetFileName).OfType<string>().ToList() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static LimitsChoice Choose(NodeOptions node, ILogger logger)
    {
        var choice = LimitsDetection.Detect(node.Limits);
        var where = choice.Cgroups is { } layout ? string.Join(", ", layout.Hierarchies) : choice.PrlimitPath ?? "-";
        var passedOver = choice.PassedOver.Count == 0 ? "-" : string.Join("; ", choice.PassedOver);
        LogChosen(logger, choice.Mode, node.Limits, where, passedOver);
        return choice;
    }
}
