using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>
/// The README's HTTP examples work as written (issue 14, item 1): every marked block runs in bash against the local serve
/// (the README's <c>127.0.0.1:7071</c> pointed at the test's port, <c>&lt;id&gt;</c> replaced by a finished job's id), and
/// each <c>curl</c> gets the status the README documents.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ReadmeExamplesTests(ServeFixture fixture)
{
    private const string DocumentedAuthority = "127.0.0.1:7071";

    /// <summary>Wraps curl so that each call appends the status of its last response (redirects, 100s aside) to a file.</summary>
    private const string StatusRecorder = """
        curl() {
          local headers rc
          headers="$(mktemp)"
          command curl -D "$headers" "$@"; rc=$?
          awk 'toupper($1) ~ /^HTTP\// { s = $2 } END { print s }' "$headers" >> "$DFX_README_STATUSES"
          rm -f "$headers"
          return $rc
        }

        """;

    public static TheoryData<int> ExampleLines()
    {
        var data = new TheoryData<int>();
        foreach (var example in ReadmeExample.All().Where(e => !e.IsSetup))
        {
            data.Add(example.Line);
        }

        return data;
    }

    [Fact]
    public void The_readme_has_runnable_examples_and_a_setup_defining_api_and_key()
    {
        var examples = ReadmeExample.All();
        Assert.True(examples.Count(e => !e.IsSetup) >= 8, $"only {examples.Count(e => !e.IsSetup)} runnable examples are marked");
        var setup = Assert.Single(examples, e => e.IsSetup);
        Assert.Contains("API=http://" + DocumentedAuthority + "/api", setup.Code, StringComparison.Ordinal);
        Assert.Contains("KEY=" + ServeBanner.PlaceholderKey, setup.Code, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_other_example_against_the_api_says_it_needs_sd15()
    {
        var readme = File.ReadAllText(ReadmeExample.ReadmePath);
        Assert.DoesNotContain("$API/api/", readme, StringComparison.Ordinal); // API already ends in /api (the old 404)
        foreach (var (code, above) in ReadmeExample.Unmarked(readme).Where(b => b.Code.Contains("\"$API/", StringComparison.Ordinal)))
        {
            Assert.True(above.Contains("SD 1.5", StringComparison.Ordinal), $"This example is neither run by the test nor marked as needing SD 1.5:\n{code}");
        }
    }

    [Theory]
    [MemberData(nameof(ExampleLines))]
    public async Task The_example_gets_its_documented_statuses(int line)
    {
        var examples = ReadmeExample.All();
        var setup = examples.Single(e => e.IsSetup);
        var example = examples.Single(e => e.Line == line);
        var authority = fixture.Serve.Api.Authority;
        var jobId = await FinishedJobAsync();

        var folder = Directory.CreateTempSubdirectory("dfx-readme-example-");
        try
        {
            // The files the image examples name: any PNG of the user's (64x64 for the shipped model).
            foreach (var name in new[] { "photo.png", "house.png", "door-mask.png" })
            {
                await File.WriteAllBytesAsync(Path.Combine(folder.FullName, name), TestImages.Png(64, 64));
            }

            var statuses = Path.Combine(folder.FullName, "statuses");
            var script = StatusRecorder + setup.Code.Replace(DocumentedAuthority, authority, StringComparison.Ordinal) + "\n"
                + example.Code.Replace(DocumentedAuthority, authority, StringComparison.Ordinal).Replace("<id>", jobId, StringComparison.Ordinal) + "\n";
            var (exitCode, output) = await RunBashAsync(script, folder.FullName, statuses);
            var got = File.Exists(statuses)
                ? (await File.ReadAllLinesAsync(statuses)).Where(l => l.Length > 0).Select(int.Parse).ToArray()
                : [];
            Assert.True(example.Statuses.SequenceEqual(got),
                $"README.md line {line}: documented {string.Join(' ', example.Statuses)}, got {string.Join(' ', got)} (bash exit {exitCode}).\n{example.Code}\n--- output:\n{output}");
            Assert.Equal(0, exitCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A finished job on the serve, for the examples that read or cancel <c>&lt;id&gt;</c>.</summary>
    private async Task<string> FinishedJobAsync()
    {
        using var http = new HttpClient { BaseAddress = fixture.Serve.Origin, Timeout = TimeSpan.FromMinutes(2) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/generations")
        {
            Content = JsonContent.Create(new { prompt = "a red star on a white background", width = 64, height = 64, steps = 5 }),
        };
        request.Headers.Add("Prefer", "wait=60");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 200, $"the job did not finish within the wait: {(int)response.StatusCode} {body}");
        using var job = JsonDocument.Parse(body);
        return job.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string script, string folder, string statuses)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DFX_README_STATUSES"] = statuses;
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await bash.WaitForExitAsync(deadline.Token);
        return (bash.ExitCode, await output + await errors);
    }
}
