using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DiffusionFunctions.LocalRunner;

/// <summary>
/// Submits the sample prompt over HTTP, polls the job with progress, and downloads the first PNG. API errors are printed
/// as API errors: a transient one while polling (503, 500, 429...) is reported and retried until the run's timeout, any
/// other ends the run with the problem's own words.
/// </summary>
internal static class SampleClient
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<string> RunAsync(Uri baseAddress, LocalRunOptions options, string root, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var body = new { prompt = options.Prompt, width = options.Size, height = options.Size, steps = options.Steps, seed = options.Seed };
        Console.WriteLine($"local-run: POST {new Uri(baseAddress, "api/generations")} {JsonSerializer.Serialize(body)}");
        using var submitted = await http.PostAsJsonAsync("api/generations", body, cancellationToken);
        var answer = await ApiAnswer.ReadAsync(submitted, cancellationToken);
        if (submitted.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException(answer.Describe());
        }

        var location = submitted.Headers.Location ?? throw new InvalidOperationException("the API answered 202 without a Location header.");
        Console.WriteLine($"local-run: 202 Accepted, job {location}");

        var job = await PollAsync(http, location, cancellationToken);
        if (job.GetProperty("status").GetString() != "succeeded")
        {
            throw new InvalidOperationException("the job did not succeed: " + job.GetRawText());
        }

        var resultUrl = new Uri(job.GetProperty("results")[0].GetString()!);
        var png = await http.GetByteArrayAsync(resultUrl, cancellationToken);
        var outputDirectory = Path.GetFullPath(options.OutputDirectory, root);
        Directory.CreateDirectory(outputDirectory);
        var file = Path.Combine(outputDirectory, job.GetProperty("id").GetString() + "-0.png");
        await File.WriteAllBytesAsync(file, png, cancellationToken);
        return file;
    }

    /// <summary>Polls until the job is finished; returns its final record.</summary>
    private static async Task<JsonElement> PollAsync(HttpClient http, Uri location, CancellationToken cancellationToken)
    {
        var lastLine = "";
        while (true)
        {
            using var response = await http.GetAsync(location, cancellationToken);
            var answer = await ApiAnswer.ReadAsync(response, cancellationToken);
            string line;
            if (answer.Status != HttpStatusCode.OK || answer.Member("status") is not { } status)
            {
                if (answer.Status == HttpStatusCode.OK || !answer.IsTransient)
                {
                    throw new InvalidOperationException("reading the job: " + answer.Describe());
                }

                line = answer.Describe() + " (retrying)";
            }
            else
            {
                line = status + Progress(answer.Json!.Value);
                if (status is "succeeded" or "failed" or "cancelled")
                {
                    Console.WriteLine("local-run: " + line);
                    return answer.Json!.Value;
                }
            }

            if (line != lastLine)
            {
                Console.WriteLine("local-run: " + line);
                lastLine = line;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static string Progress(JsonElement job)
        => job.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object
           && p.TryGetProperty("step", out var step) && step.ValueKind == JsonValueKind.Number
           && p.TryGetProperty("totalSteps", out var total) && total.ValueKind == JsonValueKind.Number
            ? string.Create(CultureInfo.InvariantCulture, $" {step.GetInt32()}/{total.GetInt32()}")
            : "";
}
