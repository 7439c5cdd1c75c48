using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Nodes.Limits;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Options;

/// <summary>Checks <see cref="NodeOptions"/> once at start; each message names the key, the value and the rule.</summary>
public sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    private const int MinProcessesPerEngine = 16;

    // The kernel's largest pid_max.
    private const int MaxProcessesPerEngine = 4_194_304;

    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var errors = new List<string>();
        const string s = NodeOptions.SectionName;
        if (!LabelParser.IsValidNodeName(options.Name))
            errors.Add($"{s}:Name is '{options.Name}'; it must be letters, digits, '_', '.' or '-', at most 63 characters, starting with a letter or digit.");
        if (string.IsNullOrWhiteSpace(options.WorkRoot))
            errors.Add($"{s}:WorkRoot is empty; set it to a directory for engine work dirs.");
        if (options.EngineHostPath is { } host && !File.Exists(host))
            errors.Add($"{s}:EngineHostPath is '{host}', which does not exist; build the solution (dotnet build) or point it at linkis-engineconn.");
        if (options.KillGrace < TimeSpan.Zero || options.KillGrace > TimeSpan.FromSeconds(ServiceLimits.MaxKillGraceSeconds))
            errors.Add($"{s}:KillGrace is {options.KillGrace}; it must be between 0 and {ServiceLimits.MaxKillGraceSeconds} seconds.");
        if (options.PingInterval < TimeSpan.FromMilliseconds(50) || options.PingInterval > TimeSpan.FromMinutes(5))
            errors.Add($"{s}:PingInterval is {options.PingInterval}; it must be between 50 ms and 5 minutes.");
        if (options.MissedPingsBeforeDead is < 1 or > 100)
            errors.Add($"{s}:MissedPingsBeforeDead is {options.MissedPingsBeforeDead}; it must be between 1 and 100.");
        if (options.OrphanGrace < TimeSpan.FromSeconds(1))
            errors.Add($"{s}:OrphanGrace is {options.OrphanGrace}; it must be at least 1 second.");
        if (options.ReportInterval < TimeSpan.FromMilliseconds(100))
            errors.Add($"{s}:ReportInterval is {options.ReportInterval}; it must be at least 100 ms.");
        if (options.CapacityMemory < 0)
            errors.Add($"{s}:CapacityMemory is {options.CapacityMemory}; it must be 0 (80% of RAM) or a positive number of bytes.");
        if (options.CapacityCores < 0)
            errors.Add($"{s}:CapacityCores is {options.CapacityCores}; it must be 0 (all processors) or a positive number.");
        if (options.CoreOvercommit is < 1 or > 100)
            errors.Add($"{s}:CoreOvercommit is {options.CoreOvercommit}; it must be between 1 and 100.");
        if (options.CapacityInstances < 1)
            errors.Add($"{s}:CapacityInstances is {options.CapacityInstances}; it must be at least 1.");
        if (options.EndedWorkDirRetention < TimeSpan.Zero)
            errors.Add($"{s}:EndedWorkDirRetention is {options.EndedWorkDirRetention}; it must not be negative.");
        if (options.MaxLoadPerCore <= 0)
            errors.Add($"{s}:MaxLoadPerCore is {options.MaxLoadPerCore}; it must be positive.");
        if (options.MaxOutputBytes is < 1024 or > 64 * 1024 * 1024)
            errors.Add($"{s}:MaxOutputBytes is {options.MaxOutputBytes}; it must be between 1024 and 67108864.");
        if (options.MaxExecutionLogBytes < options.MaxOutputBytes)
            errors.Add($"{s}:MaxExecutionLogBytes is {options.MaxExecutionLogBytes}; it must be at least MaxOutputBytes ({options.MaxOutputBytes}).");
        if (options.MaxProcessesPerEngine is < MinProcessesPerEngine or > MaxProcessesPerEngine)
            errors.Add($"{s}:MaxProcessesPerEngine is {options.MaxProcessesPerEngine}; it must be between {MinProcessesPerEngine} (the engine host's own threads count) and {MaxProcessesPerEngine}.");
        if (!Enum.IsDefined(options.Limits))
            errors.Add($"{s}:Limits is {options.Limits}; it must be one of {string.Join(", ", Enum.GetNames<EngineLimitsMode>())}.");
        else if (options.Limits != EngineLimitsMode.Auto && LimitsDetection.WhyUnavailable(options.Limits) is { } why)
            errors.Add($"{s}:Limits is {options.Limits}, which this machine cannot enforce: {why}. Set it to Auto (picks {LimitsDetection.Detect(EngineLimitsMode.Auto).Mode} here) or fix the machine.");
        foreach (var (key, value) in options.Labels)
        {
            if (LabelKeys.Reserved.Contains(key, StringComparer.Ordinal))
                errors.Add($"{s}:Labels:{key} is not allowed: '{key}' has its own meaning in an ask ({string.Join(", ", LabelKeys.Reserved)} cannot be node labels).");
            else if (!LabelParser.IsValidNodeLabelKey(key))
                errors.Add($"{s}:Labels:{key} is not a label key: a letter, then letters, digits, '_', '.' or '-', at most 63 characters.");
            else if (!LabelParser.IsValidNodeLabelValue(value))
                errors.Add($"{s}:Labels:{key} is '{value}'; a label value is letters, digits, '_', '.' or '-', at most 63 characters, starting with a letter or digit.");
        }

        if (options.LostGrace < TimeSpan.FromSeconds(1) || options.LostGrace > TimeSpan.FromDays(7))
            errors.Add($"{s}:LostGrace is {options.LostGrace}; it must be between 1 second and 7 days.");
        if (options.MinMemoryAvailable < 0)
            errors.Add($"{s}:MinMemoryAvailable is {options.MinMemoryAvailable}; it must be 0 or a positive number of bytes.");
        if (options.RunAsRequestingUser == true && Nodes.UserAccounts.CurrentUid != 0)
            errors.Add($"{s}:RunAsRequestingUser is true but the silo runs as '{Environment.UserName}'; starting engines as other users needs root.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Checks <see cref="EngineOptions"/> once at start.</summary>
public sealed class EngineOptionsValidator : IValidateOptions<EngineOptions>
{
    public ValidateOptionsResult Validate(string? name, EngineOptions options)
    {
        var errors = new List<string>();
        const string s = EngineOptions.SectionName;
        if (options.DefaultIdleTimeout <= TimeSpan.Zero || options.DefaultIdleTimeout > options.MaxIdleTimeout)
            errors.Add($"{s}:DefaultIdleTimeout is {options.DefaultIdleTimeout}; it must be positive and at most {s}:MaxIdleTimeout ({options.MaxIdleTimeout}).");
        if (options.StartTimeout < TimeSpan.FromSeconds(1) || options.StartTimeout > TimeSpan.FromSeconds(ServiceLimits.MaxStartTimeoutSeconds))
            errors.Add($"{s}:StartTimeout is {options.StartTimeout}; it must be between 1 and {ServiceLimits.MaxStartTimeoutSeconds} seconds.");
        if (options.HeartbeatTimeout < TimeSpan.FromSeconds(1))
            errors.Add($"{s}:HeartbeatTimeout is {options.HeartbeatTimeout}; it must be at least 1 second.");
        if (options.CheckInterval < TimeSpan.FromMilliseconds(10) || options.CheckInterval > TimeSpan.FromMinutes(1))
            errors.Add($"{s}:CheckInterval is {options.CheckInterval}; it must be between 10 ms and 1 minute.");
        if (options.MaxConcurrentCreatesPerKey is < 1 or > 1000)
            errors.Add($"{s}:MaxConcurrentCreatesPerKey is {options.MaxConcurrentCreatesPerKey}; it must be between 1 and 1000.");
        if (options.LockTtl <= options.StartTimeout)
            errors.Add($"{s}:LockTtl is {options.LockTtl}; it must be longer than {s}:StartTimeout ({options.StartTimeout}) so a starting engine keeps its lock.");
        if (options.MaxExecuteTimeout < TimeSpan.FromSeconds(1) || options.MaxExecuteTimeout > TimeSpan.FromSeconds(ServiceLimits.MaxExecuteTimeoutSeconds))
            errors.Add($"{s}:MaxExecuteTimeout is {options.MaxExecuteTimeout}; it must be between 1 and {ServiceLimits.MaxExecuteTimeoutSeconds} seconds.");
        if (options.LockExpiryReminderPeriod < TimeSpan.FromSeconds(1))
            errors.Add($"{s}:LockExpiryReminderPeriod is {options.LockExpiryReminderPeriod}; it must be at least 1 second (and at least Orleans' minimum reminder period).");
        if (options.LockLease < TimeSpan.FromSeconds(1))
            errors.Add($"{s}:LockLease is {options.LockLease}; it must be at least 1 second.");
        if (options.MaxQueuedAsks is < 1 or > ServiceLimits.MaxQueuedAsks)
            errors.Add($"{s}:MaxQueuedAsks is {options.MaxQueuedAsks}; it must be between 1 and {ServiceLimits.MaxQueuedAsks}.");
        if (options.MaxQueuedExecutions is < 0 or > ServiceLimits.MaxQueuedExecutions)
            errors.Add($"{s}:MaxQueuedExecutions is {options.MaxQueuedExecutions}; it must be between 0 and {ServiceLimits.MaxQueuedExecutions}.");
        if (options.ExecutionHistory is < 1 or > ServiceLimits.MaxExecutionHistory)
            errors.Add($"{s}:ExecutionHistory is {options.ExecutionHistory}; it must be between 1 and {ServiceLimits.MaxExecutionHistory}.");
        if (options.CancelGrace < TimeSpan.FromMilliseconds(100) || options.CancelGrace > TimeSpan.FromSeconds(ServiceLimits.MaxCancelGraceSeconds))
            errors.Add($"{s}:CancelGrace is {options.CancelGrace}; it must be between 100 ms and {ServiceLimits.MaxCancelGraceSeconds} seconds.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Checks <see cref="TenantOptions"/> once at start: every pattern one of the four shapes, every tenant a valid name.</summary>
public sealed class TenantOptionsValidator : IValidateOptions<TenantOptions>
{
    public ValidateOptionsResult Validate(string? name, TenantOptions options)
    {
        var errors = new List<string>();
        const string s = TenantOptions.SectionName;
        foreach (var (pattern, tenant) in options.Map)
        {
            if (!UserCreatorPatterns.IsPattern(pattern))
                errors.Add($"{s}:{pattern} is not a user-creator pattern; use alice-IDE, alice-*, *-IDE or *.");
            if (!LabelParser.IsValidNodeLabelValue(tenant))
                errors.Add($"{s}:{pattern} is '{tenant}'; a tenant is letters, digits, '_', '.' or '-', at most 63 characters, starting with a letter or digit.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

}

/// <summary>Checks <see cref="QuotaOptions"/> once at start.</summary>
public sealed class QuotaOptionsValidator : IValidateOptions<QuotaOptions>
{
    public ValidateOptionsResult Validate(string? name, QuotaOptions options)
    {
        var errors = new List<string>();
        const string s = QuotaOptions.SectionName;
        if (options.DefaultMemory <= 0) errors.Add($"{s}:DefaultMemory is {options.DefaultMemory}; it must be a positive number of bytes.");
        if (options.DefaultCores <= 0) errors.Add($"{s}:DefaultCores is {options.DefaultCores}; it must be positive.");
        if (options.DefaultInstances <= 0) errors.Add($"{s}:DefaultInstances is {options.DefaultInstances}; it must be positive.");
        var seen = new HashSet<(string, string?)>();
        for (var i = 0; i < options.Limits.Count; i++)
        {
            var entry = options.Limits[i];
            var key = $"{s}:Limits:{i}";
            if (!UserCreatorPatterns.IsPattern(entry.UserCreator))
                errors.Add($"{key}:UserCreator is '{entry.UserCreator}'; it must be a user-creator pattern: alice-IDE, alice-*, *-IDE or *.");
            if (entry.EngineType is { } type && !EngineTypeLabel.TryParse(type, out _, out _))
                errors.Add($"{key}:EngineType is '{type}'; it must be type-version, e.g. shell-1, or left out for all engine types.");
            if (entry.Memory is { } memory && (!Quantities.TryParseBytes(memory, out var bytes, out _) || bytes <= 0))
                errors.Add($"{key}:Memory is '{memory}'; it must be a positive size, e.g. 8g.");
            if (entry.Cores is <= 0)
                errors.Add($"{key}:Cores is {entry.Cores}; it must be positive.");
            if (entry.Instances is <= 0)
                errors.Add($"{key}:Instances is {entry.Instances}; it must be positive.");
            if (entry.Memory is null && entry.Cores is null && entry.Instances is null)
                errors.Add($"{key} limits nothing; set Memory, Cores or Instances.");
            if (!seen.Add((entry.UserCreator, entry.EngineType)))
                errors.Add($"{key} repeats the quota of {entry.UserCreator}{(entry.EngineType is null ? "" : " for " + entry.EngineType)}; keep one.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Checks <see cref="UserPolicyOptions"/> once at start.</summary>
public sealed class UserPolicyOptionsValidator : IValidateOptions<UserPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, UserPolicyOptions options)
    {
        var errors = new List<string>();
        const string s = UserPolicyOptions.SectionName;
        if (options.MinUid is < 1 or > 65534)
            errors.Add($"{s}:MinUid is {options.MinUid}; it must be between 1 and 65534 (uid 0, root, is never allowed).");
        if (options.MaxUid < options.MinUid || options.MaxUid > int.MaxValue - 1)
            errors.Add($"{s}:MaxUid is {options.MaxUid}; it must be at least {s}:MinUid ({options.MinUid}).");
        CheckUsers(options.DenyUsers, $"{s}:DenyUsers", errors);
        CheckUsers(options.AllowUsers, $"{s}:AllowUsers", errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckUsers(List<string> users, string key, List<string> errors)
    {
        for (var i = 0; i < users.Count; i++)
        {
            if (!UserCreatorLabel.IsValidUser(users[i]))
                errors.Add($"{key}:{i} is '{users[i]}'; a Linux user name is {UserCreatorLabel.UserPattern}.");
        }
    }
}

/// <summary>Checks <see cref="DefaultsOptions"/> once at start: every scope parses, every property is one its engine types read, with a good value.</summary>
public sealed class DefaultsOptionsValidator(Plugins.EngineConnPluginCatalog plugins) : IValidateOptions<DefaultsOptions>
{
    public ValidateOptionsResult Validate(string? name, DefaultsOptions options)
    {
        var errors = new List<string>();
        foreach (var (text, properties) in options.Scopes)
        {
            var key = options.KeyOf(text);
            if (!Abstractions.Defaults.DefaultsScope.TryParse(text, out var scope, out var error))
            {
                errors.Add($"{key}: {error}.");
                continue;
            }

            errors.AddRange(Defaults.DefaultsRules.Check(scope, properties, plugins).Select(p => $"{key}:{p.Field.Replace("properties.", "", StringComparison.Ordinal)}: {p.Message}."));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Checks <see cref="WarmPoolOptions"/> once at start: each entry's sizes, and its ask as the AppManager would check it.</summary>
public sealed class WarmPoolOptionsValidator(Plugins.EngineConnPluginCatalog plugins, IOptions<EngineOptions> engineOptions) : IValidateOptions<WarmPoolOptions>
{
    public ValidateOptionsResult Validate(string? name, WarmPoolOptions options)
    {
        var errors = new List<string>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        EngineOptions? engines = null;
        try
        {
            engines = engineOptions.Value;
        }
        catch (OptionsValidationException)
        {
            // Reported as the engine settings' own errors; the entries' asks are checked once those are right.
        }

        for (var i = 0; i < options.Pools.Count; i++)
        {
            var pool = options.Pools[i];
            var s = $"{WarmPoolOptions.SectionName}:{i}";
            if (pool.MinIdle is < 0 or > ServiceLimits.MaxWarmPoolEngines)
                errors.Add($"{s}:MinIdle is {pool.MinIdle}; it must be between 0 and {ServiceLimits.MaxWarmPoolEngines}.");
            if (pool.MaxIdle is { } most && (most < pool.MinIdle || most > ServiceLimits.MaxWarmPoolEngines))
                errors.Add($"{s}:MaxIdle is {most}; it must be between MinIdle ({pool.MinIdle}) and {ServiceLimits.MaxWarmPoolEngines}, or left out (MinIdle).");
            if (!keys.Add(pool.Key))
                errors.Add($"{s} is a second warm pool of {pool.UserCreator} and {pool.EngineType}; keep one entry per user-creator and engine type.");
            var ask = new Abstractions.Engines.EngineAsk
            {
                Labels = new Dictionary<string, string?> { [LabelKeys.UserCreator] = pool.UserCreator, [LabelKeys.EngineType] = pool.EngineType },
                Properties = pool.Properties,
            };
            if (engines is not null && AppManager.AskValidator.Validate(ask, plugins, engines, out var invalid) is null)
                errors.AddRange(invalid!.Errors is { Count: > 0 } problems
                    ? problems.Select(p => $"{s}:{WarmPoolField(p.Field)}: {p.Message}.")
                    : [$"{s}: {invalid.Detail}."]);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The entry's key that an ask's field comes from: <c>labels.userCreator</c> → <c>UserCreator</c>.</summary>
    private static string WarmPoolField(string field) => field switch
    {
        "labels.userCreator" => nameof(WarmPoolEntry.UserCreator),
        "labels.engineType" => nameof(WarmPoolEntry.EngineType),
        _ when field.StartsWith("properties.", StringComparison.Ordinal) => $"{nameof(WarmPoolEntry.Properties)}:{field["properties.".Length..]}",
        _ => field,
    };
}

/// <summary>Checks <see cref="SharingOptions"/> once at start: known engine types, and accounts that are user names.</summary>
public sealed class SharingOptionsValidator(Plugins.EngineConnPluginCatalog plugins) : IValidateOptions<SharingOptions>
{
    public ValidateOptionsResult Validate(string? name, SharingOptions options)
    {
        var errors = new List<string>();
        const string s = SharingOptions.SectionName;
        foreach (var (engineType, scopes) in options.AllowedScopes)
        {
            if (engineType != SharingOptions.AnyEngineType && !plugins.TryGet(engineType, out _))
                errors.Add($"{s}:AllowedScopes:{engineType} is not an engine type; use one of {string.Join(", ", plugins.EngineTypes.Order(StringComparer.Ordinal))} or '{SharingOptions.AnyEngineType}'.");
            if (scopes.Count == 0)
                errors.Add($"{s}:AllowedScopes:{engineType} allows no scope; list at least one of {string.Join(", ", Enum.GetNames<Abstractions.Engines.ShareLevel>())}.");
        }

        foreach (var (group, account) in options.GroupAccounts)
        {
            if (!UserCreatorLabel.IsValidUser(group))
                errors.Add($"{s}:GroupAccounts:{group} is not a Linux group name (lower-case letters, digits, '_', '-', at most 32 characters).");
            if (!UserCreatorLabel.IsValidUser(account))
                errors.Add($"{s}:GroupAccounts:{group} is '{account}', which is not a Linux user name (lower-case letters, digits, '_', '-', at most 32 characters).");
        }

        if (options.ServiceAccount is { } service && !UserCreatorLabel.IsValidUser(service))
            errors.Add($"{s}:ServiceAccount is '{service}', which is not a Linux user name (lower-case letters, digits, '_', '-', at most 32 characters).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Checks <see cref="LedgerOptions"/> once at start.</summary>
public sealed class LedgerOptionsValidator : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        var errors = new List<string>();
        const string s = LedgerOptions.SectionName;
        if (options.ReconcileInterval < TimeSpan.FromSeconds(1) || options.ReconcileInterval > TimeSpan.FromDays(1))
            errors.Add($"{s}:ReconcileInterval is {options.ReconcileInterval}; it must be between 1 second and 1 day.");
        if (options.ReconcileGrace < TimeSpan.Zero)
            errors.Add($"{s}:ReconcileGrace is {options.ReconcileGrace}; it must not be negative.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Checks <see cref="EventOptions"/> once at start.</summary>
public sealed class EventOptionsValidator : IValidateOptions<EventOptions>
{
    public ValidateOptionsResult Validate(string? name, EventOptions options) =>
        options.Retained is < EventOptions.MinRetained or > EventOptions.MaxRetained
            ? ValidateOptionsResult.Fail(
                $"{EventOptions.SectionName}:Retained is {options.Retained}; it must be between {EventOptions.MinRetained} and {EventOptions.MaxRetained}.")
            : ValidateOptionsResult.Success;
}
