using DiffusionFunctions.Cli.Commands;

namespace DiffusionFunctions.Cli.Tests;

/// <summary>
/// Every option is checked before a model loads: the model folder given is an empty folder, which fails to load, so an
/// error about the option proves the check came first. Messages are dfx's own, never an exception's text.
/// </summary>
public sealed class DfxValidationTests
{
    [Theory]
    [InlineData("--scheduler", "eulerr", "option --scheduler must be one of pndm, ddim, euler, euler-ancestral, lms, dpm++-2m, dpm++-2m-karras, lcm, ddpm, not 'eulerr'.")]
    [InlineData("--width", "100", "option --width must be a multiple of 8 from 64 to 2048, not '100'.")]
    [InlineData("--height", "4096", "option --height must be a multiple of 8 from 64 to 2048, not '4096'.")]
    [InlineData("--guidance", "nan", "option --guidance must be a number from 0 to 50, not 'nan'.")]
    [InlineData("--count", "17", "option --count must be an integer from 1 to 16, not '17'.")]
    [InlineData("--seed", "1.5", "option --seed must be an integer, not '1.5'.")]
    [InlineData("--provider", "gpu", "option --provider must be one of auto, cuda, cpu, not 'gpu'.")]
    [InlineData("--strength", "0.5", "option --strength needs --init.")]
    [InlineData("--init", "/nonexistent/init.png", "the init image '/nonexistent/init.png' does not exist.")]
    public async Task Generate_refuses_a_bad_option_before_loading_the_model(string option, string value, string message)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Path); // an empty folder: loading it would fail with a different message

        var (exitCode, output, error) = await DfxRunner.RunAsync("generate", "--model", folder.Path, "--prompt", "a cat", option, value);

        Assert.Equal(2, exitCode);
        Assert.Equal("dfx: error: " + message + Environment.NewLine, error);
        Assert.Equal("", output);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData("contact-sheet", "--scheduler", "eulerr")]
    [InlineData("submit", "--scheduler", "eulerr")]
    [InlineData("submit", "--width", "100")]
    public async Task Other_commands_refuse_the_same_options_in_the_same_words(string command, string option, string value)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Path);
        string[] args = command == "submit"
            ? ["submit", "--api", "http://127.0.0.1:9/api", "--prompt", "a cat", option, value]
            : [command, "--model", folder.Path, option, value];

        var (exitCode, _, error) = await DfxRunner.RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"dfx: error: option {option} must be", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", error, StringComparison.Ordinal);
        Assert.DoesNotContain("GenerationSettings", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_composable_diffusion_prompt_is_refused_before_loading()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Path);

        var (exitCode, _, error) = await DfxRunner.RunAsync("generate", "--model", folder.Path, "--prompt", "a cat AND a dog");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("dfx: error: --prompt: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_refusal_after_load_is_translated_into_option_names()
    {
        var exception = new ArgumentException("GenerationSettings.Width must be a multiple of 8 from 64 to 2048, not 100.", "settings");

        var usage = SettingsErrors.ToUsage(exception);

        Assert.Equal("--width must be a multiple of 8 from 64 to 2048, not 100.", usage.Message);
    }
}
