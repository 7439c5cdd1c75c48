using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Tests.Grains;

[Collection(FakeClusterCollection.Name)]
public sealed class WorkDirSweepTests(FakeClusterFixture fixture)
{
    [Fact]
    public async Task Work_dirs_of_engines_ended_longer_ago_than_the_retention_are_deleted()
    {
        var root = Path.GetFullPath(fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IOptions<NodeOptions>>().Value.WorkRoot);
        var old = Directory.CreateDirectory(Path.Combine(root, "old" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var recent = Directory.CreateDirectory(Path.Combine(root, "new" + Guid.NewGuid().ToString("N")[..8])).FullName;
        File.WriteAllText(Path.Combine(old, "stdout.log"), "bye");
        // What the engine's user left: a link to something outside, in a tree that user owns (nobody's here, when root).
        var outside = Directory.CreateTempSubdirectory("linkis-sweep-outside-").FullName;
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "not the engine's");
        Directory.CreateSymbolicLink(Path.Combine(old, "data"), outside);
        if (Environment.UserName == "root")
        {
            using var chown = System.Diagnostics.Process.Start("chown", ["-hR", "65534:65534", old]);
            await chown.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        Directory.SetLastWriteTimeUtc(old, fixture.Time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(2));
        Directory.SetLastWriteTimeUtc(recent, fixture.Time.GetUtcNow().UtcDateTime + TimeSpan.FromHours(1));
        var running = (await fixture.Grains.GetGrain<IAppManagerGrain>(0).Ask(new EngineAsk
        {
            Labels = new Dictionary<string, string?> { ["userCreator"] = "sweep-IDE", ["engineType"] = "shell-1" },
            // The clock moves minutes a round until the sweep comes: the engine must not idle out meanwhile (its work
            // dir would then rightly go).
            Properties = new Dictionary<string, string> { ["idleTimeout"] = "1d" },
            Reuse = false,
        })).Engine!;
        var runningDir = Directory.CreateDirectory(Path.Combine(root, running.EngineId)).FullName;
        Directory.SetLastWriteTimeUtc(runningDir, fixture.Time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(2));

        await Eventually.Until(() => Task.FromResult(Directory.Exists(old)), exists => !exists, "the old work dir to be swept",
            eachRound: () => fixture.Advance(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)));

        Assert.True(File.Exists(Path.Combine(outside, "keep.txt")), "the sweep followed the engine's link out of its work dir");
        Directory.Delete(outside, recursive: true);
        Assert.True(Directory.Exists(recent));
        Assert.True(Directory.Exists(runningDir), "a running engine's work dir is never swept");
        Directory.Delete(recent);
        Directory.Delete(runningDir);
    }
}
