namespace DiffusionFunctions.Cli.Tests;

/// <summary>
/// <c>dfx submit</c>'s API address: <c>--api</c>, else <c>DFX_API</c>; a bare host gets <c>/api</c>. Port 9 (discard) on the
/// loopback refuses connections, so each run ends at the connection with the URL it used. The full submit runs against the
/// in-process function host in DiffusionFunctions.Worker.Tests (DfxSubmitTests).
/// </summary>
public sealed class DfxSubmitOptionTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9", "http://127.0.0.1:9/api/")]
    [InlineData("http://127.0.0.1:9/api", "http://127.0.0.1:9/api/")]
    [InlineData("http://127.0.0.1:9/custom/prefix/", "http://127.0.0.1:9/custom/prefix/")]
    public async Task The_api_option_is_the_base_url_and_a_bare_host_gets_the_api_prefix(string api, string used)
    {
        var (exitCode, _, error) = await DfxRunner.RunAsync("submit", "--api", api, "--prompt", "a cat");

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"dfx: error: could not reach the API at {used}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_api_option_the_environment_variable_is_used()
    {
        var previous = Environment.GetEnvironmentVariable("DFX_API");
        Environment.SetEnvironmentVariable("DFX_API", "http://127.0.0.1:9");
        try
        {
            var (exitCode, _, error) = await DfxRunner.RunAsync("submit", "--prompt", "a cat");

            Assert.Equal(2, exitCode);
            Assert.StartsWith("dfx: error: could not reach the API at http://127.0.0.1:9/api/: ", error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DFX_API", previous);
        }
    }

    [Theory]
    [InlineData("ftp://example.org/api")]
    [InlineData("localhost:7071")]
    public async Task An_api_that_is_not_an_http_url_is_refused_before_anything_is_sent(string api)
    {
        var (exitCode, _, error) = await DfxRunner.RunAsync("submit", "--api", api, "--prompt", "a cat");

        Assert.Equal(2, exitCode);
        Assert.Equal($"dfx: error: --api must be an absolute http or https URL such as http://localhost:7071/api, not '{api}'." + Environment.NewLine, error);
    }
}
