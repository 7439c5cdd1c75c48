namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>Assertions shared by the lifecycle tests: an ended engine left no process and no booked resources.</summary>
public static class EngineChecks
{
    public static readonly TimeSpan CleanupDeadline = TimeSpan.FromSeconds(3);

    public static void AssertProcessAlive(int pid)
    {
        var entry = ProcessTable.Read(pid);
        Assert.True(entry is not null && entry.State != 'Z', $"Engine host pid {pid} should be running; /proc says: {entry?.ToString() ?? "no such process"}");
    }

    /// <summary>The host pid is gone from /proc (reaped) and its process group (pgid = pid) has no live member.</summary>
    public static void AssertProcessGroupGone(int pid)
    {
        Assert.False(ProcessTable.Exists(pid), $"Engine host pid {pid} should be gone; /proc says: {ProcessTable.Read(pid)}");
        var left = ProcessTable.LiveInGroup(pid);
        Assert.True(left.Count == 0, $"Process group {pid} should be empty; still running:\n{string.Join("\n", left)}\npgrep -g {pid}: {ProcessTable.Pgrep(pid)}");
    }

    public static async Task WaitProcessGroupGoneAsync(int pid, TimeSpan deadline)
    {
        await Eventually.Until(() => !ProcessTable.Exists(pid) && ProcessTable.LiveInGroup(pid).Count == 0,
            $"engine host pid {pid} and its process group to be gone", deadline,
            () => $"pid: {ProcessTable.Read(pid)?.ToString() ?? "gone"}; group: {string.Join("; ", ProcessTable.LiveInGroup(pid))}");
        AssertProcessGroupGone(pid);
    }

    /// <summary>A running engine holds a used ticket (its engine id) in its user ledger and in its node's ledger.</summary>
    public static async Task AssertBookedAsync(LinkisApi api, string userCreator, string engineId)
    {
        var user = await api.LedgerAsync(LinkisApi.UserLedgerKey(userCreator));
        Assert.True(user is not null && user.TicketIds.Contains(engineId) && user.Used.GetProperty("instances").GetInt64() >= 1,
            $"A running engine should hold a ticket and one used instance in {LinkisApi.UserLedgerKey(userCreator)}: {user}");
        var node = await api.LedgerAsync(api.NodeLedgerKey);
        Assert.True(node is not null && node.TicketIds.Contains(engineId), $"A running engine should hold a ticket in {api.NodeLedgerKey}: {node}");
    }

    /// <summary>The user ledger has nothing used or locked and no tickets; the node ledger holds no ticket of this engine.</summary>
    public static async Task AssertReleasedAsync(LinkisApi api, string userCreator, string engineId)
    {
        var user = await api.LedgerAsync(LinkisApi.UserLedgerKey(userCreator));
        Assert.True(user is null || user.IsEmpty, $"User ledger {LinkisApi.UserLedgerKey(userCreator)} should be empty: {user}");
        var node = await api.LedgerAsync(api.NodeLedgerKey);
        Assert.True(node is null || !node.TicketIds.Contains(engineId), $"Node ledger {api.NodeLedgerKey} still holds a ticket of {engineId}: {node}");
    }

    public static async Task WaitReleasedAsync(LinkisApi api, string userCreator, string engineId)
    {
        string last = "";
        await Eventually.Until(async () =>
            {
                var user = await api.LedgerAsync(LinkisApi.UserLedgerKey(userCreator));
                var node = await api.LedgerAsync(api.NodeLedgerKey);
                last = $"user ledger: {user}; node ledger: {node}";
                return (user is null || user.IsEmpty) && (node is null || !node.TicketIds.Contains(engineId));
            },
            $"the resources of {engineId} to be released", CleanupDeadline, () => last);
        await AssertReleasedAsync(api, userCreator, engineId);
    }

    /// <summary>Waits until the engine has ended and returns it.</summary>
    public static async Task<Engine> WaitEndedAsync(LinkisApi api, string engineId, TimeSpan deadline, string what)
    {
        Engine? engine = null;
        await Eventually.Until(async () =>
            {
                engine = await api.GetEngineAsync(engineId);
                return engine?.Status is "Success" or "Failed";
            },
            what, deadline, () => engine?.ToString() ?? "engine not found");
        return engine!;
    }
}
