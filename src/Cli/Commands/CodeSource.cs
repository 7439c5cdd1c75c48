namespace Linkis.Orleans.Cli.Commands;

/// <summary>The code to run: given inline, <c>-</c> for stdin, or a file.</summary>
public static class CodeSource
{
    public const string Stdin = "-";

    public static async Task<string> ReadAsync(string? inline, string? file, string inlineName, string fileName, CancellationToken cancellationToken)
    {
        if (inline is not null && file is not null)
        {
            throw new UsageException($"give the code either as {inlineName} or with {fileName}, not both");
        }

        if (inline is null && file is null)
        {
            throw new UsageException($"no code: give it as {inlineName}, '-' to read it from stdin, or {fileName} FILE");
        }

        if (inline is not null && inline != Stdin)
        {
            return inline;
        }

        var path = file ?? Stdin;
        if (path == Stdin)
        {
            return await Console.In.ReadToEndAsync(cancellationToken);
        }

        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {path}: {e.Message}");
        }
    }
}
