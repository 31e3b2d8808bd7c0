using System.Text.Json;

namespace DiffusionFunctions.Cli.Tests;

/// <summary><c>dfx model create</c> writes each family preset, <c>dfx model inspect</c> names the family, <c>dfx generate</c> runs it with the folder's defaults.</summary>
public sealed class DfxFamilyTests
{
    [Theory]
    [InlineData("sdxl-tiny", "sdxl", 25, 7.5, 2)]
    [InlineData("sdxl-refiner-tiny", "sdxl-refiner", 25, 7.5, 2)]
    [InlineData("sdxl-turbo-tiny", "sdxl", 1, 0, 1)]
    [InlineData("lcm-tiny", "sd", 4, 8.5, 1)]
    [InlineData("sd-turbo-tiny", "sd", 1, 0, 1)]
    public async Task Each_preset_is_created_inspected_and_generated(string preset, string family, int defaultSteps, double defaultGuidance, int unetBatch)
    {
        using var folder = new TempFolder();
        using var output = new TempFolder();

        var (exitCode, text, error) = await DfxRunner.RunAsync("model", "create", "--preset", preset, "--out", folder.Path);
        Assert.True(exitCode == 0, error);
        Assert.Contains($"wrote {preset} (default, seed", text, StringComparison.Ordinal);

        (exitCode, text, error) = await DfxRunner.RunAsync("model", "inspect", folder.Path, "--provider", "cpu");
        Assert.True(exitCode == 0, error);
        Assert.Contains($"family: {family}", text, StringComparison.Ordinal);

        (exitCode, text, error) = await DfxRunner.RunAsync("model", "inspect", folder.Path, "--provider", "cpu", "--json");
        Assert.True(exitCode == 0, error);
        using (var inspected = JsonDocument.Parse(text))
        {
            Assert.Equal(family, inspected.RootElement.GetProperty("family").GetString());
            Assert.Equal(defaultSteps, inspected.RootElement.GetProperty("defaultSteps").GetInt32());
        }

        (exitCode, text, error) = await DfxRunner.RunAsync("generate", "--model", folder.Path, "--prompt", "a red circle", "--seed", "1", "--provider", "cpu", "--out", output.Path, "--json");
        Assert.True(exitCode == 0, error);
        using var report = JsonDocument.Parse(text);
        var line = report.RootElement.ValueKind == JsonValueKind.Array ? report.RootElement[0] : report.RootElement;
        Assert.Equal(defaultSteps, line.GetProperty("steps").GetInt32());
        Assert.Equal(defaultGuidance, line.GetProperty("guidance").GetDouble());
        Assert.Equal(family, line.GetProperty("family").GetString());
        Assert.Equal(unetBatch, line.GetProperty("unetBatch").GetInt32());
        Assert.Single(Directory.GetFiles(output.Path, "*.png"));
    }
}
