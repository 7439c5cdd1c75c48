using System.Runtime.InteropServices;

namespace Linkis.Orleans.Cli;

/// <summary>
/// Ctrl-C and SIGTERM. The first one cancels <see cref="Token"/> and keeps the process alive, so a command can clean up
/// after itself (cancel the execution it follows); a second one terminates the process at once, as usual.
/// </summary>
public sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _count;

    private Interrupts()
    {
    }

    public CancellationToken Token => _cancellation.Token;

    public bool Interrupted => Volatile.Read(ref _count) > 0;

    public static Interrupts Register()
    {
        var interrupts = new Interrupts();
        interrupts._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, interrupts.Handle));
        interrupts._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, interrupts.Handle));
        return interrupts;
    }

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _count) == 1)
        {
            context.Cancel = true;
            _cancellation.Cancel();
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }
}
