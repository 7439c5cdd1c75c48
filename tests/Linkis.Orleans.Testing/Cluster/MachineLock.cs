namespace Linkis.Orleans.Testing.Cluster;

/// <summary>
/// An exclusive lock shared by every process on this machine: a file held open with <see cref="FileShare.None"/>, which
/// .NET takes with flock(2), so the kernel drops it when its holder dies.
/// </summary>
public sealed class MachineLock : IAsyncDisposable
{
    private readonly FileStream _file;

    private MachineLock(FileStream file) => _file = file;

    public static async Task<MachineLock> AcquireAsync(string path, TimeSpan deadline)
    {
        FileStream? file = null;
        var last = "";
        await Eventually.Until(() =>
            {
                try
                {
                    file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return true;
                }
                catch (IOException e)
                {
                    last = e.Message;
                    return false;
                }
            },
            $"the machine-wide lock {path}", deadline, () => last);
        return new MachineLock(file!);
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
