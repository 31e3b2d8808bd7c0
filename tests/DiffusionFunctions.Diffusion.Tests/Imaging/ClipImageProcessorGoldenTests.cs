using System.Runtime.CompilerServices;
using System.Text.Json;
using DiffusionFunctions.Diffusion.Imaging;
using Xunit.Abstractions;

namespace DiffusionFunctions.Diffusion.Tests.Imaging;

/// <summary>
/// The safety checker's input against goldens from Pillow and NumPy (<c>tools/reference/safety_checker_input_goldens.py</c>,
/// CLIPImageProcessor's steps with Stable Diffusion 1.x's config): every value of the [3, 224, 224] input within ±1 level.
/// </summary>
public sealed class ClipImageProcessorGoldenTests(ITestOutputHelper output)
{
    public static TheoryData<string> Images() => new() { "smooth", "noise", "detail", "nonsquare" };

    [Theory]
    [MemberData(nameof(Images))]
    public void Checker_input_is_within_one_level_of_clip_image_processor(string name)
    {
        var image = SafetyCheckerTestImages.Create(name);
        var golden = Golden(name);
        var processor = ClipImageProcessor.StableDiffusionDefault;

        var input = processor.Process(image);

        Assert.Equal(golden.Resized, processor.ResizedSize(image));
        Assert.Equal(3 * 224 * 224, input.Length);
        var (mean, max, within) = Compare(input, golden.Levels);
        output.WriteLine($"{name}: mean |diff| {mean:F3} levels, max {max}, {within} of {input.Length} within ±1");
        Assert.True(max <= 1, $"{name}: max difference {max} levels");
        foreach (var ((y, x), values) in golden.Samples)
        {
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(values[c], input[(c * 224 * 224) + (y * 224) + x], 1f / 255 / (float)processor.Std[c] + 1e-5f);
            }
        }
    }

    [Fact]
    public void Sizes_are_truncated_as_transformers_does()
    {
        Assert.Equal((298, 224), ClipImageProcessor.StableDiffusionDefault.ResizedSize(new RgbImage(640, 480, new byte[640 * 480 * 3])));
        Assert.Equal((224, 398), ClipImageProcessor.StableDiffusionDefault.ResizedSize(new RgbImage(72, 128, new byte[72 * 128 * 3])));
    }

    // Per value: the engine's normalised input turned back into levels against the golden crop's levels.
    internal static (double Mean, int Max, int Within) Compare(float[] input, byte[] levels)
    {
        var processor = ClipImageProcessor.StableDiffusionDefault;
        var plane = 224 * 224;
        double total = 0;
        int max = 0, within = 0;
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < plane; i++)
            {
                var level = ((input[(c * plane) + i] * processor.Std[c]) + processor.Mean[c]) * 255;
                var diff = Math.Abs(level - levels[(i * 3) + c]);
                var rounded = (int)Math.Round(diff);
                total += diff;
                max = Math.Max(max, rounded);
                within += rounded <= 1 ? 1 : 0;
            }
        }

        return (total / input.Length, max, within);
    }

    internal static (byte[] Levels, (int, int) Resized, List<((int, int), float[])> Samples) Golden(string name)
    {
        var data = Path.Combine(SourceDirectory(), "Data");
        var levels = UserImageDecoder.Decode(File.ReadAllBytes(Path.Combine(data, $"clip_input_{name}.png"))).Pixels;
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "clip_input_goldens.json")));
        var entry = document.RootElement.GetProperty("images").GetProperty(name);
        var resized = entry.GetProperty("resized");
        var positions = document.RootElement.GetProperty("samples").EnumerateArray().Select(p => (p[0].GetInt32(), p[1].GetInt32())).ToList();
        var values = entry.GetProperty("values").EnumerateArray().Select(v => v.EnumerateArray().Select(f => f.GetSingle()).ToArray()).ToList();
        return (levels.ToArray(), (resized[0].GetInt32(), resized[1].GetInt32()), [.. positions.Zip(values)]);
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
