using DiffusionFunctions.Core.Generation;
using DiffusionFunctions.Core.Jobs;

namespace DiffusionFunctions.Worker.Tests.Infrastructure;

/// <summary>Job records and parameters for tests that do not go through the API.</summary>
internal static class TestJobs
{
    public static readonly DateTimeOffset CreatedAt = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);

    public static GenerationParameters Parameters(
        string prompt = "a lighthouse at dusk", int steps = 3, int size = 64, string? scheduler = null, string? callbackUrl = null, int count = 1)
        => new()
        {
            Prompt = prompt,
            Width = size,
            Height = size,
            Steps = steps,
            GuidanceScale = 7.5,
            Seed = 42,
            Scheduler = scheduler,
            Count = count,
            Mode = GenerationMode.TextToImage,
            CallbackUrl = callbackUrl,
        };

    public static JobRecord Succeeded(string? id = null, string? callbackUrl = null)
    {
        var job = JobRecord.CreateQueued(id ?? JobIds.New(), Parameters(callbackUrl: callbackUrl), CreatedAt)
            .Start(CreatedAt.AddSeconds(2));
        return job.Succeed([job.Id + "/0.png"], 0, CreatedAt.AddSeconds(5));
    }
}
