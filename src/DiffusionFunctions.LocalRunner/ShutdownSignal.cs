using System.Runtime.InteropServices;

namespace DiffusionFunctions.LocalRunner;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as a cancellation token: the first one cancels <see cref="Token"/> and keeps the process
/// alive so that everything started can be stopped in order (apps, then Azurite and its data folder).
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>
    /// Also stops when standard input reaches its end: for a parent process (a test) that holds the pipe, so that the run
    /// ends with its parent however the parent ends.
    /// </summary>
    public void StopWhenStandardInputCloses()
        => _ = Task.Run(async () =>
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (await input.ReadAsync(buffer) > 0)
            {
            }

            try
            {
                Console.WriteLine("local-run: standard input closed, stopping ...");
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run has already ended.
            }
        });

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        if (!_stop.IsCancellationRequested)
        {
            Console.WriteLine($"local-run: {context.Signal} received, stopping ...");
            _stop.Cancel();
        }
    }
}
