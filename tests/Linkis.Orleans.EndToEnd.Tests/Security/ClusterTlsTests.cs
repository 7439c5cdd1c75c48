using System.Security.Cryptography;
using Linkis.Orleans.Abstractions.Diagnostics;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Client;
using Linkis.Orleans.Client.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Linkis.Orleans.EndToEnd.Tests.Security;

/// <summary>
/// A silo given <c>Linkis:Cluster:Tls:CertificatePath</c> speaks only mutual TLS on its gateway: a client without TLS,
/// or with a certificate of its own, makes no grain call; a client with the cluster's certificate (or one listed in
/// <c>AllowedThumbprints</c>) works, the client library's web app included.
/// </summary>
public sealed class ClusterTlsTests(ClusterTlsTests.TlsSiloFixture fixture) : IClassFixture<ClusterTlsTests.TlsSiloFixture>
{
    private static readonly TimeSpan RefusalDeadline = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_client_without_tls_makes_no_grain_call()
    {
        await AssertRefusedAsync(_ => { });
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_its_own_is_refused()
    {
        using var stranger = ClusterCertificate.Load(ClusterCertificate.Create("stranger"));
        // The stranger trusts any server, so the refusal is the silo's.
        await AssertRefusedAsync(client => client.UseTls(stranger, o => o.AllowAnyRemoteCertificate()));
    }

    [Fact]
    public async Task A_client_trusting_another_certificate_refuses_the_silo()
    {
        using var cluster = ClusterCertificate.Load(ClusterCertificate.Shared);
        using var other = ClusterCertificate.Load(ClusterCertificate.Create("other-cluster"));
        // It presents the cluster's certificate, but expects the server to present the other one.
        await AssertRefusedAsync(client => client.UseTls(cluster, o => o.RemoteCertificateValidation = (c, _, _) => c.Thumbprint == other.Thumbprint));
    }

    [Fact]
    public async Task A_client_with_the_cluster_certificate_calls_grains()
    {
        var tls = new ClusterTls(ClusterCertificate.Load(ClusterCertificate.Shared));
        using var host = await ConnectAsync(client => client.UseLinkisClusterTls(tls));
        await host.Services.GetRequiredService<IClusterClient>().GetGrain<IDiagnosticsGrain>(0).Ping().WaitAsync(TimeSpan.FromSeconds(30));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_client_with_an_allowed_certificate_calls_grains()
    {
        var tls = new ClusterTls(ClusterCertificate.Load(fixture.PartnerPath), [fixture.ClusterHash]);
        using var host = await ConnectAsync(client => client.UseLinkisClusterTls(tls));
        await host.Services.GetRequiredService<IClusterClient>().GetGrain<IDiagnosticsGrain>(0).Ping().WaitAsync(TimeSpan.FromSeconds(30));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_web_app_whose_configuration_names_the_cluster_certificate_runs_engines_through_the_client_library()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePorts.Pick()}");
        builder.Configuration[ClusterTls.CertificatePathKey] = ClusterCertificate.Shared;
        builder.AddLinkisClient(client => client.UseLocalhostClustering(fixture.Silo.GatewayPort, "linkis", "linkis-dev"));
        await using var app = builder.Build();
        await app.StartAsync();
        var linkis = app.Services.GetRequiredService<ILinkisClient>();

        var ask = await linkis.AskAsync(new EngineAsk
        {
            Labels = new Dictionary<string, string?> { ["userCreator"] = "tlsapp-Portal", ["engineType"] = "shell-1" },
            RequestedBy = "tlsapp",
        });
        var engine = ask.Engine ?? throw new InvalidOperationException("The ask returned no engine.");
        var run = await linkis.ExecuteAsync(engine.EngineId, new ExecuteRequest("echo over-tls", TimeSpan.FromSeconds(30)));
        Assert.Equal("over-tls\n", run.Stdout);
        Assert.Equal(EngineStatus.Success, (await linkis.KillAsync(engine.EngineId, "tlsapp"))!.Status);
        await app.StopAsync();
    }

    [Fact]
    public void The_silo_says_how_its_ports_are_protected()
    {
        Assert.Contains("mutual TLS with certificate CN=linkis-test-cluster", fixture.Silo.Output);
        Assert.Contains("1 other certificate(s) allowed", fixture.Silo.Output);
    }

    /// <summary>Connecting with this client configuration fails, or at least no grain call succeeds, well within the deadline.</summary>
    private async Task AssertRefusedAsync(Action<IClientBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(fixture.Silo.GatewayPort, "linkis", "linkis-dev");
            // The default retries connecting for ever; one refusal is the answer here.
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            configure(client);
        });
        using var host = builder.Build();
        var call = StartAndPingAsync(host);
        var first = await Task.WhenAny(call, Task.Delay(RefusalDeadline));
        Assert.True(first == call, $"Neither connecting nor a grain call failed within {RefusalDeadline.TotalSeconds:0} s.");
        Assert.True(call.IsFaulted, "A grain call succeeded over a connection the silo should have refused.");
        Assert.True(fixture.Silo.HasExited == false, fixture.Silo.DeathNotice);
    }

    private static async Task StartAndPingAsync(IHost host)
    {
        await host.StartAsync();
        await host.Services.GetRequiredService<IClusterClient>().GetGrain<IDiagnosticsGrain>(0).Ping();
    }

    private async Task<IHost> ConnectAsync(Action<IClientBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(fixture.Silo.GatewayPort, "linkis", "linkis-dev");
            configure(client);
        });
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return host;
    }

    /// <summary>A development silo with the run's cluster certificate, allowing one more (a partner's).</summary>
    public sealed class TlsSiloFixture : IAsyncLifetime
    {
        private SiloProcess? _silo;

        public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

        public string PartnerPath { get; } = ClusterCertificate.Create("partner");

        public string ClusterHash { get; } = Hash(ClusterCertificate.Shared);

        public async Task InitializeAsync() =>
            _silo = await SiloProcess.StartAsync("tls-node",
                ClusterCertificate.SiloArgument,
                $"--{ClusterTls.AllowedThumbprintsKey}:0={Hash(PartnerPath)}",
                "--Linkis:Node:KillGrace=00:00:02");

        public async Task DisposeAsync()
        {
            if (_silo is not null)
            {
                await _silo.DisposeAsync();
            }
        }

        private static string Hash(string path)
        {
            using var certificate = ClusterCertificate.Load(path);
            return certificate.GetCertHashString(HashAlgorithmName.SHA256);
        }
    }
}
