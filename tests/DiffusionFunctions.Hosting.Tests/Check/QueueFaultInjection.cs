using System.Text;
using Azure;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Queue;
using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.Hosting.Tests.Check;

/// <summary>
/// Bad messages put straight on the worker's queues, as a broken or hostile producer would, with the terminal state each
/// one is documented to reach (README, "The worker never stops taking work"):
/// <list type="bullet">
/// <item>base64 text that is not a generation message (garbage, truncated JSON, a 45 KiB message, another schema
/// version, wrong field types, a job id without a record), on either queue: the queue function drops it as unreadable
/// and completes it, so it is deleted;</item>
/// <item>text that is not valid base64 on the generation queue: the host moves it to <c>{queue}-poison</c> before any
/// function runs; there, and for such text put on the poison queue directly, <see cref="UndecodablePoisonMessageHandling"/>
/// decides;</item>
/// <item>a message over the queue service's 64 KiB limit: refused by the queue itself, so it never exists.</item>
/// </list>
/// A message's fate is read from the queues' message counts (which include invisible messages), so the check needs no
/// access to the host's internals: after the run the generation queue is empty, the poison queue holds exactly the
/// undecodable messages the host is documented to leave there, and no <c>{queue}-poison-poison</c> queue exists.
/// </summary>
public sealed class QueueFaultInjection(AzuriteTestNames storage)
{
    private const int QueueMessageLimitBytes = 64 * 1024;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    // The raw clients send the text exactly as given: the "base64" faults are encoded here, the others are not.
    private readonly QueueServiceClient _raw = new(storage.ConnectionString);

    /// <summary>The undecodable (not base64) messages this injection puts on the queues: one on each.</summary>
    public const int UndecodableMessages = 2;

    /// <summary>Puts every fault on the queues and checks that the oversized one is refused by the queue service.</summary>
    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        var generation = _raw.GetQueueClient(storage.GenerationQueue);
        var poison = _raw.GetQueueClient(storage.PoisonQueue);
        var unknownJob = GenerationQueueMessage.For(JobIds.New(), storage.JobsContainer);

        foreach (var text in DecodableButUnreadable(unknownJob, storage.JobsContainer))
        {
            await generation.SendMessageAsync(Base64(text), cancellationToken);
        }

        await generation.SendMessageAsync("{\"jobId\": not base64 at all %%%}", cancellationToken);
        await poison.SendMessageAsync(Base64("poisoned garbage \u0001\u0002 {{"), cancellationToken);
        await poison.SendMessageAsync("%%% poison text that is not base64 %%%", cancellationToken);

        var oversized = Base64(new string('x', QueueMessageLimitBytes));
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => generation.SendMessageAsync(oversized, cancellationToken));
        Assert.True(refused.Status is 400 or 413, $"The queue service refused the oversized message with {refused.Status} {refused.ErrorCode}.");
    }

    /// <summary>
    /// Waits until every injected message has reached its terminal state: the generation queue empty, the poison queue
    /// holding exactly the undecodable messages that <paramref name="handling"/> leaves there, no poison queue of the
    /// poison queue.
    /// </summary>
    public async Task WaitForTerminalStatesAsync(UndecodablePoisonMessageHandling handling, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var expectedInPoison = handling == UndecodablePoisonMessageHandling.LeftInPoisonQueue ? UndecodableMessages : 0;
        var generation = _raw.GetQueueClient(storage.GenerationQueue);
        var poison = _raw.GetQueueClient(storage.PoisonQueue);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var inGeneration = (await generation.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            var inPoison = (await poison.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            if (inGeneration == 0 && inPoison == expectedInPoison)
            {
                break;
            }

            Assert.True(
                DateTimeOffset.UtcNow < deadline,
                $"After {timeout.TotalSeconds:0} s the generation queue holds {inGeneration} message(s) (expected 0) and the poison queue "
                + $"{inPoison} (expected {expectedInPoison}: undecodable messages {handling}).");
            await Task.Delay(PollInterval, cancellationToken);
        }

        var poisonOfPoison = _raw.GetQueueClient(storage.PoisonQueue + "-poison");
        Assert.False(await poisonOfPoison.ExistsAsync(cancellationToken), $"A queue '{poisonOfPoison.Name}' was created.");
    }

    /// <summary>Base64 texts that decode but are not a generation message this worker can act on.</summary>
    private static IEnumerable<string> DecodableButUnreadable(GenerationQueueMessage unknownJob, string jobsContainer)
    {
        var unknownJobMessage = unknownJob.ToJson();
        yield return "garbage text \u0007 that is not JSON {{{";
        yield return unknownJobMessage[..(unknownJobMessage.Length / 2)]; // truncated JSON
        // About 45 KiB of JSON (60 KiB once base64-encoded): the largest kind of message the queue still takes.
        yield return "{\"schemaVersion\":1,\"padding\":\"" + new string('p', 45 * 1024) + "\"}";
        yield return (unknownJob with { SchemaVersion = GenerationQueueMessage.CurrentSchemaVersion + 1 }).ToJson();
        yield return $"{{\"schemaVersion\":\"one\",\"jobId\":42,\"jobsContainer\":[\"{jobsContainer}\"],\"jobBlob\":null}}";
        yield return unknownJobMessage; // well-formed, but no such job
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
