namespace DiffusionFunctions.Benchmarks;

/// <summary>
/// A Stopwatch-harness benchmark that warms up, measures, and prints one line per figure:
/// the number, its unit, the shape, the provider/machine, iterations and the target it is judged against.
/// </summary>
public interface IBenchmarkReport
{
    /// <summary>Name used on the command line (lower-case, dashes).</summary>
    string Name { get; }

    /// <summary>One line saying what it measures.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark and writes its figures; returns a process exit code.</summary>
    Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken);
}
