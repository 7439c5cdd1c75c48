namespace Linkis.Orleans.EndToEnd.Tests.Security;

/// <summary>
/// Where engines run as their users a plaintext cluster is refused at start (any engine could call the Orleans ports as
/// anyone), unless the operator says the ports are out of their reach; a cluster certificate that cannot serve stops the
/// silo too, each problem a line naming its key.
/// </summary>
public sealed class ClusterTransportConfigurationTests
{
    private const string RunAsUsers = "--Linkis:Node:RunAsRequestingUser=true";

    [Fact]
    public async Task Engines_as_their_users_without_tls_stop_the_silo_naming_the_certificate_key()
    {
        var silo = await SiloCommand.RunAsync(Urls(), RunAsUsers);

        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("linkis: configuration error: Linkis:Cluster:Tls:CertificatePath is not set, yet engines run as their users", silo.Stderr);
        Assert.Contains("every engine could connect to them as an Orleans client and call the cluster as any user", silo.Stderr);
        Assert.Contains("Linkis:Cluster:AllowPlaintext=true", silo.Stderr);
        Assert.DoesNotContain("   at ", silo.Output);
    }

    [Fact]
    public async Task Allowing_plaintext_starts_the_silo_with_a_warning()
    {
        // Engines as their users rule out anonymous admins too: an operator's key.
        var admin = await ApiKeyTool.NewAsync("--name", "ops", "--user", "ops", "--roles", "admin");
        await using var silo = await SiloProcess.StartAsync("plain-runas",
            [RunAsUsers, "--Linkis:Cluster:AllowPlaintext=true", "--Linkis:Security:Authentication=ApiKey", .. admin.SiloArgs]);

        Assert.Contains("is plaintext though engines run as their users", silo.Output);
    }

    [Fact]
    public async Task An_unreadable_allow_plaintext_flag_is_named()
    {
        var silo = await SiloCommand.RunAsync(Urls(), "--Linkis:Cluster:AllowPlaintext=maybe");

        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("linkis: configuration error: Linkis:Cluster:AllowPlaintext is 'maybe'; it must be true or false.", silo.Stderr);
    }

    [Fact]
    public async Task A_missing_certificate_and_a_malformed_thumbprint_are_each_named()
    {
        var silo = await SiloCommand.RunAsync(Urls(),
            "--Linkis:Cluster:Tls:CertificatePath=/nonexistent/cluster.pfx",
            "--Linkis:Cluster:Tls:AllowedThumbprints:0=not-a-hash");

        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("linkis: configuration error: Linkis:Cluster:Tls:CertificatePath is '/nonexistent/cluster.pfx', which does not exist", silo.Stderr);
        Assert.Contains("linkis: configuration error: Linkis:Cluster:Tls:AllowedThumbprints:0 is 'not-a-hash'; it must be a certificate's SHA-1", silo.Stderr);
    }

    [Fact]
    public async Task A_wrong_password_stops_the_silo()
    {
        var path = ClusterCertificate.Create("with-password", password: "right");
        var silo = await SiloCommand.RunAsync(Urls(), $"--Linkis:Cluster:Tls:CertificatePath={path}", "--Linkis:Cluster:Tls:CertificatePassword=wrong");

        Assert.Equal(2, silo.ExitCode);
        Assert.Contains($"Linkis:Cluster:Tls:CertificatePath is '{path}', which cannot be read as a PKCS#12 (PFX) file with Linkis:Cluster:Tls:CertificatePassword (set)", silo.Stderr);
    }

    [Fact]
    public async Task An_expired_certificate_stops_the_silo()
    {
        var path = ClusterCertificate.Create("expired", notBefore: DateTimeOffset.UtcNow.AddDays(-10), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var silo = await SiloCommand.RunAsync(Urls(), $"--Linkis:Cluster:Tls:CertificatePath={path}");

        Assert.Equal(2, silo.ExitCode);
        Assert.Contains($"Linkis:Cluster:Tls:CertificatePath is '{path}', whose certificate (CN=expired) expired at", silo.Stderr);
    }

    [Fact]
    public async Task A_certificate_without_its_key_stops_the_silo()
    {
        var path = ClusterCertificate.Create("keyless", withKey: false);
        var silo = await SiloCommand.RunAsync(Urls(), $"--Linkis:Cluster:Tls:CertificatePath={path}");

        Assert.Equal(2, silo.ExitCode);
        Assert.Contains($"Linkis:Cluster:Tls:CertificatePath is '{path}', whose certificate (CN=keyless) has no private key", silo.Stderr);
    }

    [Fact]
    public async Task A_key_file_others_can_read_stops_a_silo_whose_engines_run_as_their_users()
    {
        var path = ClusterCertificate.Create("readable");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        var silo = await SiloCommand.RunAsync(Urls(), RunAsUsers, $"--Linkis:Cluster:Tls:CertificatePath={path}");

        Assert.Equal(2, silo.ExitCode);
        Assert.Contains($"linkis: configuration error: Linkis:Cluster:Tls:CertificatePath is '{path}', whose mode is 0644", silo.Stderr);
        Assert.Contains("chmod 600", silo.Stderr);
    }

    private static string Urls() => $"--urls=http://127.0.0.1:{FreePorts.Pick()}";
}
