using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace Linkis.Orleans.Tests.Fakes;

/// <summary>Grain state kept by the test fixture, so it outlives the silos that read and write it (as a database would).</summary>
public sealed class SharedGrainStore
{
    public ConcurrentDictionary<string, (byte[] Data, string ETag)> Items { get; } = new(StringComparer.Ordinal);

    /// <summary>Called with a write's key before it is stored: a test holds writes (a slow database), or throws (a failing one).</summary>
    public Func<string, Task>? BeforeWrite { get; set; }
}

/// <summary>
/// Grain storage over a <see cref="SharedGrainStore"/>: state written with Orleans' serializer (as production does),
/// with ETags checked, so two activations over one state behave as they would over a real database.
/// </summary>
public sealed class SharedGrainStorage(SharedGrainStore store, Serializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (store.Items.TryGetValue(Key(stateName, grainId), out var item))
        {
            grainState.State = serializer.Deserialize<T>(item.Data);
            grainState.ETag = item.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        if (store.BeforeWrite is { } beforeWrite)
        {
            await beforeWrite(key);
        }

        var etag = Guid.NewGuid().ToString("N");
        var written = (serializer.SerializeToArray(grainState.State), etag);
        var stored = grainState.ETag is null
            ? store.Items.TryAdd(key, written)
            : store.Items.TryGetValue(key, out var existing) && existing.ETag == grainState.ETag && store.Items.TryUpdate(key, written, existing);
        if (!stored)
        {
            throw new InconsistentStateException($"{key} was written by someone else meanwhile", store.Items.TryGetValue(key, out var now) ? now.ETag : "none", grainState.ETag ?? "none");
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        store.Items.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";
}
