using System.Text.Json;
using DiffusionFunctions.Cli.Commands;
using DiffusionFunctions.ModelGeneration;

namespace DiffusionFunctions.Cli.Tests;

/// <summary>Output names, <c>--overwrite</c>, <c>--json</c> and <c>--prompts</c>.</summary>
public sealed class DfxOutputTests
{
    [Theory]
    [InlineData("a yellow star on a blue background", "a-yellow-star-on-a-blue-background")]
    [InlineData("a (red:1.2) house, [blurry]", "a-red-1-2-house-blurry")]
    [InlineData("Café crème ☕", "cafe-creme")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    [InlineData("!!!", "image")]
    [InlineData("a very long prompt that goes on and on about a lighthouse at dusk in oil paint", "a-very-long-prompt-that-goes-on-and-on-about-a")]
    public void A_prompt_slug_is_lower_case_letters_and_digits_joined_by_dashes(string prompt, string slug)
    {
        Assert.Equal(slug, ImageFiles.Slug(prompt));
        Assert.True(ImageFiles.Slug(prompt).Length <= ImageFiles.MaxSlugLength);
    }

    [Fact]
    public async Task A_second_run_with_the_same_prompt_and_seed_keeps_the_first_image_unless_overwrite_is_given()
    {
        var model = await GeneratedModelCache.GetTinyAsync();
        using var output = new TempFolder();
        string[] args = ["generate", "--model", model, "--prompt", "a red car", "--steps", "1", "--seed", "3", "--provider", "cpu", "--out", output.Path];
        var first = Path.Combine(output.Path, "a-red-car-3.png");
        var second = Path.Combine(output.Path, "a-red-car-3-2.png");

        var run1 = await DfxRunner.RunAsync(args);
        Assert.True(run1.ExitCode == 0, run1.Error);
        var marker = new byte[] { 1, 2, 3 };
        await File.WriteAllBytesAsync(first, marker); // stands for an earlier image the user keeps

        var run2 = await DfxRunner.RunAsync(args);
        Assert.True(run2.ExitCode == 0, run2.Error);
        Assert.Equal(marker, await File.ReadAllBytesAsync(first));
        Assert.Contains(second + Environment.NewLine, run2.Output, StringComparison.Ordinal);
        Assert.Equal(0x89, (await File.ReadAllBytesAsync(second))[0]);

        var run3 = await DfxRunner.RunAsync([.. args, "--overwrite"]);
        Assert.True(run3.ExitCode == 0, run3.Error);
        Assert.Contains(first + Environment.NewLine, run3.Output, StringComparison.Ordinal);
        Assert.Equal(0x89, (await File.ReadAllBytesAsync(first))[0]);
        Assert.Equal(2, Directory.GetFiles(output.Path).Length);
    }

    [Fact]
    public async Task Generate_json_is_one_document_naming_every_image_with_requested_steps_and_scheduler_timesteps()
    {
        var model = await GeneratedModelCache.GetTinyAsync();
        using var output = new TempFolder();

        var (exitCode, text, error) = await DfxRunner.RunAsync(
            "generate", "--model", model, "--prompt", "a blue ring", "--steps", "2", "--scheduler", "pndm", "--seed", "11", "--count", "2",
            "--provider", "cpu", "--out", output.Path, "--json");

        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(("pndm", 2, 3, 11L), (root.GetProperty("scheduler").GetString(), root.GetProperty("steps").GetInt32(), root.GetProperty("timesteps").GetInt32(), root.GetProperty("seed").GetInt64()));
        var images = root.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal([11L, 12L], images.Select(i => i.GetProperty("seed").GetInt64()));
        Assert.All(images, i => Assert.True(File.Exists(i.GetProperty("path").GetString())));
        Assert.Equal(Path.Combine(output.Path, "a-blue-ring-12.png"), images[1].GetProperty("path").GetString());
    }

    [Fact]
    public async Task Model_inspect_json_describes_the_parts_and_their_tensors()
    {
        var model = await GeneratedModelCache.GetTinyAsync();

        var (exitCode, text, error) = await DfxRunner.RunAsync("model", "inspect", model, "--provider", "cpu", "--json");

        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(("cpu", 64, "PNDMScheduler"), (root.GetProperty("provider").GetString(), root.GetProperty("defaultWidth").GetInt32(), root.GetProperty("scheduler").GetString()));
        var unet = root.GetProperty("parts").EnumerateArray().Single(p => p.GetProperty("part").GetString() == "unet/model.onnx");
        Assert.Contains(unet.GetProperty("inputs").EnumerateArray(), t => t.GetProperty("name").GetString() == "timestep");
    }

    [Fact]
    public async Task Generate_prompts_runs_every_line_of_a_file_in_one_process()
    {
        var model = await GeneratedModelCache.GetTinyAsync();
        using var output = new TempFolder();
        Directory.CreateDirectory(output.Path);
        var prompts = Path.Combine(output.Path, "prompts.txt");
        await File.WriteAllLinesAsync(prompts, ["a red circle", "", "  a green star  ", "a red circle"]);

        var (exitCode, text, error) = await DfxRunner.RunAsync(
            "generate", "--model", model, "--prompts", prompts, "--steps", "1", "--seed", "4", "--provider", "cpu", "--out", Path.Combine(output.Path, "images"));

        Assert.True(exitCode == 0, error);
        Assert.Equal(
            ["a-green-star-4.png", "a-red-circle-4-2.png", "a-red-circle-4.png"],
            Directory.GetFiles(Path.Combine(output.Path, "images")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(3, text.Split('\n').Count(l => l.StartsWith("seed: 4  ", StringComparison.Ordinal)));
    }
}
