using Linkis.Orleans.Client.Api;
using Linkis.Orleans.Client.Security;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Silo.Security;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Silo.Hosting;

public static class OptionsErrors
{
    /// <summary>
    /// Binds and validates every Linkis options class now, before the silo starts, and returns every problem found
    /// (each naming its key) — also the settings that are each fine but not together; empty when all is well.
    /// </summary>
    public static IReadOnlyList<string> FindLinkisConfigurationErrors(this IServiceProvider services, SecurityConfiguration security)
    {
        var errors = new List<string>();
        if (Check<NodeOptions>(services, errors) is { } node)
        {
            errors.AddRange(security.ConflictsWith(node));
        }

        Check<EngineOptions>(services, errors);
        Check<QuotaOptions>(services, errors);
        Check<TenantOptions>(services, errors);
        Check<DefaultsOptions>(services, errors);
        Check<LedgerOptions>(services, errors);
        Check<WarmPoolOptions>(services, errors);
        Check<SharingOptions>(services, errors);
        Check<UserPolicyOptions>(services, errors);
        Check<ApiOptions>(services, errors);
        Check<LinkisClaimsOptions>(services, errors);
        return errors;
    }

    private static TOptions? Check<TOptions>(IServiceProvider services, List<string> errors)
        where TOptions : class
    {
        try
        {
            return services.GetRequiredService<IOptions<TOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            errors.AddRange(e.Failures);
        }
        catch (InvalidOperationException e) when (e.Source == "Microsoft.Extensions.Configuration.Binder")
        {
            errors.Add(e.Message);
        }

        return null;
    }
}
