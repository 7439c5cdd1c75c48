using Linkis.Orleans.Silo.Hosting;
using Npgsql;

namespace Linkis.Orleans.Silo.Storage;

/// <summary>Before a production silo starts: PostgreSQL must answer, and the schema is applied when configured.</summary>
public static class PostgresStorage
{
    public const string Invariant = "Npgsql";
    private static readonly TimeSpan ConnectDeadline = TimeSpan.FromSeconds(15);

    public static async Task PrepareAsync(SiloConfiguration config, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(config.ConnectionString);
        var where = $"{builder.Host}:{builder.Port}/{builder.Database}";
        await using var database = NpgsqlDataSource.Create(config.ConnectionString!);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ConnectDeadline);
        try
        {
            if (config.ApplySchema)
            {
                await PostgresSchema.ApplyAsync(database, deadline.Token);
            }
            else
            {
                await using var connection = await database.OpenConnectionAsync(deadline.Token);
            }
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            var cause = e is OperationCanceledException
                ? $"no answer within {ConnectDeadline.TotalSeconds:0} s"
                : e.Message + (e.InnerException is { } inner ? $" ({inner.Message})" : "");
            throw new SiloConfigurationException(
                [$"{SiloConfiguration.ConnectionStringKey}: cannot use PostgreSQL at {where}: {cause}"]);
        }
    }
}
