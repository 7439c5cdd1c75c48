using System.Globalization;
using Linkis.Orleans.Cli.Http;

namespace Linkis.Orleans.Cli.Output;

/// <summary>A refused request on stderr: the status and title, the detail, each field error, and what else helps act on it.</summary>
public static class ProblemPrinter
{
    private const int MaxBodyShown = 500;

    public static void Print(ApiProblemException refused, TextWriter error, string? hint = null)
    {
        var status = (int)refused.Status;
        if (refused.Problem is not { } problem)
        {
            error.WriteLine($"linkis: the server answered {status} {refused.Status}");
            if (refused.Body.Trim() is { Length: > 0 } body)
            {
                error.WriteLine(Indent(body.Length > MaxBodyShown ? body[..MaxBodyShown] + "…" : body));
            }
        }
        else
        {
            error.WriteLine($"linkis: {status} {problem.Title ?? refused.Status.ToString()}");
            if (problem.Detail is { Length: > 0 } detail)
            {
                error.WriteLine(Indent(detail));
            }

            var errors = problem.Errors().ToList();
            // The API's detail of one bad field is that field's error: print it once.
            if (errors is not [var only] || $"{only.Field}: {only.Message}" != problem.Detail)
            {
                foreach (var field in errors)
                {
                    error.WriteLine(Indent(field.Field is { Length: > 0 } name ? $"- {name}: {field.Message}" : $"- {field.Message}"));
                }
            }

            if (problem.LogTail is { Count: > 0 } tail)
            {
                error.WriteLine("  the end of the engine's log:");
                foreach (var line in tail)
                {
                    error.WriteLine("    " + line);
                }
            }

            if (problem.WaitedSeconds is { } waited)
            {
                error.WriteLine(Indent(string.Create(CultureInfo.InvariantCulture, $"waited {waited:0.#} s in the queue for room")));
            }

            if (problem.TraceId is { Length: > 0 } traceId)
            {
                error.WriteLine($"  trace id: {traceId}");
            }
        }

        if (refused.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  try again after {retryAfter.TotalSeconds:0} s"));
        }

        if (hint is not null)
        {
            error.WriteLine($"  {hint}");
        }
    }

    private static string Indent(string text) => "  " + text.ReplaceLineEndings("\n  ");
}
