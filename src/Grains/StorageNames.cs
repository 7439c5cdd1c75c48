namespace Linkis.Orleans.Grains;

/// <summary>Names of the Orleans providers the grains use; the silo host configures them per mode.</summary>
public static class StorageNames
{
    /// <summary>Grain storage for all Linkis state (ledgers, engines, node process tables, directories).</summary>
    public const string Linkis = "linkis";
}
