using Linkis.Orleans.Abstractions.Ledger;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Linkis.Orleans.Client.OpenApi;

/// <summary>
/// The one problem shape every error of the API has: RFC 7807's members, the request's <c>traceId</c>, <c>errors</c>
/// (one <c>{field, message}</c> per thing wrong with the input) and <c>logTail</c> (the end of the engine's log, where
/// a start failed). Extension members are allowed, as RFC 7807 says.
/// </summary>
internal static class ProblemSchema
{
    public static Task Apply(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type != typeof(ProblemDetails) && type != typeof(HttpValidationProblemDetails))
        {
            return Task.CompletedTask;
        }

        schema.Type = JsonSchemaType.Object;
        schema.Description = "An RFC 7807 problem: what went wrong, in words a person can act on.";
        schema.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI reference that identifies the problem type."),
            ["title"] = Text("A short summary of the problem."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = Text("What happened, and what to do about it."),
            ["instance"] = Text("The request the problem occurred in."),
            ["traceId"] = Text("The request's trace id: the server's log has the details under it."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "Each thing wrong with the request (400, 413).",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["field"] = Text("The field, parameter or label at fault, e.g. labels.userCreator or timeoutSeconds."),
                        ["message"] = Text("What is wrong with it and how to fix it."),
                    },
                    Required = new HashSet<string> { "field", "message" },
                    AdditionalPropertiesAllowed = false,
                },
            },
            ["logTail"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "The last lines of the engine's log, when it failed to start (502).",
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
            },
            ["quota"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "The quota that refused the ask (429): its limit, where it comes from, what its engines hold and which engines they are.",
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["userCreator"] = Text("The user-creator whose quota it is."),
                    ["engineType"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "The engine type it limits; null for the quota of all engine types." },
                    ["max"] = Resources("The quota's limit."),
                    ["used"] = Resources("What its engines hold, running or starting."),
                    ["left"] = Resources("What is left under it."),
                    ["source"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. Enum.GetNames<QuotaSource>().Select(n => (System.Text.Json.Nodes.JsonNode)n)], Description = "Default, Configuration or Api." },
                    ["engines"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String }, Description = "The engines holding resources under it, oldest first." },
                },
                Required = new HashSet<string> { "userCreator", "max", "used", "left", "source", "engines" },
                AdditionalPropertiesAllowed = false,
            },
            ["waitedSeconds"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Number,
                Format = "double",
                Minimum = "0",
                Description = "How long an ask waited in its user-creator's queue for room before this answer (429, 503), in seconds.",
            },
        };
        schema.Required = new HashSet<string> { "title", "status" };
        schema.AdditionalPropertiesAllowed = true;
        schema.AdditionalProperties = null;
        return Task.CompletedTask;
    }

    private static OpenApiSchema Resources(string description) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["memory"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "Bytes." },
            ["cores"] = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" },
            ["instances"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
        },
        Required = new HashSet<string> { "memory", "cores", "instances" },
        AdditionalPropertiesAllowed = false,
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
