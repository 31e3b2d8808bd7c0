using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Cli.Tests;

/// <summary>
/// dfx writing to a pipe: no line is hard-wrapped (a long path or tensor name stays on one line, with or without
/// <c>COLUMNS</c>), no escape sequences, and ONNX Runtime's native log does not reach standard error; the one friendly
/// CUDA line does when CUDA is missing.
/// </summary>
public sealed class DfxNonTerminalTests
{
    private static readonly string LongName = new string('d', 90) + "-folder-with-a-name-longer-than-any-terminal";

    [Theory]
    [InlineData(null)]
    [InlineData("40")]
    public async Task Generate_into_a_pipe_prints_a_long_path_on_one_line_and_only_the_friendly_cuda_line(string? columns)
    {
        var model = await GeneratedModelCache.GetTinyAsync();
        using var root = new TempFolder();
        var outDirectory = Path.Combine(root.Path, LongName, LongName);

        var (exitCode, output, error) = await DfxProcess.RunAsync(
            new Dictionary<string, string?> { ["COLUMNS"] = columns },
            "generate", "--model", model, "--prompt", "a yellow star on a blue background", "--steps", "1", "--seed", "21", "--provider", "auto", "--out", outDirectory);

        Assert.True(exitCode == 0, error);
        var expected = Path.Combine(outDirectory, "a-yellow-star-on-a-blue-background-21.png");
        Assert.True(expected.Length > 200);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected, lines[0]);
        Assert.StartsWith("seed: 21  scheduler: ", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        AssertQuietStandardError(error);
    }

    [Fact]
    public async Task Model_inspect_into_a_pipe_keeps_every_table_row_and_path_whole()
    {
        var model = await GeneratedModelCache.GetTinyAsync();
        using var root = new TempFolder();
        var copy = Path.Combine(root.Path, LongName, "tiny");
        CopyDirectory(model, copy);

        var (exitCode, output, error) = await DfxProcess.RunAsync(new Dictionary<string, string?> { ["COLUMNS"] = null }, "model", "inspect", copy, "--provider", "auto");

        Assert.True(exitCode == 0, error);
        Assert.Contains("folder: " + Path.GetFullPath(copy) + "\n", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^│ unet/model\.onnx +│ input +│ timestep +│ \w+\[\w*\] +│\r?$", output);
        Assert.Matches(@"(?m)^│ vae_decoder/model\.onnx +│ output +│ \w+ +│ float32\[[\w,]+\] +│\r?$", output);
        Assert.DoesNotContain('\u001b', output);
        AssertQuietStandardError(error);
    }

    [Fact]
    public async Task Help_into_a_pipe_exits_0_with_long_lines_unbroken()
    {
        var (exitCode, output, error) = await DfxProcess.RunAsync(new Dictionary<string, string?> { ["COLUMNS"] = null }, "generate", "--help");

        Assert.Equal((0, ""), (exitCode, error));
        Assert.Contains("  --scheduler NAME          the sampler: pndm, ddim, euler, euler-ancestral, lms, dpm++-2m, dpm++-2m-karras, lcm, ddpm (default: the model folder's own)\n", output, StringComparison.Ordinal);
    }

    private static void AssertQuietStandardError(string error)
    {
        Assert.DoesNotContain("Failed to load library", error, StringComparison.Ordinal);
        Assert.DoesNotContain("onnxruntime:", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', error);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length <= 1, error);
        Assert.All(lines, l => Assert.StartsWith("dfx: warning: CUDA execution provider (device 0) could not be loaded; running on CPU.", l, StringComparison.Ordinal));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
