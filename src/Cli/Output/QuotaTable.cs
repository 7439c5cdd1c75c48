using Linkis.Orleans.Cli.Models;
using Spectre.Console;

namespace Linkis.Orleans.Cli.Output;

public static class QuotaTable
{
    public static Table Of(IEnumerable<QuotaView> quotas)
    {
        var table = Tables.Create("USER-CREATOR", "ENGINE TYPE", "MEMORY", "CORES", "INSTANCES", "SOURCE", "ENGINES");
        foreach (var quota in quotas)
        {
            foreach (var limit in (IEnumerable<QuotaLimitView>)[.. quota.All is { } all ? [all] : Array.Empty<QuotaLimitView>(), .. quota.EngineTypes ?? []])
            {
                table.Row(
                    quota.UserCreator,
                    limit.EngineType ?? "(all)",
                    $"{Formats.Bytes(limit.Used?.Memory)} / {Formats.Bytes(limit.Max?.Memory)}",
                    $"{Formats.Number(limit.Used?.Cores)} / {Formats.Number(limit.Max?.Cores)}",
                    $"{Formats.Number(limit.Used?.Instances)} / {Formats.Number(limit.Max?.Instances)}",
                    Formats.Of(limit.Source),
                    limit.Engines is { Count: > 0 } engines ? string.Join(", ", engines) : Formats.None);
            }
        }

        return table;
    }
}
