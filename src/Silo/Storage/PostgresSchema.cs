using System.Reflection;
using Npgsql;

namespace Linkis.Orleans.Silo.Storage;

/// <summary>
/// Applies the schema scripts of <c>deploy/sql</c> (embedded in the silo) in name order, in one transaction under a
/// PostgreSQL advisory lock: two silos starting at once take turns, and since every script is idempotent the second
/// one changes nothing.
/// </summary>
public static class PostgresSchema
{
    // Any constant will do, as long as every silo uses the same one: "linkis" in ASCII.
    private const long AdvisoryLockKey = 0x6c696e6b6973;
    private const string ResourcePrefix = "Linkis.Orleans.Silo.Schema.";

    public static IReadOnlyList<(string Name, string Sql)> Scripts { get; } = LoadScripts();

    public static async Task ApplyAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (name, sql) in Scripts)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e)
            {
                throw new InvalidOperationException($"Schema script {name} failed: {e.MessageText} ({e.SqlState})", e);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static List<(string, string)> LoadScripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (n[ResourcePrefix.Length..], reader.ReadToEnd());
            })];
    }
}
