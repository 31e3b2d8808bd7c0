using DiffusionFunctions.Cli.Commands;

namespace DiffusionFunctions.Cli.Tests;

/// <summary><c>dfx --help</c>, <c>dfx COMMAND --help</c>, <c>dfx model</c> and <c>dfx --version</c>: exit 0, every option described.</summary>
public sealed class DfxHelpTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Top_level_help_lists_every_command_and_exits_0(string flag)
    {
        var (exitCode, output, error) = await DfxRunner.RunAsync(flag);

        Assert.Equal((0, ""), (exitCode, error));
        foreach (var command in new[] { "generate", "contact-sheet", "submit", "model inspect", "model create" })
        {
            Assert.Matches($@"(?m)^  {command} +\S", output);
        }
    }

    public static TheoryData<string> CommandNames => [.. DfxApplication.Commands.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CommandNames))]
    public async Task Each_command_help_describes_every_option_and_exits_0(string command)
    {
        var spec = DfxApplication.Commands.Single(c => c.Name == command);

        var (exitCode, output, error) = await DfxRunner.RunAsync([.. command.Split(' '), "--help"]);

        Assert.Equal((0, ""), (exitCode, error));
        Assert.StartsWith($"usage: dfx {command}", output, StringComparison.Ordinal);
        foreach (var option in spec.Options)
        {
            var line = Assert.Single(output.Split('\n'), l => l.StartsWith($"  --{option.Name} ", StringComparison.Ordinal));
            Assert.Contains(option.Description, line, StringComparison.Ordinal);
            if (option.Default is not null)
            {
                Assert.EndsWith($"(default: {option.Default})", line.TrimEnd(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Help_is_found_anywhere_among_a_commands_arguments_even_after_bad_ones()
    {
        var (exitCode, output, _) = await DfxRunner.RunAsync("generate", "--steps", "abc", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--steps N", output, StringComparison.Ordinal);
        Assert.Contains("(default: the model's generation_config.json num_inference_steps, else 25)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model")]
    [InlineData("model", "--help")]
    [InlineData("help", "model")]
    public async Task Dfx_model_lists_its_subcommands_and_exits_0(params string[] args)
    {
        var (exitCode, output, _) = await DfxRunner.RunAsync(args);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("usage: dfx model SUBCOMMAND", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  model inspect +Load a model folder", output);
        Assert.Matches(@"(?m)^  model create +Write a generated model folder", output);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("version")]
    public async Task Version_prints_dfx_and_a_version_and_exits_0(string flag)
    {
        var (exitCode, output, error) = await DfxRunner.RunAsync(flag);

        Assert.Equal((0, ""), (exitCode, error));
        Assert.Matches(@"^dfx \d+\.\d+\.\d+\S*\r?\n$", output);
    }

    [Fact]
    public async Task Dfx_help_command_matches_the_command_help()
    {
        var viaHelp = await DfxRunner.RunAsync("help", "model", "inspect");
        var viaFlag = await DfxRunner.RunAsync("model", "inspect", "--help");

        Assert.Equal(0, viaHelp.ExitCode);
        Assert.Equal(viaFlag.Output, viaHelp.Output);
        Assert.Contains("--json", viaHelp.Output, StringComparison.Ordinal);
    }
}
