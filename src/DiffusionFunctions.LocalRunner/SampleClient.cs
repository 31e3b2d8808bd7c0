using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DiffusionFunctions.LocalRunner;

/// <summary>Submits the sample prompt over HTTP, polls the job with progress, and downloads the first PNG.</summary>
internal static class SampleClient
{
    public static async Task<string> RunAsync(Uri baseAddress, LocalRunOptions options, string root, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var body = new { prompt = options.Prompt, width = options.Size, height = options.Size, steps = options.Steps, seed = options.Seed };
        Console.WriteLine($"local-run: POST {new Uri(baseAddress, "api/generations")} {JsonSerializer.Serialize(body)}");
        using var submitted = await http.PostAsJsonAsync("api/generations", body, cancellationToken);
        var submittedJson = await submitted.Content.ReadAsStringAsync(cancellationToken);
        if (submitted.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"The API answered {(int)submitted.StatusCode}: {submittedJson}");
        }

        var location = submitted.Headers.Location ?? throw new InvalidOperationException("202 without a Location header.");
        Console.WriteLine($"local-run: 202 Accepted, job {location}");

        JsonElement job;
        var lastLine = "";
        while (true)
        {
            using var response = await http.GetAsync(location, cancellationToken);
            job = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
            var status = job.GetProperty("status").GetString();
            var line = status + (job.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object
                ? string.Create(CultureInfo.InvariantCulture, $" {p.GetProperty("step").GetInt32()}/{p.GetProperty("totalSteps").GetInt32()}")
                : "");
            if (line != lastLine)
            {
                Console.WriteLine("local-run: " + line);
                lastLine = line;
            }

            if (status is "succeeded" or "failed" or "cancelled")
            {
                break;
            }

            await Task.Delay(250, cancellationToken);
        }

        if (job.GetProperty("status").GetString() != "succeeded")
        {
            throw new InvalidOperationException("The job did not succeed: " + job.GetRawText());
        }

        var resultUrl = new Uri(job.GetProperty("results")[0].GetString()!);
        var png = await http.GetByteArrayAsync(resultUrl, cancellationToken);
        var outputDirectory = Path.GetFullPath(options.OutputDirectory, root);
        Directory.CreateDirectory(outputDirectory);
        var file = Path.Combine(outputDirectory, job.GetProperty("id").GetString() + "-0.png");
        await File.WriteAllBytesAsync(file, png, cancellationToken);
        return file;
    }
}
