using Spectre.Console;
using Spectre.Console.Rendering;

namespace Linkis.Orleans.Cli.Output;

/// <summary>Standard output: Spectre.Console for tables, plain writes for JSON and streamed output.</summary>
public sealed class Terminal
{
    // Wide enough that a table piped to grep or a file keeps one engine to a line.
    private const int RedirectedWidth = 250;

    private readonly Lazy<IAnsiConsole> _console = new(Create);

    public void Write(IRenderable renderable)
    {
        if (!Console.IsOutputRedirected)
        {
            _console.Value.Write(renderable);
            return;
        }

        // Piped or in a file: no colours, and no trailing padding for a reader (or grep) to trip over.
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = RedirectedWidth;
        console.Write(renderable);
        foreach (var line in text.ToString().TrimEnd().Split('\n'))
        {
            Console.Out.WriteLine(line.TrimEnd());
        }
    }

    public void Line(string text) => Console.Out.WriteLine(text);

    /// <summary>The API's JSON as it was sent, one document per line.</summary>
    public void Json(string body) => Console.Out.WriteLine(body.Trim());

    private static IAnsiConsole Create() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
}
