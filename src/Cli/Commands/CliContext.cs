using System.CommandLine;
using Linkis.Orleans.Cli.Configuration;
using Linkis.Orleans.Cli.Http;
using Linkis.Orleans.Cli.Output;

namespace Linkis.Orleans.Cli.Commands;

/// <summary>What a command runs with: the settings (resolved when first needed), the API and the terminal.</summary>
public sealed class CliContext : IDisposable
{
    private readonly ParseResult _parse;
    private readonly GlobalOptions _globals;
    private CliSettings? _settings;
    private LinkisHttp? _http;

    public CliContext(ParseResult parse, GlobalOptions globals)
    {
        _parse = parse;
        _globals = globals;
        Json = parse.GetValue(globals.Json);
    }

    public bool Json { get; }

    public Terminal Out { get; } = new();

    public CliSettings Settings => _settings ??= SettingsResolver.Resolve(
        _parse.GetValue(_globals.Server), _parse.GetValue(_globals.ApiKey), _parse.GetValue(_globals.Profile));

    public LinkisHttp Http => _http ??= new LinkisHttp(Settings);

    /// <summary>The answer's JSON as sent with --json, else <paramref name="view"/> of it.</summary>
    public void Print(ApiAnswer answer, Func<Spectre.Console.Rendering.IRenderable> view)
    {
        if (Json)
        {
            Out.Json(answer.Body);
        }
        else
        {
            Out.Write(view());
        }
    }

    /// <summary>The answer's JSON as sent with --json, else <paramref name="line"/>.</summary>
    public void Print(ApiAnswer answer, Func<string> line)
    {
        if (Json)
        {
            Out.Json(answer.Body);
        }
        else
        {
            Out.Line(line());
        }
    }

    public void Dispose() => _http?.Dispose();
}
