namespace DiffusionFunctions.Benchmarks;

/// <summary>How busy the machine is, printed with figures so those from a busy machine can be read as such.</summary>
internal static class MachineLoad
{
    /// <summary>The 1-minute load average on Linux, or "n/a".</summary>
    public static string LoadAverage()
        => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
