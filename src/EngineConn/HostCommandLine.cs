using System.Diagnostics.CodeAnalysis;
using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn;

/// <summary>Parses <c>[--workdir DIR] [--detach] [--await-placement]</c>; the work directory defaults to the current one.</summary>
internal static class HostCommandLine
{
    public const string Usage = "usage: linkis-engineconn [--workdir DIR] [--detach] [--await-placement]";

    public static bool TryParse(string[] args, out string workDirectory, out bool detach, out bool awaitPlacement, [NotNullWhen(false)] out string? error)
    {
        workDirectory = Environment.CurrentDirectory;
        detach = false;
        awaitPlacement = false;
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--workdir" when i + 1 < args.Length:
                    workDirectory = Path.GetFullPath(args[++i]);
                    break;
                case "--workdir":
                    error = "--workdir needs a directory.";
                    return false;
                case ProtocolConstants.DetachOption:
                    detach = true;
                    break;
                case ProtocolConstants.AwaitPlacementOption:
                    awaitPlacement = true;
                    break;
                default:
                    error = $"Unknown argument '{args[i]}'.";
                    return false;
            }
        }

        if (!Directory.Exists(workDirectory))
        {
            error = $"The work directory '{workDirectory}' does not exist.";
            return false;
        }

        return true;
    }
}
