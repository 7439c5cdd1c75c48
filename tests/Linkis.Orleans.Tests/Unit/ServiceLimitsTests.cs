using System.Globalization;
using System.Reflection;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Grains.Engines;
using Linkis.Orleans.Grains.Nodes;

namespace Linkis.Orleans.Tests.Unit;

/// <summary>
/// Each limit is defined once, and the response timeouts of the grain calls that wait on one are derived from it:
/// attributes need constant strings, so this checks each string against its limit, and each call against its string.
/// </summary>
public sealed class ServiceLimitsTests
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(ServiceLimits.CallMarginSeconds);

    public static TheoryData<string, string, int> CallTimeouts => new()
    {
        { nameof(ServiceLimits.AskCallTimeout), ServiceLimits.AskCallTimeout, ServiceLimits.MaxAskTimeoutSeconds + ServiceLimits.MaxKillGraceSeconds },
        { nameof(ServiceLimits.StartCallTimeout), ServiceLimits.StartCallTimeout, ServiceLimits.MaxStartTimeoutSeconds + ServiceLimits.MaxKillGraceSeconds },
        { nameof(ServiceLimits.ExecuteCallTimeout), ServiceLimits.ExecuteCallTimeout, ServiceLimits.MaxExecuteTimeoutSeconds },
        { nameof(ServiceLimits.StopCallTimeout), ServiceLimits.StopCallTimeout, ServiceLimits.MaxKillGraceSeconds },
    };

    [Theory]
    [MemberData(nameof(CallTimeouts))]
    public void A_call_timeout_is_its_limit_plus_the_margin(string name, string callTimeout, int limitSeconds) =>
        Assert.True(TimeSpan.FromSeconds(limitSeconds) + Margin == TimeSpan.Parse(callTimeout, CultureInfo.InvariantCulture),
            $"{name} is {callTimeout}; it must be its limit, {limitSeconds} s, plus {ServiceLimits.CallMarginSeconds} s");

    public static TheoryData<Type, string, string> WaitingCalls => new()
    {
        { typeof(IAppManagerGrain), nameof(IAppManagerGrain.Ask), ServiceLimits.AskCallTimeout },
        { typeof(IEngineLifecycle), nameof(IEngineLifecycle.Start), ServiceLimits.StartCallTimeout },
        { typeof(INodeManagerGrain), nameof(INodeManagerGrain.WaitUntilReady), ServiceLimits.StartCallTimeout },
        { typeof(IEngineConnGrain), nameof(IEngineConnGrain.Execute), ServiceLimits.ExecuteCallTimeout },
        { typeof(INodeManagerGrain), nameof(INodeManagerGrain.Execute), ServiceLimits.ExecuteCallTimeout },
        { typeof(IEngineConnGrain), nameof(IEngineConnGrain.Kill), ServiceLimits.StopCallTimeout },
        { typeof(INodeManagerGrain), nameof(INodeManagerGrain.Stop), ServiceLimits.StopCallTimeout },
    };

    [Theory]
    [MemberData(nameof(WaitingCalls))]
    public void A_call_that_waits_on_a_limit_times_out_after_it(Type grain, string method, string callTimeout)
    {
        var attribute = grain.GetMethod(method)!.GetCustomAttribute<ResponseTimeoutAttribute>();
        Assert.NotNull(attribute);
        Assert.Equal(TimeSpan.Parse(callTimeout, CultureInfo.InvariantCulture), attribute.Timeout);
    }
}
