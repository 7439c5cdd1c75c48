using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Linkis.Orleans.Testing.Cluster;

/// <summary>
/// A private network of Linux network namespaces on this machine, made and removed with iproute2: a "switch" namespace
/// holding a bridge, and one namespace per <see cref="AddNamespaceAsync"/>, each attached to the bridge by a veth pair
/// with one address of the lab's subnet (<c>10.213.&lt;k&gt;.0/24</c>, a <c>k</c> no address or route of this machine
/// uses). The test process (the root namespace) is attached too, at <see cref="RootAddress"/>, to reach what runs in
/// the namespaces; nothing else is added to the root namespace. Cutting a namespace takes its port on the bridge down: a
/// pulled cable — packets to and from it are dropped, nothing is refused. Names carry this process's pid, so parallel
/// runs never collide and a run that crashed is recognised and cleaned up by the next one (<see cref="NetworkLabLeftovers"/>).
/// Disposing kills whatever still runs in the namespaces and removes them all.
/// </summary>
public sealed partial class NetworkLab : IAsyncDisposable
{
    /// <summary>Every namespace of every lab is named <c>lknet-&lt;owner pid&gt;-&lt;lab&gt;-&lt;label&gt;</c>.</summary>
    public const string NamespacePrefix = "lknet-";

    /// <summary>The root namespace's end of a lab is named <c>lkn&lt;owner pid&gt;x&lt;lab&gt;</c> (at most 15 characters).</summary>
    public const string RootLinkPrefix = "lkn";

    private const string Bridge = "br0";
    private const string SubnetPrefix = "10.213.";
    private const int FirstHost = 10;
    private const int MaxLabsPerProcess = 100;
    private static readonly Lazy<string?> Unavailability = new(FindUnavailability);
    private static int _labs = -1;

    private readonly List<NetworkNamespace> _namespaces = [];
    private readonly List<TcpRelay> _relays = [];
    private readonly Action<string>? _log;
    private readonly string _namespaceStem;
    private bool _switchMade;
    private bool _disposed;

    private NetworkLab(int index, int subnet, Action<string>? log)
    {
        _log = log;
        _namespaceStem = $"{NamespacePrefix}{Environment.ProcessId}-{index}-";
        SubnetOctet = subnet;
        SwitchNamespace = _namespaceStem + "sw";
        RootLink = $"{RootLinkPrefix}{Environment.ProcessId}x{index}";
        RootAddress = HostAddress(1);
    }

    /// <summary>The namespace holding the bridge every other namespace's link is plugged into.</summary>
    public string SwitchNamespace { get; }

    /// <summary>The root namespace's interface into the lab.</summary>
    public string RootLink { get; }

    /// <summary>The test process's address in the lab: what runs in a namespace reaches the test (and its relays) here.</summary>
    public IPAddress RootAddress { get; }

    /// <summary>The lab's subnet, e.g. <c>10.213.7.0/24</c>.</summary>
    public string Subnet => $"{SubnetPrefix}{SubnetOctet}.0/24";

    public IReadOnlyList<NetworkNamespace> Namespaces => _namespaces;

    private int SubnetOctet { get; }

    /// <summary>Why no lab can be made here (not root, no <c>ip</c>, no <c>ip netns</c>), or null when one can.</summary>
    public static string? WhyUnavailable() => Unavailability.Value;

    /// <summary>
    /// Removes what crashed runs left, picks a free subnet and makes the switch and the root namespace's link into it.
    /// </summary>
    public static async Task<NetworkLab> CreateAsync(Action<string>? log = null)
    {
        var index = Interlocked.Increment(ref _labs);
        if (index >= MaxLabsPerProcess)
        {
            throw new InvalidOperationException($"At most {MaxLabsPerProcess} network labs per process: their names must stay within 15 characters.");
        }

        // Machine-wide, so two runs starting at once neither pick the same subnet nor sweep each other's half-made lab.
        await using var _ = await MachineLock.AcquireAsync("/run/lknet.lock", TimeSpan.FromSeconds(60));
        await NetworkLabLeftovers.RemoveAsync(log);
        var lab = new NetworkLab(index, await FreeSubnetOctetAsync(), log);
        try
        {
            await lab.MakeSwitchAsync();
            log?.Invoke($"network lab {lab.Subnet}: switch {lab.SwitchNamespace}, root link {lab.RootLink} at {lab.RootAddress}");
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new namespace plugged into the switch, with the next address of the subnet and its loopback up.</summary>
    public async Task<NetworkNamespace> AddNamespaceAsync(string label)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!LabelPattern().IsMatch(label))
        {
            throw new ArgumentException($"A namespace label is 1-20 of a-z, 0-9 and '-': '{label}'", nameof(label));
        }

        var slot = _namespaces.Count;
        var ns = new NetworkNamespace(_namespaceStem + label, label, HostAddress(FirstHost + slot), $"n{slot}");
        _namespaces.Add(ns);
        await IpCommand.RunAsync("netns", "add", ns.Name);
        await IpCommand.RunAsync("-n", ns.Name, "link", "set", "lo", "up");
        // Made in the switch, its peer moved straight into the node's namespace: no name is ever taken in the root namespace.
        await IpCommand.RunAsync("-n", SwitchNamespace, "link", "add", ns.SwitchPort, "type", "veth", "peer", "name", "eth0", "netns", ns.Name);
        await IpCommand.RunAsync("-n", SwitchNamespace, "link", "set", ns.SwitchPort, "master", Bridge, "up");
        await IpCommand.RunAsync("-n", ns.Name, "addr", "add", $"{ns.Address}/24", "dev", "eth0");
        await IpCommand.RunAsync("-n", ns.Name, "link", "set", "eth0", "up");
        _log?.Invoke($"network lab: namespace {ns.Name} at {ns.Address} on switch port {ns.SwitchPort}");
        return ns;
    }

    /// <summary>Takes the namespace's port on the switch down: nothing gets in or out of it until <see cref="RestoreAsync"/>.</summary>
    public async Task CutAsync(NetworkNamespace ns)
    {
        await IpCommand.RunAsync("-n", SwitchNamespace, "link", "set", Own(ns).SwitchPort, "down");
        ns.IsCut = true;
        _log?.Invoke($"network lab: cut {ns}");
    }

    /// <summary>Brings the namespace's port on the switch up again.</summary>
    public async Task RestoreAsync(NetworkNamespace ns)
    {
        await IpCommand.RunAsync("-n", SwitchNamespace, "link", "set", Own(ns).SwitchPort, "up");
        ns.IsCut = false;
        _log?.Invoke($"network lab: restored {ns}");
    }

    /// <summary>
    /// Relays TCP connections made to <see cref="RootAddress"/> (on the relay's own port) to <paramref name="target"/>,
    /// e.g. a server that listens on the root namespace's loopback only; it stops with the lab.
    /// </summary>
    public TcpRelay Relay(IPEndPoint target)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var relay = TcpRelay.Start(RootAddress, target);
        _relays.Add(relay);
        _log?.Invoke($"network lab: relay {relay.Endpoint} -> {target}");
        return relay;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var relay in _relays)
        {
            await relay.DisposeAsync();
        }

        // The root link first: its peer goes with it, so the root namespace never keeps a route into a lab half removed.
        await IpCommand.TryRunAsync("link", "del", RootLink);
        var names = _namespaces.Select(n => n.Name).Append(_switchMade ? SwitchNamespace : null).OfType<string>();
        foreach (var name in names)
        {
            var killed = await NetworkLabLeftovers.RemoveNamespaceAsync(name);
            if (killed > 0)
            {
                _log?.Invoke($"network lab: killed {killed} process(es) still running in {name}");
            }
        }
    }

    private async Task MakeSwitchAsync()
    {
        await IpCommand.RunAsync("netns", "add", SwitchNamespace);
        _switchMade = true;
        await IpCommand.RunAsync("-n", SwitchNamespace, "link", "set", "lo", "up");
        // No spanning tree: a port brought up forwards at once.
        await IpCommand.RunAsync("-n", SwitchNamespace, "link", "add", Bridge, "type", "bridge", "stp_state", "0");
        await IpCommand.RunAsync("-n", SwitchNamespace, "link", "set", Bridge, "up");
        await IpCommand.RunAsync("link", "add", RootLink, "type", "veth", "peer", "name", "root", "netns", SwitchNamespace);
        await IpCommand.RunAsync("-n", SwitchNamespace, "link", "set", "root", "master", Bridge, "up");
        await IpCommand.RunAsync("addr", "add", $"{RootAddress}/24", "dev", RootLink);
        await IpCommand.RunAsync("link", "set", RootLink, "up");
    }

    private NetworkNamespace Own(NetworkNamespace ns) =>
        _namespaces.Contains(ns) ? ns : throw new ArgumentException($"{ns} is not a namespace of this lab", nameof(ns));

    private IPAddress HostAddress(int host) => IPAddress.Parse($"{SubnetPrefix}{SubnetOctet}.{host.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The first <c>k</c> such that no address or route of the root namespace lies in 10.213.k.0/24.</summary>
    private static async Task<int> FreeSubnetOctetAsync()
    {
        var inUse = await IpCommand.RunAsync("-o", "-4", "addr", "show") + await IpCommand.RunAsync("-o", "-4", "route", "show", "table", "all");
        for (var octet = 1; octet < 255; octet++)
        {
            if (!inUse.Contains($"{SubnetPrefix}{octet}.", StringComparison.Ordinal))
            {
                return octet;
            }
        }

        throw new InvalidOperationException($"Every subnet {SubnetPrefix}1-254.0/24 is in use on this machine:\n{inUse}");
    }

    private static string? FindUnavailability()
    {
        if (Environment.UserName != "root")
        {
            return $"network namespaces need root (ip netns add); this runs as {Environment.UserName}";
        }

        var probe = $"{NamespacePrefix}{Environment.ProcessId}-probe";
        try
        {
            var (exitCode, _, stderr) = IpCommand.TryRunAsync("netns", "add", probe).GetAwaiter().GetResult();
            if (exitCode != 0)
            {
                return $"`ip netns add` does not work here: {stderr.Trim()}";
            }

            IpCommand.TryRunAsync("netns", "del", probe).GetAwaiter().GetResult();
            return null;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"iproute2's `ip` cannot be run (apt-get install iproute2): {e.Message}";
        }
    }

    [GeneratedRegex("^[a-z0-9-]{1,20}$")]
    private static partial Regex LabelPattern();
}
