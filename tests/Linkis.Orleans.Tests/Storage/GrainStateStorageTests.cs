using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;

namespace Linkis.Orleans.Tests.Storage;

/// <summary>Grain state and reminders through Orleans' ADO.NET providers on the schema of deploy/sql.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class GrainStateStorageTests(PostgresClusterFixture fixture)
{
    private static readonly ResourceVector OneGig = ResourceVector.FromCores(1L << 30, 1, 1);

    private IResourceLedgerBooking NewLedger(out string key)
    {
        key = $"userCreator=pg{Guid.NewGuid():N}"[..30] + "-IDE";
        return fixture.Grains.GetGrain<IResourceLedgerBooking>(key);
    }

    /// <summary>The ledger's state as the database has it, decoded with the silo's own grain storage serializer.</summary>
    private async Task<LedgerState?> StoredLedger(string key)
    {
        await using var connection = new NpgsqlConnection(fixture.Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT payload FROM linkis_grain_state WHERE grain_type = 'ledger' AND grain_id_ext = @key", connection);
        command.Parameters.AddWithValue("key", key);
        var payload = await command.ExecuteScalarAsync() as byte[];
        return payload is null ? null : fixture.SiloServices.GetRequiredService<IGrainStorageSerializer>().Deserialize<LedgerState>(new BinaryData(payload));
    }

    [Fact]
    public async Task Ledger_state_survives_deactivation_in_postgres()
    {
        var ledger = NewLedger(out var key);
        Assert.True((await ledger.TryLock("kept", OneGig, TimeSpan.FromMinutes(5))).Granted);
        Assert.True(await ledger.Confirm("kept"));

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var snapshot = await ledger.AsReference<IResourceLedgerGrain>().GetSnapshot();
        var ticket = Assert.Single(snapshot.Tickets);
        Assert.Equal("kept", ticket.Id);
        Assert.Equal(TicketState.Confirmed, ticket.State);
        Assert.Equal(OneGig, snapshot.Used);
        Assert.Equal(TicketState.Confirmed, Assert.Single((await StoredLedger(key))!.Tickets.Values).State);
    }

    [Fact]
    public async Task Concurrent_writers_of_one_grain_state_cannot_both_win()
    {
        var ledger = NewLedger(out var key);
        await fixture.Grains.GetGrain<IUserQuotaGrain>(key).SetQuota(null, new QuotaValues(1L << 30, 1, 1));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => ledger.TryLock($"t{i}", OneGig, TimeSpan.FromMinutes(5))));

        Assert.Single(results, r => r.Granted);
        Assert.Single((await StoredLedger(key))!.Tickets);
    }

    [Fact]
    public async Task A_lock_nobody_confirms_is_released_by_the_reminder_even_when_the_ledger_sleeps()
    {
        var ledger = NewLedger(out var key);
        Assert.True((await ledger.TryLock("abandoned", OneGig, TimeSpan.FromSeconds(1))).Granted);
        Assert.Single((await StoredLedger(key))!.Tickets);

        // No timer can help now: only the reminder wakes the ledger.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var stored = await Eventually.Until(() => StoredLedger(key), s => s is { Tickets.Count: 0 },
            "the reminder to release the abandoned lock", TimeSpan.FromSeconds(30));
        Assert.False(stored!.ExpiryReminderRegistered && stored.Tickets.Count > 0);
    }
}
