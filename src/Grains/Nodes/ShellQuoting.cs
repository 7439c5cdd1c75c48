namespace Linkis.Orleans.Nodes;

/// <summary>Single-quotes a word for bash, so nothing in it is ever interpreted.</summary>
public static class ShellQuoting
{
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
