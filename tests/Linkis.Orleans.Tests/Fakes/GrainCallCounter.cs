using System.Collections.Concurrent;

namespace Linkis.Orleans.Tests.Fakes;

/// <summary>Counts the grain calls each silo's grains receive, by interface method name: what a test says must (not) be called.</summary>
public sealed class GrainCallCounter : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(string Method, SiloAddress? Silo), int> _calls = new();

    public Task Invoke(IIncomingGrainCallContext context)
    {
        _calls.AddOrUpdate((context.InterfaceMethod.Name, context.TargetContext.Address.SiloAddress), 1, (_, n) => n + 1);
        return context.Invoke();
    }

    /// <summary>Calls of <paramref name="method"/> received so far, on <paramref name="silo"/> or on any silo.</summary>
    public int Count(string method, SiloAddress? silo = null) =>
        _calls.Where(c => c.Key.Method == method && (silo is null || silo.Equals(c.Key.Silo))).Sum(c => c.Value);
}
