namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>The run command's options as a user types them (issue 14, item 9): help, named errors, the model checked first.</summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Help_prints_the_usage_and_exits_0()
    {
        await using var run = RunnerProcess.Start("--help");
        Assert.Equal(0, await run.WaitForExitAsync(Quick));
        Assert.Contains("Usage: infra/scripts/run-local.sh", run.Output, StringComparison.Ordinal);
        Assert.Contains("--serve", run.Output, StringComparison.Ordinal);
        Assert.Contains("7071", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--steps", "abc")]
    [InlineData("--size", "-3")]
    [InlineData("--port", "70000")]
    [InlineData("--seed", "x")]
    public async Task A_bad_value_names_the_option_and_exits_2(string option, string value)
    {
        await using var run = RunnerProcess.Start(option, value);
        Assert.Equal(2, await run.WaitForExitAsync(Quick));
        Assert.Contains($"local-run: {option} must be a whole number", run.Output, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_named()
    {
        await using var run = RunnerProcess.Start("--stpes", "3");
        Assert.Equal(2, await run.WaitForExitAsync(Quick));
        Assert.Contains("local-run: unknown option '--stpes'.", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_model_folder_fails_before_anything_starts()
    {
        await using var run = RunnerProcess.Start("--model", "/nonexistent/model", "--in-process");
        Assert.Equal(1, await run.WaitForExitAsync(Quick));
        Assert.Contains("--model '/nonexistent/model' has no model_index.json", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Azurite", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_defaults_to_the_documented_port_7071()
    {
        var options = LocalRunOptions.Parse(["--serve"], out var exitCode);
        Assert.Equal(0, exitCode);
        Assert.NotNull(options);
        Assert.True(options.Serve);
        Assert.Equal(7071, options.Port);
    }

    [Fact]
    public void Models_parse_as_name_and_folder_pairs_the_first_the_default()
    {
        var options = LocalRunOptions.Parse(["--models", "shapes=models/tiny-shapes, sd15=models/sd15-onnx"], out var exitCode);

        Assert.Equal(0, exitCode);
        Assert.Equal([new LocalModel("shapes", "models/tiny-shapes"), new LocalModel("sd15", "models/sd15-onnx")], options!.Models);
    }

    [Theory]
    [InlineData("Shapes=models/tiny-shapes", "NAME 1-32 lower-case letters")]
    [InlineData("shapes", "--models takes NAME=DIR pairs")]
    [InlineData("a=x,a=y", "--models names 'a' twice.")]
    public void Bad_models_are_named_and_exit_2(string value, string expected)
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Null(LocalRunOptions.Parse(["--models", value], out var exitCode));
            Assert.Equal(2, exitCode);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Model_and_models_together_are_refused()
    {
        Assert.Null(LocalRunOptions.Parse(["--model", "a", "--models", "x=y"], out var exitCode));
        Assert.Equal(2, exitCode);
    }
}
