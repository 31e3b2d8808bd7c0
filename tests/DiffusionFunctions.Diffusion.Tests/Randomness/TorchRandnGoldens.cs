using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace DiffusionFunctions.Diffusion.Tests.Randomness;

/// <summary>
/// Golden <c>torch.randn</c> values in <c>Data/torch_randn_goldens.json</c>, written by <c>tools/reference/torch_randn_goldens.py</c>
/// with Debian's python3-torch 1.13 (CPU, AVX2 kernels). The file is read from beside this source file.
/// </summary>
internal static class TorchRandnGoldens
{
    private static readonly Lazy<IReadOnlyList<GoldenCase>> LazyCases = new(Load);

    public static IReadOnlyList<GoldenCase> Cases => LazyCases.Value;

    private static IReadOnlyList<GoldenCase> Load()
    {
        var path = Path.Combine(SourceDirectory(), "Data", "torch_randn_goldens.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var cases = new List<GoldenCase>();
        foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var draws = new List<GoldenDraw>();
            foreach (var d in c.GetProperty("draws").EnumerateArray())
            {
                draws.Add(new GoldenDraw(
                    d.GetProperty("count").GetInt32(),
                    Floats(d, "values"),
                    Floats(d, "head"),
                    Floats(d, "tail"),
                    d.TryGetProperty("sum", out var sum) ? sum.GetDouble() : null,
                    d.TryGetProperty("sum_abs", out var sumAbs) ? sumAbs.GetDouble() : null));
            }

            cases.Add(new GoldenCase(
                ulong.Parse(c.GetProperty("seed").GetString()!, CultureInfo.InvariantCulture),
                ulong.Parse(c.GetProperty("initial_seed").GetString()!, CultureInfo.InvariantCulture),
                draws));
        }

        return cases;
    }

    private static float[]? Floats(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) ? array.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray() : null;

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

internal sealed record GoldenCase(ulong Seed, ulong InitialSeed, IReadOnlyList<GoldenDraw> Draws)
{
    public override string ToString() => $"seed {Seed}: {string.Join(", ", Draws.Select(d => d.Count))}";
}

internal sealed record GoldenDraw(int Count, float[]? Values, float[]? Head, float[]? Tail, double? Sum, double? SumAbs);
