using System.Collections.Concurrent;
using Azure;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Policy;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Functions;
using DiffusionFunctions.Worker.Processing;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Worker.Tests.Processing;

/// <summary>
/// What a failed job shows clients in <c>error.message</c>: a short, stable sentence per code, never the exception
/// text (storage responses with headers and XML bodies, blob names); the full cause is logged with the job id.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobErrorMessageTests(AzuriteFixture azurite)
{
    /// <summary>What a storage failure's message looks like: status line, error code, raw headers and the XML body.</summary>
    private const string StorageFailureText = """
        Service request failed.
        Status: 503 (Service Unavailable)
        ErrorCode: ServerBusy

        Content:
        <?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>The server is busy. RequestId:0f1e</Message></Error>

        Headers:
        Server: Azurite-Blob/3.35.0
        x-ms-request-id: 0f1e2d3c
        x-ms-error-code: ServerBusy
        """;

    [Fact]
    public async Task A_job_that_exhausts_its_retries_shows_a_short_stable_reason_and_the_storage_failure_goes_to_the_log()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await WorkerTestHost.StartAsync(
            azurite,
            new() { ["DiffusionFunctions:Worker:MaxDequeueCount"] = "1" },
            services =>
            {
                services.AddSingleton<IImageGenerator, StorageFailureGenerator>();
                services.AddSingleton<ILoggerProvider>(logs);
            });
        var jobId = await host.EnqueueJobAsync(TestJobs.Parameters());
        var message = await host.ReceiveGenerationAsync();

        await Assert.ThrowsAsync<RequestFailedException>(() => host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None));
        await host.Create<GenerationPoisonFunction>().FailPoisonedGeneration(message, CancellationToken.None);

        var job = (await host.Jobs.GetAsync(jobId))!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(JobErrorCodes.RetriesExhausted, job.Error!.Code);
        Assert.Equal(JobErrorMessages.RetriesExhausted, job.Error.Message);
        foreach (var leak in new[] { "ServerBusy", "x-ms-", "<?xml", "Azurite", "RequestFailedException", "\n" })
        {
            Assert.DoesNotContain(leak, job.Error.Message, StringComparison.Ordinal);
        }

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(jobId, StringComparison.Ordinal)
            && e.Message.Contains("ServerBusy", StringComparison.Ordinal));
        var failed = Assert.Single(await host.PeekEventsAsync());
        Assert.DoesNotContain("ServerBusy", failed.Data!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_input_image_does_not_name_the_blob()
    {
        await using var host = await WorkerTestHost.StartAsync(azurite);
        var parameters = TestJobs.Parameters() with
        {
            Mode = Core.Generation.GenerationMode.ImageToImage,
            Strength = 0.5,
            InitImageBlob = "0123456789abcdef0123456789abcdef/init.png",
        };
        var jobId = await host.EnqueueJobAsync(parameters);
        var message = await host.ReceiveGenerationAsync();

        await host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None);

        var job = (await host.Jobs.GetAsync(jobId))!;
        Assert.Equal(JobErrorCodes.InvalidRequest, job.Error!.Code);
        Assert.Equal(JobErrorMessages.InputImageMissing, job.Error.Message);
    }

    [Theory]
    [InlineData(PromptPolicyRevealMatches.Category, "The prompt contains terms blocked by the content policy (violence).")]
    [InlineData(PromptPolicyRevealMatches.Terms, "The prompt contains terms blocked by the content policy (violence): 'gore'.")]
    [InlineData(PromptPolicyRevealMatches.None, "The prompt contains terms blocked by the content policy.")]
    public async Task The_worker_recheck_reveals_what_PromptPolicy_RevealMatches_allows(PromptPolicyRevealMatches reveal, string expected)
    {
        await using var host = await WorkerTestHost.StartAsync(azurite, new() { ["PromptPolicy:RevealMatches"] = reveal.ToString() });
        var jobId = await host.EnqueueJobAsync(TestJobs.Parameters(prompt: "a battlefield full of gore"));
        var message = await host.ReceiveGenerationAsync();

        await host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None);

        Assert.Equal(expected, (await host.Jobs.GetAsync(jobId))!.Error!.Message);
    }

    [Theory]
    [InlineData("steps × strength is 0.4, less than one step.\nat Pipeline.Run()", "steps × strength is 0.4, less than one step.")]
    [InlineData("Value is out of range. (Parameter 'steps')", "Value is out of range.")]
    public void Validation_messages_are_one_line_without_parameter_names(string message, string expected)
    {
        Assert.Equal(expected, JobErrorMessages.Validation(message));
    }

    [Fact]
    public void Validation_messages_are_bounded()
    {
        var message = JobErrorMessages.Validation(new string('x', 10_000));

        Assert.Equal(JobErrorMessages.MaxLength, message.Length);
    }

    /// <summary>Failure injection: generation fails the way a storage outage does.</summary>
    private sealed class StorageFailureGenerator : IImageGenerator
    {
        public Task<GeneratedImages> GenerateAsync(ImageGenerationInput input, Action<int, int> onStep, CancellationToken cancellationToken)
            => throw new RequestFailedException(503, StorageFailureText, "ServerBusy", null);
    }

    /// <summary>Keeps every log entry of the host, for assertions.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Message)> entries = new();

        public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. entries];

        public ILogger CreateLogger(string categoryName) => new Logger(entries);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(LogLevel, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
        }
    }
}
