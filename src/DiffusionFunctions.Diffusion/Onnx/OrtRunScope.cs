using Microsoft.ML.OnnxRuntime;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// One generation's <see cref="RunOptions"/>, wired to its <see cref="CancellationToken"/>: cancelling sets
/// <see cref="RunOptions.Terminate"/>, which ends the ONNX Runtime runs in flight, and such an ended run surfaces as
/// <see cref="OperationCanceledException"/>. Also accumulates the time spent inside ONNX Runtime for benchmarks.
/// </summary>
public sealed class OrtRunScope : IDisposable
{
    private readonly CancellationTokenRegistration _registration;
    private long _ortTicks;

    /// <summary>Creates the scope for <paramref name="cancellationToken"/>.</summary>
    public OrtRunScope(CancellationToken cancellationToken)
    {
        CancellationToken = cancellationToken;
        Options = new RunOptions();
        _registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, Options);
    }

    /// <summary>The run options every session run of this generation uses.</summary>
    public RunOptions Options { get; }

    /// <summary>The generation's cancellation token.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Total time spent inside <see cref="Invoke{T}"/> calls so far.</summary>
    public TimeSpan OrtTime => TimeSpan.FromTicks(Interlocked.Read(ref _ortTicks) * TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency);

    /// <summary>Runs <paramref name="run"/> (an ONNX Runtime call), timing it and turning a terminated run into <see cref="OperationCanceledException"/>.</summary>
    public T Invoke<T>(Func<RunOptions, T> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        CancellationToken.ThrowIfCancellationRequested();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return run(Options);
        }
        catch (OnnxRuntimeException ex) when (CancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The ONNX Runtime run was terminated by cancellation.", ex, CancellationToken);
        }
        finally
        {
            Interlocked.Add(ref _ortTicks, System.Diagnostics.Stopwatch.GetTimestamp() - start);
        }
    }

    /// <summary>Runs <paramref name="run"/> as <see cref="Invoke{T}"/> does, without a result.</summary>
    public void Invoke(Action<RunOptions> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Invoke<bool>(options =>
        {
            run(options);
            return true;
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _registration.Dispose();
        Options.Dispose();
    }
}
