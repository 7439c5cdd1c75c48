using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Client.Api.Models;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// Turns the body of an ask, whose attributes the framework has already checked, into an <see cref="EngineAsk"/>, or
/// the list of what attributes cannot say is wrong with it: its labels and the types of its properties.
/// </summary>
public static class AskBodyParser
{
    public static EngineAsk? Parse(AskBody body, out List<ValidationError> errors)
    {
        // Labels are checked here so a malformed user name never reaches a grain; the AppManager checks the rest.
        _ = LabelParser.TryParse(body.Labels, out _, out var labelErrors);
        errors = [.. labelErrors];

        var properties = PropertyValues.Read(body.Properties, errors);

        if (errors.Count > 0)
        {
            return null;
        }

        return new EngineAsk
        {
            Labels = body.Labels!,
            Properties = properties,
            Reuse = body.Reuse ?? true,
            Lock = body.Lock ?? false,
            Queue = body.Queue,
            Share = body.Share is { } share ? Enum.Parse<ShareLevel>(share, ignoreCase: true) : null,
            Timeout = TimeSpan.FromSeconds(body.TimeoutSeconds ?? ServiceLimits.DefaultAskTimeoutSeconds),
        };
    }
}
