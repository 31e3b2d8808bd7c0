using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker.Functions;
using DiffusionFunctions.Worker.Processing;
using DiffusionFunctions.Worker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DiffusionFunctions.Worker.Tests.Processing;

/// <summary>
/// Failure paths: requests that can never succeed fail at once; a job whose generation always fails transiently is
/// retried, lands in the poison queue and is failed by the poison function. The transient case swaps the engine for
/// <see cref="AlwaysThrowsTransientErrorGenerator"/>, the one fake in this suite (failure injection only).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FailureInjectionTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("a lighthouse", "warp-drive", 64, JobErrorCodes.InvalidRequest, "Unknown scheduler 'warp-drive'")]
    [InlineData("a lighthouse", null, 60, JobErrorCodes.InvalidRequest, "Size 60x60 is invalid")]
    [InlineData("a battlefield full of gore", null, 64, JobErrorCodes.PromptBlocked, "blocked by the content policy (violence).")]
    public async Task A_request_that_can_never_succeed_fails_at_once_and_completes_the_message(
        string prompt, string? scheduler, int size, string code, string reason)
    {
        await using var host = await WorkerTestHost.StartAsync(azurite);
        var jobId = await host.EnqueueJobAsync(TestJobs.Parameters(prompt: prompt, scheduler: scheduler, size: size));
        var message = await host.ReceiveGenerationAsync();

        var outcome = await host.Create<ProcessGenerationFunction>().ProcessGeneration(message, CancellationToken.None);

        Assert.Equal(JobProcessingOutcome.Failed, outcome);
        var job = await host.Jobs.GetAsync(jobId);
        Assert.Equal(JobStatus.Failed, job!.Status);
        Assert.Equal(code, job.Error!.Code);
        Assert.Contains(reason, job.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, job.Attempts); // never marked running
        Assert.Empty(await host.ListResultBlobsAsync());
        var failed = Assert.Single(await host.PeekEventsAsync());
        Assert.Equal(GenerationEventTypes.Failed, failed.Type);
        Assert.Equal("generations/" + jobId, failed.Subject);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_then_poisoned_and_the_job_fails_with_the_reason()
    {
        await using var host = await WorkerTestHost.StartAsync(
            azurite,
            new() { ["DiffusionFunctions:Worker:MaxDequeueCount"] = "2" },
            services => services.AddSingleton<IImageGenerator, AlwaysThrowsTransientErrorGenerator>());
        var listener = host.CreateListener();
        var jobId = await host.EnqueueJobAsync(TestJobs.Parameters());

        // Delivery 1 fails and the message is made visible again at once (RetryDelay 0); delivery 2 fails and is poisoned.
        Assert.True(await listener.PollGenerationOnceAsync(CancellationToken.None));
        Assert.Equal(JobStatus.Running, (await host.Jobs.GetAsync(jobId))!.Status);
        var second = await PollUntilAsync(() => listener.PollGenerationOnceAsync(CancellationToken.None));
        Assert.True(second);

        var poisoned = Assert.Single((await host.PoisonQueue.PeekMessagesAsync(maxMessages: 10)).Value);
        Assert.Contains(jobId, poisoned.Body.ToString(), StringComparison.Ordinal);
        Assert.Empty((await host.GenerationQueue.PeekMessagesAsync(maxMessages: 10)).Value);
        Assert.Empty(await host.PeekEventsAsync());

        Assert.True(await listener.PollPoisonOnceAsync(CancellationToken.None));

        var job = await host.Jobs.GetAsync(jobId);
        Assert.Equal(JobStatus.Failed, job!.Status);
        Assert.Equal(JobErrorCodes.RetriesExhausted, job.Error!.Code);
        Assert.Equal(JobErrorMessages.RetriesExhausted, job.Error.Message);
        Assert.Equal(2, job.Attempts);
        var failed = Assert.Single(await host.PeekEventsAsync());
        Assert.Equal(GenerationEventTypes.Failed, failed.Type);
        Assert.Empty(await host.ListResultBlobsAsync());
    }

    private static async Task<bool> PollUntilAsync(Func<Task<bool>> poll)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (!await poll())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The retried message never became visible again.");
        }

        return true;
    }

    /// <summary>Failure injection: every generation throws as an ONNX Runtime error would.</summary>
    private sealed class AlwaysThrowsTransientErrorGenerator : IImageGenerator
    {
        public Task<GeneratedImages> GenerateAsync(ImageGenerationInput input, Action<int, int> onStep, CancellationToken cancellationToken)
            => throw new InvalidOperationException("simulated ONNX Runtime failure");
    }
}
