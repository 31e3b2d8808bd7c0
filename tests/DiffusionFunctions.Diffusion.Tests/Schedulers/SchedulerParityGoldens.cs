using System.Runtime.CompilerServices;
using System.Text.Json;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>
/// Schedules and DPM-Solver loops computed with diffusers' formulas in diffusers' dtypes and operation order, in
/// <c>Data/scheduler_goldens.json</c>, written by <c>tools/reference/scheduler_goldens.py</c> (Debian's numpy 1.24 and
/// torch 1.13). The file is read from beside this source file.
/// </summary>
internal static class SchedulerParityGoldens
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(SourceDirectory(), "Data", "scheduler_goldens.json"))));

    public static IEnumerable<GoldenSchedule> Schedules =>
        Document.Value.RootElement.GetProperty("schedules").EnumerateArray().Select(s => new GoldenSchedule(
            s.GetProperty("sampler").GetString()!,
            s.GetProperty("config").GetRawText(),
            s.GetProperty("steps").GetInt32(),
            Floats(s.GetProperty("timesteps")),
            Floats(s.GetProperty("sigmas"))));

    public static IEnumerable<GoldenLoop> Loops =>
        Document.Value.RootElement.GetProperty("loops").EnumerateArray().Select(l => new GoldenLoop(
            l.GetProperty("config").GetRawText(),
            l.GetProperty("steps").GetInt32(),
            Floats(l.GetProperty("timesteps")),
            l.GetProperty("sum_abs").GetDouble(),
            Floats(l.GetProperty("head")),
            l.TryGetProperty("noise", out var noise) ? noise.EnumerateArray().Select(Floats).ToArray() : null));

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

internal sealed record GoldenSchedule(string Sampler, string ConfigJson, int Steps, float[] Timesteps, float[] Sigmas)
{
    public SchedulerConfig Config => SchedulerConfig.Parse(ConfigJson);

    public override string ToString() => $"{Sampler} {ConfigJson} {Steps} steps";
}

internal sealed record GoldenLoop(string ConfigJson, int Steps, float[] Timesteps, double SumAbs, float[] Head, float[][]? Noise)
{
    public SchedulerConfig Config => SchedulerConfig.Parse(ConfigJson);

    public override string ToString() => $"{ConfigJson} {Steps} steps";
}
