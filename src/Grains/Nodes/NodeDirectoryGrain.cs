using System.Collections.Immutable;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Nodes;

[GenerateSerializer, Immutable, Alias("Linkis.NodeDirectoryState")]
public sealed record NodeDirectoryState([property: Id(0)] ImmutableSortedSet<string> Nodes)
{
    public NodeDirectoryState() : this(ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal)) { }
}

/// <summary>
/// Holds the latest report of each node, and says a node is Lost as soon as membership has declared its silo dead or
/// it has missed three reports. Reports are refreshed every few seconds and stay in memory; only the node
/// names are saved, so a directory activated again asks its known nodes for a report at once instead of waiting for
/// their next push.
/// </summary>
public sealed class NodeDirectoryGrain(
    [PersistentState("nodeDirectory", StorageNames.Linkis)] IPersistentState<NodeDirectoryState> state,
    IOptions<NodeOptions> options,
    IClusterMembershipService membership,
    TimeProvider time) : Grain, INodeDirectoryGrain, INodeDirectoryWriter
{
    private static readonly TimeSpan RefreshTimeout = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, NodeReport> _reports = new(StringComparer.Ordinal);

    // When this directory first saw each node's current silo dead in membership.
    private readonly Dictionary<string, DateTimeOffset> _deadSeen = new(StringComparer.Ordinal);
    private Task _refresh = Task.CompletedTask;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Not awaited here: a node manager that is itself activating may be waiting on this directory.
        _refresh = RefreshKnownNodes();
        return Task.CompletedTask;
    }

    public async Task Report(NodeReport report)
    {
        Keep(report);
        if (!state.State.Nodes.Contains(report.Name))
        {
            state.State = new NodeDirectoryState(state.State.Nodes.Add(report.Name));
            await state.WriteStateAsync();
        }
    }

    public async Task<IReadOnlyList<NodeReport>> List()
    {
        // Right after activation, answer with the known nodes' reports rather than with nothing.
        await _refresh;
        var now = time.GetUtcNow();
        var staleAfter = options.Value.StaleReportAge;
        var dead = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Dead)
            .Select(m => m.SiloAddress.ToString())
            .ToHashSet(StringComparer.Ordinal);
        return [.. _reports.Values.Select(r => Judge(r, dead, now, staleAfter)).OrderBy(r => r.Name, StringComparer.Ordinal)];
    }

    private NodeReport Judge(NodeReport report, HashSet<string> deadSilos, DateTimeOffset now, TimeSpan staleAfter)
    {
        if (deadSilos.Contains(report.Silo))
        {
            var since = _deadSeen.TryGetValue(report.Name, out var seen) ? seen : _deadSeen[report.Name] = now;
            return report with
            {
                Verdict = NodeVerdict.Lost,
                VerdictReason = $"membership declared its silo {report.Silo} dead; its engines are Unreachable until it returns",
                LostSince = since,
            };
        }

        _deadSeen.Remove(report.Name);
        return now - report.ReportedAt > staleAfter
            ? report with
            {
                Verdict = NodeVerdict.Lost,
                VerdictReason = $"no report for {(now - report.ReportedAt).TotalSeconds:0} s; the node's silo is down or cut off",
                LostSince = report.ReportedAt,
            }
            : report;
    }

    private async Task RefreshKnownNodes()
    {
        var missing = state.State.Nodes.Where(n => !_reports.ContainsKey(n)).ToList();
        var reports = await Task.WhenAll(missing.Select(async name =>
        {
            try
            {
                return await GrainFactory.GetGrain<INodeManagerGrain>(name).GetReport().WaitAsync(RefreshTimeout);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                return null;
            }
        }));
        foreach (var report in reports.OfType<NodeReport>())
        {
            Keep(report);
        }
    }

    private void Keep(NodeReport report)
    {
        if (!_reports.TryGetValue(report.Name, out var known) || known.ReportedAt <= report.ReportedAt)
        {
            _reports[report.Name] = report;
        }
    }
}
