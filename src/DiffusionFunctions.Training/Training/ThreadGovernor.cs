using System.Globalization;
using static TorchSharp.torch;

namespace DiffusionFunctions.Training.Training;

/// <summary>
/// Chooses libtorch's intra-op thread count every 50 steps: up to the configured maximum while the machine's 1-minute
/// load average is below 2.5, one thread above it (OpenMP regions stall on descheduled threads when cores are shared).
/// </summary>
internal static class ThreadGovernor
{
    public static int MaxThreads { get; set; } = 1;

    private static int current;

    public static void Adjust(int step)
    {
        if (step % 50 != 0)
        {
            return;
        }

        var load = 0.0;
        if (File.Exists("/proc/loadavg"))
        {
            _ = double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out load);
        }

        var threads = load < 2.5 ? MaxThreads : 1;
        if (threads != current)
        {
            set_num_threads(threads);
            current = threads;
            TrainingLog.Write(string.Create(CultureInfo.InvariantCulture, $"threads: {threads} (load average {load:F2})"));
        }
    }
}
