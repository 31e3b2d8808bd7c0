using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// <c>dfx submit</c>: posts a prompt to a running DiffusionFunctions API (local or deployed), follows the job with a
/// progress bar (a line per change when the output is not a terminal), and downloads the PNGs under the same unique names
/// as <c>dfx generate</c>. Options the user leaves out are not sent, so the service applies its model's defaults.
/// </summary>
public sealed class SubmitCommand(IAnsiConsole console, TextWriter error, HttpMessageHandler? handler = null)
{
    /// <summary>The environment variable read when <c>--api</c> is not given.</summary>
    public const string ApiVariable = "DFX_API";

    /// <summary>The environment variable read when <c>--key</c> is not given.</summary>
    public const string KeyVariable = "DFX_KEY";

    /// <summary>The API used when neither <c>--api</c> nor <c>DFX_API</c> is set.</summary>
    public const string DefaultApi = "http://localhost:7071/api";

    /// <summary>What the command accepts.</summary>
    public static readonly CommandSpec Spec = new(
        "submit",
        "Submit a prompt to a running DiffusionFunctions API, show its progress and download the PNGs.",
        "",
        [
            CommonOptions.Prompt,
            OptionSpec.Value("api", "URL", $"the API base URL (a bare host gets /api); else ${ApiVariable}", DefaultApi),
            OptionSpec.Value("key", "KEY", $"the function key, sent as x-functions-key; else ${KeyVariable}", "none (the local host does not check keys)"),
            CommonOptions.Negative,
            OptionSpec.Value("steps", "N", "denoising steps requested, 1-500", "the service's model default"),
            OptionSpec.Value("scheduler", "NAME", CommonOptions.Scheduler.Description, "the service's model default"),
            OptionSpec.Value("seed", "N", "the seed of the first image", "picked by the service"),
            CommonOptions.Count,
            OptionSpec.Value("width", "N", CommonOptions.Width.Description, "the service's model default"),
            OptionSpec.Value("height", "N", CommonOptions.Height.Description, "the service's model default"),
            OptionSpec.Value("guidance", "X", "classifier-free guidance scale, 0-50", "the service's model default"),
            OptionSpec.Value("model", "NAME", "the deployment's model to run on (one of GET /api/models)", "the deployment's default model"),
            OptionSpec.Value("out", "DIR", "the folder for the downloaded PNGs", "the current folder"),
            OptionSpec.Value("timeout", "SECONDS", "give up waiting for the job after this long, 1-86400", "600"),
            CommonOptions.Overwrite,
            CommonOptions.Json,
        ],
        [
            "The job keeps running on the service if dfx stops waiting; read it with GET {api}/generations/{id}.",
            "example: DFX_API=http://localhost:7071/api dfx submit --prompt \"a yellow star on a blue background\" --out /tmp/dfx-images",
        ]);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs the command; returns the exit code (1 when the job failed or was cancelled).</summary>
    /// <exception cref="UsageException">Bad input, or an API answer other than the documented one.</exception>
    public async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.RefusePositionals();
        var prompt = CommonOptions.CheckPrompt(line.Require("prompt"), "--prompt");
        var api = GenerationApiClient.ParseBase(line.Get("api") ?? NonEmpty(Environment.GetEnvironmentVariable(ApiVariable)) ?? DefaultApi);
        var key = line.Get("key") ?? NonEmpty(Environment.GetEnvironmentVariable(KeyVariable));
        var body = new JsonObject { ["prompt"] = prompt };
        Add(body, "negativePrompt", line.Get("negative"));
        Add(body, "steps", line.GetInt("steps", 1, Diffusion.Pipeline.StableDiffusionPipeline.MaxSteps));
        Add(body, "scheduler", CommonOptions.ReadScheduler(line));
        Add(body, "seed", line.GetLong("seed"));
        Add(body, "count", line.GetInt("count", 1, Diffusion.Pipeline.StableDiffusionPipeline.MaxCount));
        Add(body, "width", CommonOptions.ReadSide(line, CommonOptions.Width));
        Add(body, "height", CommonOptions.ReadSide(line, CommonOptions.Height));
        Add(body, "guidanceScale", line.GetDouble("guidance", 0, 50));
        Add(body, "model", line.Get("model"));
        var outDirectory = line.Get("out") ?? ".";
        var timeout = TimeSpan.FromSeconds(line.GetInt("timeout", 1, 86_400) ?? 600);
        var json = line.Has(CommonOptions.Json.Name);
        var overwrite = line.Has(CommonOptions.Overwrite.Name);

        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        var client = new GenerationApiClient(http, api, key);
        var (job, location) = await client.SubmitAsync(body, cancellationToken).ConfigureAwait(false);
        var id = job["id"]!.GetValue<string>();
        if (!json)
        {
            console.WriteLineUnwrapped($"job {id} submitted to {api}");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            job = json || !console.Profile.Capabilities.Interactive
                ? await FollowAsync(client, location, job, report: json ? null : status => console.WriteLineUnwrapped($"job {id}: {status}"), deadline.Token).ConfigureAwait(false)
                : await FollowWithBarAsync(client, location, job, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"job {id} did not finish within {timeout.TotalSeconds:0} s (--timeout); it goes on in the service: {location}"));
        }

        var status = Text(job, "status");
        if (status != "succeeded")
        {
            var reason = job["error"] is JsonObject failure ? $": {Text(failure, "code")}: {Text(failure, "message")}" : ".";
            await error.WriteLineAsync($"dfx: error: job {id} {status}{reason}").ConfigureAwait(false);
            return 1;
        }

        var seed = job["parameters"]?["seed"]?.GetValue<long>() ?? 0;
        var paths = new List<string>();
        var results = job["results"] as JsonArray ?? [];
        for (var i = 0; i < results.Count; i++)
        {
            var png = await client.DownloadAsync(new Uri(results[i]!.GetValue<string>()), cancellationToken).ConfigureAwait(false);
            var path = await ImageFiles.WriteAsync(outDirectory, prompt, seed + i, png, overwrite, cancellationToken).ConfigureAwait(false);
            paths.Add(path);
            if (!json)
            {
                console.WriteLineUnwrapped(path);
            }
        }

        if (json)
        {
            var document = new JsonObject
            {
                ["id"] = id,
                ["api"] = api.ToString(),
                ["status"] = status,
                ["seed"] = seed,
                ["parameters"] = job["parameters"]?.DeepClone(),
                ["images"] = new JsonArray([.. paths.Select(p => (JsonNode)JsonValue.Create(p))]),
                ["withheldCount"] = job["withheldCount"]?.DeepClone(),
            };
            console.WriteLineUnwrapped(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            var parameters = job["parameters"];
            console.WriteLineUnwrapped(string.Create(CultureInfo.InvariantCulture,
                $"seed: {seed}  scheduler: {parameters?["scheduler"]}  steps: {parameters?["steps"]}  size: {parameters?["width"]}x{parameters?["height"]}  guidance: {parameters?["guidanceScale"]}  model: {job["model"]}  device: {job["device"]}"));
        }

        return 0;
    }

    private static async Task<JsonObject> FollowAsync(GenerationApiClient client, Uri location, JsonObject job, Action<string>? report, CancellationToken cancellationToken)
    {
        var last = "";
        while (true)
        {
            var line = Describe(job);
            if (line != last)
            {
                report?.Invoke(line);
                last = line;
            }

            if (IsFinished(job))
            {
                return job;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            job = await client.GetAsync(location, cancellationToken).ConfigureAwait(false) ?? job;
        }
    }

    private async Task<JsonObject> FollowWithBarAsync(GenerationApiClient client, Uri location, JsonObject job, CancellationToken cancellationToken) =>
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("queued", maxValue: 1);
                return await FollowAsync(client, location, job, _ => { }, cancellationToken, job =>
                {
                    task.Description = Text(job, "status");
                    if (job["progress"] is JsonObject progress)
                    {
                        task.MaxValue = Math.Max(1, progress["totalSteps"]?.GetValue<int>() ?? 1);
                        task.Value = progress["step"]?.GetValue<int>() ?? 0;
                    }
                }).ConfigureAwait(false);
            }).ConfigureAwait(false);

    private static async Task<JsonObject> FollowAsync(GenerationApiClient client, Uri location, JsonObject job, Action<string> report, CancellationToken cancellationToken, Action<JsonObject> update)
    {
        while (true)
        {
            update(job);
            if (IsFinished(job))
            {
                report(Describe(job));
                return job;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            job = await client.GetAsync(location, cancellationToken).ConfigureAwait(false) ?? job;
        }
    }

    private static bool IsFinished(JsonObject job) => Text(job, "status") is "succeeded" or "failed" or "cancelled";

    // "queued", "running 3/25", "succeeded".
    private static string Describe(JsonObject job) =>
        job["progress"] is JsonObject progress && Text(job, "status") == "running"
            ? string.Create(CultureInfo.InvariantCulture, $"running {progress["step"]}/{progress["totalSteps"]}")
            : Text(job, "status");

    private static string Text(JsonObject node, string name) => node[name]?.ToString() ?? "";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static void Add<T>(JsonObject body, string name, T? value)
    {
        if (value is not null)
        {
            body[name] = JsonValue.Create(value);
        }
    }
}
