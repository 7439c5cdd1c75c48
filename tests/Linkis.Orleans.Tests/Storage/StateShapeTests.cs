using Linkis.Orleans.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Linkis.Orleans.Tests.Storage;

/// <summary>Version 1 of a state record, as rows written by an older silo have it.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.Tests.ShapedState")]
public sealed record ShapedStateV1([property: Id(0)] string Name, [property: Id(1)] long Used);

/// <summary>Version 2: a field added at a new id, as a later silo writes it.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.Tests.ShapedState.V2")]
public sealed record ShapedStateV2([property: Id(0)] string Name, [property: Id(1)] long Used, [property: Id(2)] string? Owner = null);

/// <summary>The grain storage serializer AddLinkis() installs lets state records grow without a migration.</summary>
public sealed class StateShapeTests
{
    private static IGrainStorageSerializer LinkisStorageSerializer()
    {
        var services = new ServiceCollection();
        services.AddSerializer();
        services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        return services.BuildServiceProvider().GetRequiredService<IGrainStorageSerializer>();
    }

    [Fact]
    public void AddLinkis_installs_the_orleans_serializer_for_grain_state()
    {
        var silo = new TestSiloBuilder();
        silo.AddLinkis();
        var registration = silo.Services.Last(d => d.ServiceType == typeof(IGrainStorageSerializer));
        Assert.Equal(typeof(OrleansGrainStorageSerializer), registration.ImplementationType);
    }

    [Fact]
    public void An_old_row_loads_into_a_grown_state_record_with_the_new_field_defaulted()
    {
        var serializer = LinkisStorageSerializer();
        var oldRow = serializer.Serialize(new ShapedStateV1("ledger", 42));

        var loaded = serializer.Deserialize<ShapedStateV2>(oldRow);

        Assert.NotNull(loaded);
        Assert.Equal("ledger", loaded.Name);
        Assert.Equal(42, loaded.Used);
        Assert.Null(loaded.Owner);
    }

    [Fact]
    public void A_new_row_still_loads_in_an_older_silo_which_skips_the_field_it_does_not_know()
    {
        var serializer = LinkisStorageSerializer();
        var newRow = serializer.Serialize(new ShapedStateV2("ledger", 7, "alice"));

        var loaded = serializer.Deserialize<ShapedStateV1>(newRow);

        Assert.Equal(new ShapedStateV1("ledger", 7), loaded);
    }

    private sealed class TestSiloBuilder : ISiloBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();

        public Microsoft.Extensions.Configuration.IConfiguration Configuration { get; } = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
    }
}
