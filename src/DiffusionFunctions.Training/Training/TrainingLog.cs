using System.Diagnostics;
using System.Globalization;

namespace DiffusionFunctions.Training.Training;

/// <summary>Timestamped progress lines on standard output (the training log).</summary>
internal static class TrainingLog
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Write(string message) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{Clock.Elapsed:hh\\:mm\\:ss}] {message}"));
}
