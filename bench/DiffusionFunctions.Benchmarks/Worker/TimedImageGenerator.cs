extern alias WorkerApp;

using System.Diagnostics;
using WorkerApp::DiffusionFunctions.Worker.Processing;

namespace DiffusionFunctions.Benchmarks.Worker;

/// <summary>Measures the real generator's own time: per call since <see cref="Reset"/>, and in total.</summary>
internal sealed class TimedImageGenerator
{
    private long _totalTicks;

    /// <summary>Pipeline milliseconds since the last <see cref="Reset"/>.</summary>
    public double LastMilliseconds { get; private set; }

    /// <summary>Pipeline milliseconds of every call so far (calls may overlap: the sum of their times).</summary>
    public double TotalMilliseconds => TimeSpan.FromTicks(Interlocked.Read(ref _totalTicks)).TotalMilliseconds;

    /// <summary>Calls so far.</summary>
    public int Calls { get; private set; }

    public void Reset() => LastMilliseconds = 0;

    public void ResetTotal()
    {
        Interlocked.Exchange(ref _totalTicks, 0);
        Calls = 0;
    }

    public IImageGenerator Wrap(IImageGenerator inner) => new Timed(inner, this);

    private sealed class Timed(IImageGenerator inner, TimedImageGenerator owner) : IImageGenerator
    {
        public async Task<GeneratedImages> GenerateAsync(ImageGenerationInput input, Action<int, int> onStep, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            var result = await inner.GenerateAsync(input, onStep, cancellationToken).ConfigureAwait(false);
            owner.LastMilliseconds += watch.Elapsed.TotalMilliseconds;
            Interlocked.Add(ref owner._totalTicks, watch.Elapsed.Ticks);
            owner.Calls++;
            return result;
        }

        public EngineDescription? Describe() => inner.Describe();

        public Core.Generation.GenerationParameters ResolveDefaults(Core.Generation.GenerationParameters parameters) => inner.ResolveDefaults(parameters);
    }
}
