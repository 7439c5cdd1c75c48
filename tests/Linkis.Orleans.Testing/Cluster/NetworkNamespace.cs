using System.Globalization;
using System.Net;

namespace Linkis.Orleans.Testing.Cluster;

/// <summary>
/// A Linux network namespace of a <see cref="NetworkLab"/>, attached to the lab's switch by a veth pair: its end in here
/// is <c>eth0</c> with <see cref="Address"/>, its other end a port of the switch's bridge, which
/// <see cref="NetworkLab.CutAsync"/> takes down.
/// </summary>
public sealed class NetworkNamespace
{
    internal NetworkNamespace(string name, string label, IPAddress address, string switchPort)
    {
        Name = name;
        Label = label;
        Address = address;
        SwitchPort = switchPort;
    }

    /// <summary>The namespace's name, as <c>ip netns list</c> shows it.</summary>
    public string Name { get; }

    /// <summary>What the test called it (e.g. the node that runs in it).</summary>
    public string Label { get; }

    /// <summary>Its address on the lab's private subnet: the only address it has besides its loopback.</summary>
    public IPAddress Address { get; }

    /// <summary>Its link's interface on the switch's bridge.</summary>
    internal string SwitchPort { get; }

    /// <summary>Whether its link is cut now.</summary>
    public bool IsCut { get; internal set; }

    /// <summary>The command prefix that runs a program in here: <c>ip netns exec &lt;name&gt;</c>, which execs the program.</summary>
    public IReadOnlyList<string> ExecPrefix => ["ip", "netns", "exec", Name];

    /// <summary>Where a silo in here runs: on <see cref="Address"/>, through <see cref="ExecPrefix"/>.</summary>
    public NodeNetwork NodeNetwork(IPEndPoint? databaseEndpoint = null) => new(Address, ExecPrefix, databaseEndpoint);

    /// <summary>The processes running in this namespace (<c>ip netns pids</c>).</summary>
    public async Task<IReadOnlyList<int>> PidsAsync() => ParsePids(await IpCommand.RunAsync("netns", "pids", Name));

    internal static IReadOnlyList<int> ParsePids(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];

    public override string ToString() => $"{Name} ({Address}{(IsCut ? ", cut" : "")})";
}
