using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Plugins;

namespace Linkis.Orleans.Tests.Fakes;

/// <summary>shell-1 as installed, plus the <see cref="FakeEngineHostLauncher.StartProperty"/> that scripts how its start goes.</summary>
public sealed class ScriptedShellEngineConnPlugin : IEngineConnPlugin
{
    private readonly ShellEngineConnPlugin _shell = new();

    public string EngineType => _shell.EngineType;

    public string Description => _shell.Description;

    public ResourceVector DefaultResources => _shell.DefaultResources;

    public IReadOnlyList<string> Properties { get; } = [.. new ShellEngineConnPlugin().Properties, FakeEngineHostLauncher.StartProperty];

    public bool TryGetResources(IReadOnlyDictionary<string, string> properties, out ResourceVector resources, out IReadOnlyList<ValidationError> errors) =>
        _shell.TryGetResources(properties, out resources, out errors);

    public EngineLaunch BuildLaunch(IReadOnlyDictionary<string, string> properties) => _shell.BuildLaunch(properties);
}
