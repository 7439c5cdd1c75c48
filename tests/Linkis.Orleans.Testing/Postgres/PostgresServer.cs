using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace Linkis.Orleans.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL server (initdb + pg_ctl) in a temporary directory, listening on 127.0.0.1.
/// Requires the PostgreSQL server binaries; fails (never skips) when they are missing.
/// When the current process is root, the server runs as the <c>postgres</c> system user.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    /// <summary>The message of the exception thrown when no server binaries can be found.</summary>
    public const string BinariesNotFoundMessage =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found; install them with `apt-get install postgresql`";

    private const string ServiceUser = "postgres";
    private const string DefaultDatabase = "linkis";
    private const string OwnerFileName = "owner.pid";
    private const string ServerPidFileName = "server.pid";
    private const int StartAttempts = 5;

    private static readonly ConcurrentDictionary<PostgresServer, byte> Live = new();
    private static int _exitHookInstalled;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string? _runAs;
    private bool _running;
    private bool _disposed;

    private PostgresServer(string binDirectory, string rootDirectory, int port, string? runAs)
    {
        BinDirectory = binDirectory;
        RootDirectory = rootDirectory;
        DataDirectory = Path.Combine(rootDirectory, "data");
        LogFile = Path.Combine(rootDirectory, "log");
        Port = port;
        _runAs = runAs;
        ConnectionString = BuildConnectionString(port, DefaultDatabase, pooling: true);
    }

    /// <summary>Npgsql connection string for the <c>linkis</c> database.</summary>
    public string ConnectionString { get; }

    /// <summary>TCP port on 127.0.0.1; stays the same across <see cref="StopAsync"/> / <see cref="StartAgainAsync"/>.</summary>
    public int Port { get; }

    /// <summary>The cluster's data directory (<c>&lt;temp dir&gt;/data</c>).</summary>
    public string DataDirectory { get; }

    /// <summary>Directory holding initdb, pg_ctl and postgres.</summary>
    public string BinDirectory { get; }

    /// <summary>The temporary directory that holds everything (data, log, unix socket); deleted on dispose.</summary>
    public string RootDirectory { get; }

    /// <summary>The server log (appended to by every start).</summary>
    public string LogFile { get; }

    /// <summary>Whether the server is currently started (as far as this object knows).</summary>
    public bool IsRunning => _running;

    /// <summary>Creates a cluster in a new temporary directory, starts it and creates the <c>linkis</c> database.</summary>
    /// <exception cref="InvalidOperationException">The server binaries are missing, or a step failed.</exception>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var binDirectory = await FindBinDirectoryAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(BinariesNotFoundMessage);

        var runAs = IsRoot() ? ServiceUser : null;
        if (runAs is not null)
        {
            await EnsureServiceUserAsync(cancellationToken).ConfigureAwait(false);
        }

        await CleanUpOrphansAsync(binDirectory, runAs, cancellationToken).ConfigureAwait(false);

        var root = CreateRootDirectory(runAs is not null);
        PostgresServer? server = null;
        try
        {
            WriteOwnerFile(root);
            if (runAs is not null)
            {
                File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101); // 755: traversable for postgres
                await ProcessRunner.RunAsync("chown", ["-R", runAs + ":", root], null, root, cancellationToken)
                    .ConfigureAwait(false);
            }

            await ProcessRunner.RunAsync(
                Path.Combine(binDirectory, "initdb"),
                ["-D", Path.Combine(root, "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"],
                runAs,
                root,
                cancellationToken).ConfigureAwait(false);

            // A port picked as free can be taken before the postmaster binds it; retry with another one.
            for (var attempt = 1; ; attempt++)
            {
                server = new PostgresServer(binDirectory, root, PickPort(), runAs);
                try
                {
                    await server.PgCtlStartAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (InvalidOperationException ex) when (attempt < StartAttempts && IsBindFailure(ex))
                {
                    // try again with a new port
                }
            }

            server._running = true;
            Register(server);
            await server.CreateDatabaseCoreAsync(DefaultDatabase, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                TestDirectories.DeleteQuietly(root);
            }

            throw;
        }
    }

    /// <summary>Stops the server (<c>pg_ctl stop -m fast</c>). Does nothing when it is already stopped.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_disposed || !_running)
            {
                return;
            }

            await PgCtlAsync(["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "50"], cancellationToken)
                .ConfigureAwait(false);
            _running = false;
            TryDeleteFile(Path.Combine(RootDirectory, ServerPidFileName));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts the same data directory again on the same port. Does nothing when it is running.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_running)
            {
                return;
            }

            // The port is outside the ephemeral range, but something may hold it briefly; retry a few times.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await PgCtlStartAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (InvalidOperationException ex) when (attempt < StartAttempts && IsBindFailure(ex))
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
            }

            _running = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Creates a new, empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await CreateDatabaseCoreAsync(name, cancellationToken).ConfigureAwait(false);
        return BuildConnectionString(Port, name, pooling: true);
    }

    /// <summary>Stops the server immediately and deletes the temporary directory. Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Live.TryRemove(this, out _);
            try
            {
                if (_running || File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                {
                    await ProcessRunner.RunAsync(
                        Path.Combine(BinDirectory, "pg_ctl"),
                        ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30"],
                        _runAs,
                        RootDirectory,
                        CancellationToken.None,
                        throwOnFailure: false).ConfigureAwait(false);
                }
            }
            catch (Exception)
            {
                // never throw from dispose
            }

            _running = false;
            KillIfStillRunning(RootDirectory);
            TestDirectories.DeleteQuietly(RootDirectory);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override string ToString() => $"PostgreSQL on 127.0.0.1:{Port} ({DataDirectory})";

    // ---- server control -------------------------------------------------------------------------------------

    private async Task PgCtlStartAsync(CancellationToken cancellationToken)
    {
        var options = string.Join(' ',
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            $"-k '{RootDirectory}'",
            "-c listen_addresses=127.0.0.1",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=200");
        var logStart = FileLength(LogFile);
        try
        {
            await PgCtlAsync(["start", "-w", "-t", "50", "-D", DataDirectory, "-l", LogFile, "-o", options], cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL failed to start on port {Port}.\n{ex.Message}\n--- server log (tail) ---\n{ReadTail(LogFile, logStart)}", ex);
        }

        var pid = ReadPid(Path.Combine(DataDirectory, "postmaster.pid"));
        if (pid is not null)
        {
            File.WriteAllText(Path.Combine(RootDirectory, ServerPidFileName), pid.Value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private Task<ProcessResult> PgCtlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(Path.Combine(BinDirectory, "pg_ctl"), arguments, _runAs, RootDirectory, cancellationToken);

    private static bool IsBindFailure(Exception ex) =>
        ex.Message.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
        || ex.Message.Contains("Address already in use", StringComparison.OrdinalIgnoreCase);

    private async Task CreateDatabaseCoreAsync(string name, CancellationToken cancellationToken)
    {
        var admin = BuildConnectionString(Port, "postgres", pooling: false);
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // the identifier is quoted
        command.CommandText = "CREATE DATABASE \"" + name.Replace("\"", "\"\"") + "\"";
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string BuildConnectionString(int port, string database, bool pooling) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = database,
            Pooling = pooling,
            Timeout = 5,
            CommandTimeout = 30,
        }.ConnectionString;

    // ---- discovery ------------------------------------------------------------------------------------------

    internal static async Task<string?> FindBinDirectoryAsync(CancellationToken cancellationToken)
    {
        var pgConfig = FindOnPath("pg_config");
        if (pgConfig is not null)
        {
            try
            {
                var result = await ProcessRunner.RunAsync(pgConfig, ["--bindir"], null, null, cancellationToken)
                    .ConfigureAwait(false);
                var dir = result.StandardOutput.Trim();
                if (HasServerBinaries(dir))
                {
                    return dir;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // fall back to the Debian layout
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        return Directory.EnumerateDirectories(debianRoot)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: ParseVersion(Path.GetFileName(d))))
            .Where(x => HasServerBinaries(x.Dir))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    private static Version ParseVersion(string name) =>
        Version.TryParse(name.Contains('.') ? name : name + ".0", out var v) ? v : new Version(0, 0);

    private static bool HasServerBinaries(string dir) =>
        dir.Length > 0 && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    // ---- users, directories, ports --------------------------------------------------------------------------

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    private static bool IsRoot()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return GetEffectiveUserId() == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return Environment.UserName == "root";
        }
    }

    private static bool UserExists(string user) =>
        File.Exists("/etc/passwd")
        && File.ReadLines("/etc/passwd").Any(l => l.StartsWith(user + ":", StringComparison.Ordinal));

    private static async Task EnsureServiceUserAsync(CancellationToken cancellationToken)
    {
        if (UserExists(ServiceUser))
        {
            return;
        }

        try
        {
            await ProcessRunner.RunAsync("useradd", ["--system", "--no-create-home", ServiceUser], null, null, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            if (!UserExists(ServiceUser)) // another process may have created it concurrently
            {
                throw new InvalidOperationException(
                    $"PostgreSQL refuses to run as root and the '{ServiceUser}' system user does not exist and could not be created. "
                    + "Install the postgresql package (it creates the user) or create it with `useradd --system --no-create-home postgres`.\n"
                    + ex.Message, ex);
            }
        }
    }

    private static string CreateRootDirectory(bool mustBeTraversable)
    {
        var dir = Directory.CreateTempSubdirectory("pg-").FullName;
        if (!mustBeTraversable || AncestorsTraversable(Path.GetDirectoryName(dir)!))
        {
            return dir;
        }

        // e.g. TMPDIR under /root: the postgres user could not reach it; use /tmp instead.
        Directory.Delete(dir);
        while (true)
        {
            var candidate = Path.Combine("/tmp", "pg-" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)[..8]);
            if (!Directory.Exists(candidate))
            {
                Directory.CreateDirectory(candidate, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                return candidate;
            }
        }
    }

    private static bool AncestorsTraversable(string dir)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
        {
            if ((d.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int PickPort()
    {
        // Stay below the ephemeral range so that outgoing connections cannot grab the port while the server is
        // stopped (tests stop it and start it again on the same port).
        var ephemeralLow = 32768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception)
        {
            // keep the default
        }

        const int low = 20000;
        if (ephemeralLow - low >= 1000)
        {
            for (var i = 0; i < 100; i++)
            {
                var port = Random.Shared.Next(low, ephemeralLow);
                if (IsPortFree(port))
                {
                    return port;
                }
            }
        }

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var any = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return any;
    }

    private static bool IsPortFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // ---- orphan handling ------------------------------------------------------------------------------------

    private static void WriteOwnerFile(string root)
    {
        var pid = Environment.ProcessId;
        var content = pid.ToString(CultureInfo.InvariantCulture) + " " + (ReadStartTime(pid) ?? "?");
        var temp = Path.Combine(root, OwnerFileName + ".tmp");
        File.WriteAllText(temp, content);
        File.Move(temp, Path.Combine(root, OwnerFileName)); // atomic: readers never see a half-written file
    }

    /// <summary>Process start time (clock ticks since boot) from /proc, to tell a live owner from a reused pid.</summary>
    private static string? ReadStartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[19]; // field 22 overall; fields[0] is field 3 (state)
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static bool IsOwnerAlive(string ownerFile)
    {
        string[] parts;
        try
        {
            parts = File.ReadAllText(ownerFile).Trim().Split(' ');
        }
        catch (Exception)
        {
            return true; // cannot tell: leave it alone
        }

        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return true;
        }

        if (OperatingSystem.IsLinux())
        {
            var startTime = ReadStartTime(pid);
            return startTime is not null && (parts.Length < 2 || parts[1] == "?" || parts[1] == startTime);
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task CleanUpOrphansAsync(string binDirectory, string? runAs, CancellationToken cancellationToken)
    {
        var bases = new[] { Path.GetTempPath(), "/tmp" }
            .Where(Directory.Exists)
            .Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p)))
            .Distinct(StringComparer.Ordinal);
        foreach (var baseDir in bases)
        {
            IEnumerable<string> candidates;
            try
            {
                candidates = Directory.GetDirectories(baseDir, "pg-*");
            }
            catch (Exception)
            {
                continue;
            }

            foreach (var root in candidates)
            {
                var ownerFile = Path.Combine(root, OwnerFileName);
                if (!File.Exists(ownerFile) || IsOwnerAlive(ownerFile))
                {
                    continue; // not ours, being created, or its test process is still running
                }

                var data = Path.Combine(root, "data");
                try
                {
                    if (File.Exists(Path.Combine(data, "postmaster.pid")))
                    {
                        await ProcessRunner.RunAsync(
                            Path.Combine(binDirectory, "pg_ctl"),
                            ["stop", "-D", data, "-m", "immediate", "-w", "-t", "30"],
                            runAs,
                            root,
                            cancellationToken,
                            throwOnFailure: false).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
                {
                    // fall through to the kill below
                }

                KillIfStillRunning(root);
                TestDirectories.DeleteQuietly(root);
            }
        }
    }

    /// <summary>SIGKILLs the postmaster recorded for <paramref name="root"/> if it is still a postgres for that data dir.</summary>
    private static void KillIfStillRunning(string root)
    {
        var data = Path.Combine(root, "data");
        var pid = ReadPid(Path.Combine(root, ServerPidFileName)) ?? ReadPid(Path.Combine(data, "postmaster.pid"));
        if (pid is null || !IsPostmasterFor(pid.Value, data))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid.Value);
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception)
        {
            // gone already, or not ours to kill
        }
    }

    private static bool IsPostmasterFor(int pid, string dataDirectory)
    {
        try
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return args.Length > 0 && Path.GetFileName(args[0]) is "postgres" or "postmaster" && args.Contains(dataDirectory);
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static int? ReadPid(string file)
    {
        try
        {
            var first = File.ReadLines(file).FirstOrDefault()?.Trim();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    // ---- process exit safety net ----------------------------------------------------------------------------

    private static void Register(PostgresServer server)
    {
        Live.TryAdd(server, 0);
        if (Interlocked.Exchange(ref _exitHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var live in Live.Keys)
                {
                    try
                    {
                        live.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(15));
                    }
                    catch (Exception)
                    {
                        // best effort
                    }
                }
            };
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static long FileLength(string file)
    {
        try
        {
            return File.Exists(file) ? new FileInfo(file).Length : 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    /// <summary>The last <paramref name="maxChars"/> characters written to <paramref name="file"/> after <paramref name="from"/>.</summary>
    private static string ReadTail(string file, long from, int maxChars = 4000)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Max(from, stream.Length - (maxChars * 4L)), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            return text.Length <= maxChars ? text : "..." + text[^maxChars..];
        }
        catch (Exception ex)
        {
            return $"<could not read {file}: {ex.Message}>";
        }
    }

    private static void TryDeleteFile(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception)
        {
            // ignore
        }
    }
}
