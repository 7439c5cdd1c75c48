namespace Linkis.Orleans.Grains.Nodes;

/// <summary>What re-attaching to a recorded engine host found: the live host, or how it was lost.</summary>
public sealed record Reattachment(IEngineHostHandle? Handle, ProcessExit? Lost)
{
    public static Reattachment Attached(IEngineHostHandle handle) => new(handle, null);

    public static Reattachment Gone(ProcessExit exit) => new(null, exit);
}
