using System.Text.Json;
using Linkis.Orleans.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// Puts the problems the framework writes by itself into the API's one problem shape: validation problems (a
/// dictionary of C# member paths to messages) get <c>errors</c> as <c>{field, message}</c> with the JSON names
/// (<c>timeoutSeconds</c>, <c>labels</c>) and a detail listing them; a body refused for its size or media type gets
/// a detail that says how to send it.
/// </summary>
public static class ProblemShapes
{
    public static void Customize(ProblemDetailsContext context)
    {
        switch (context.ProblemDetails)
        {
            case HttpValidationProblemDetails validation:
                context.ProblemDetails = FromValidation(validation);
                break;
            case { Status: StatusCodes.Status413PayloadTooLarge, Detail: null } tooLarge:
                var limit = context.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxBodyBytes;
                var message = $"is larger than {limit} bytes, the most this API takes ({ApiOptions.SectionName}:MaxBodyBytes)";
                tooLarge.Title = "The request body is too large";
                tooLarge.Detail = $"body: {message}";
                tooLarge.Extensions[LinkisProblems.Errors] = LinkisProblems.ErrorList([new ValidationError("body", message)]);
                break;
            case { Status: StatusCodes.Status415UnsupportedMediaType, Detail: null } unsupported:
                unsupported.Detail = $"The body was sent as '{context.HttpContext.Request.ContentType}'; send it as JSON, with the header Content-Type: application/json.";
                break;
        }
    }

    private static ProblemDetails FromValidation(HttpValidationProblemDetails validation)
    {
        var errors = validation.Errors
            .SelectMany(e => e.Value.Select(message => new ValidationError(JsonPath(e.Key), message)))
            .ToList();
        var problem = new ProblemDetails
        {
            Type = validation.Type,
            Status = validation.Status ?? StatusCodes.Status400BadRequest,
            Title = "The request is not valid",
            Detail = string.Join("; ", errors),
            Instance = validation.Instance,
        };
        foreach (var (key, value) in validation.Extensions)
        {
            problem.Extensions[key] = value;
        }

        problem.Extensions[LinkisProblems.Errors] = LinkisProblems.ErrorList(errors);
        return problem;
    }

    /// <summary><c>TimeoutSeconds</c> → <c>timeoutSeconds</c>, <c>Items[1].Name</c> → <c>items[1].name</c>.</summary>
    private static string JsonPath(string memberPath) =>
        string.Join('.', memberPath.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
}
