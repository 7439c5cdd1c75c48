using System.Collections.Immutable;
using Linkis.Orleans.Abstractions.Ledger;

namespace Linkis.Orleans.Grains.Ledger;

[GenerateSerializer, Immutable, Alias("Linkis.LedgerDirectoryState")]
public sealed record LedgerDirectoryState([property: Id(0)] ImmutableSortedSet<string> Keys)
{
    public LedgerDirectoryState() : this(ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal)) { }
}

/// <summary>Remembers which ledgers exist, so they can be listed.</summary>
public sealed class LedgerDirectoryGrain(
    [PersistentState("ledgerDirectory", StorageNames.Linkis)] IPersistentState<LedgerDirectoryState> state) : Grain, ILedgerDirectoryGrain, ILedgerDirectoryWriter
{
    public async Task Register(string ledgerKey)
    {
        if (state.State.Keys.Contains(ledgerKey))
        {
            return;
        }

        state.State = new LedgerDirectoryState(state.State.Keys.Add(ledgerKey));
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Keys]);
}
