using System.Diagnostics;
using Linkis.Orleans.Grains.Nodes;

namespace Linkis.Orleans.Tests.Processes;

/// <summary>
/// What an engine's user may leave under the names of its logs and exit record: the node opens only plain files of
/// their own, never a link's target, and never waits on a FIFO.
/// </summary>
public sealed class EngineFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("linkis-engine-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_plain_file_is_read_and_appended_to()
    {
        var path = Path.Combine(_dir, "stderr.log");
        using (var log = EngineFiles.OpenAppend(path)!)
        {
            log.Write("early\n"u8);
        }

        using var read = EngineFiles.OpenRead(path)!;
        Assert.Equal("early\n", new StreamReader(read).ReadToEnd());
        Assert.Equal(["early"], LogTail.Read(path, 10));
    }

    [Fact]
    public void A_symbolic_link_is_not_followed_for_reading_or_writing()
    {
        var secret = Path.Combine(_dir, "secret");
        File.WriteAllText(secret, "root:$6$hash\n");
        var log = Path.Combine(_dir, "stdout.log");
        File.CreateSymbolicLink(log, secret);

        Assert.Null(EngineFiles.OpenRead(log));
        Assert.Empty(LogTail.Read(log, 10));
        Assert.Null(EngineFiles.OpenAppend(log));
        Assert.Equal("root:$6$hash\n", File.ReadAllText(secret));
    }

    [Fact]
    public async Task A_hard_link_is_not_read()
    {
        var other = Path.Combine(_dir, "other");
        File.WriteAllText(other, "someone else's\n");
        var log = Path.Combine(_dir, "stdout.log");
        await RunAsync("ln", other, log);

        Assert.Null(EngineFiles.OpenRead(log));
    }

    [Fact]
    public async Task A_fifo_is_not_waited_on()
    {
        var log = Path.Combine(_dir, "stdout.log");
        await RunAsync("mkfifo", log);

        // Opening a FIFO without O_NONBLOCK would block until a writer came: nobody will.
        var read = await Task.Run(() => EngineFiles.OpenRead(log)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(read);
        Assert.Empty(LogTail.Read(log, 10));
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, process.ExitCode);
    }
}
