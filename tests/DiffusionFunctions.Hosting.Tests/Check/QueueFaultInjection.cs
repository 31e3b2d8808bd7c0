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
/// function runs (deleted from the generation queue, a copy on the poison queue); there, and for such text put on the
/// poison queue directly, <see cref="UndecodablePoisonMessageHandling"/> decides;</item>
/// <item>a message over the queue service's 64 KiB limit: refused by the queue itself, so it never exists.</item>
/// </list>
/// Each message's fate is read from the queue service alone (<see cref="QueueMessageProbe"/> and the queues' message
/// counts, which include invisible messages), so the check needs no access to the host's internals.
/// </summary>
public sealed class QueueFaultInjection(AzuriteTestNames storage)
{
    private const int QueueMessageLimitBytes = 64 * 1024;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    // The raw clients send the text exactly as given: the "base64" faults are encoded here, the others are not.
    private readonly QueueServiceClient _queues = new(storage.ConnectionString);
    private readonly List<(string Name, QueueMessageProbe Probe)> _dropped = [];
    private QueueMessageProbe? _undecodableOnGeneration;
    private QueueMessageProbe? _undecodableOnPoison;

    private QueueClient Generation => _queues.GetQueueClient(storage.GenerationQueue);

    private QueueClient Poison => _queues.GetQueueClient(storage.PoisonQueue);

    /// <summary>Puts every fault on the queues and checks that the oversized one is refused by the queue service.</summary>
    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        var unknownJob = GenerationQueueMessage.For(JobIds.New(), storage.JobsContainer);
        foreach (var (name, text) in DecodableButUnreadable(unknownJob, storage.JobsContainer))
        {
            _dropped.Add(("generation queue: " + name, await SendAsync(Generation, Base64(text), cancellationToken)));
        }

        _dropped.Add(("poison queue: garbage", await SendAsync(Poison, Base64("poisoned garbage \u0001\u0002 {{"), cancellationToken)));
        _undecodableOnGeneration = await SendAsync(Generation, "{\"jobId\": not base64 at all %%%}", cancellationToken);
        _undecodableOnPoison = await SendAsync(Poison, "%%% poison text that is not base64 %%%", cancellationToken);

        var oversized = Base64(new string('x', QueueMessageLimitBytes));
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => Generation.SendMessageAsync(oversized, cancellationToken));
        Assert.True(refused.Status is 400 or 413, $"The queue service refused the oversized message with {refused.Status} {refused.ErrorCode}.");
    }

    /// <summary>
    /// Waits until every injected message has reached its terminal state: each decodable one deleted; the undecodable one
    /// of the generation queue gone from it; the one put on the poison queue received and left there, or deleted, as
    /// <paramref name="handling"/> says; then the generation queue empty, the poison queue holding exactly the undecodable
    /// messages the host leaves there, and no poison queue of the poison queue.
    /// </summary>
    public async Task WaitForTerminalStatesAsync(UndecodablePoisonMessageHandling handling, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Assert.NotNull(_undecodableOnGeneration);
        var keepsUndecodable = handling == UndecodablePoisonMessageHandling.LeftInPoisonQueue;
        var expected = _dropped.Select(d => (d.Name, d.Probe, State: QueuedMessageState.Deleted))
            .Append(("generation queue: not base64", _undecodableOnGeneration!, QueuedMessageState.Deleted))
            .Append(("poison queue: not base64", _undecodableOnPoison!, keepsUndecodable ? QueuedMessageState.Received : QueuedMessageState.Deleted))
            .ToList();
        var expectedInPoison = keepsUndecodable ? 2 : 0; // the one put there and the one the host moved there
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var wrong = new List<string>();
            foreach (var (name, probe, state) in expected)
            {
                var actual = await probe.ReadAsync(cancellationToken);
                if (actual != state)
                {
                    wrong.Add($"{name}: {actual}, expected {state}");
                }
            }

            var inGeneration = (await Generation.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            var inPoison = (await Poison.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            if (inGeneration != 0)
            {
                wrong.Add($"the generation queue holds {inGeneration} message(s), expected none");
            }

            if (inPoison != expectedInPoison)
            {
                wrong.Add($"the poison queue holds {inPoison} message(s), expected {expectedInPoison} (undecodable messages {handling})");
            }

            if (wrong.Count == 0)
            {
                break;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"After {timeout.TotalSeconds:0} s: {string.Join("; ", wrong)}.");
            await Task.Delay(PollInterval, cancellationToken);
        }

        var poisonOfPoison = _queues.GetQueueClient(storage.PoisonQueue + "-poison");
        Assert.False(await poisonOfPoison.ExistsAsync(cancellationToken), $"A queue '{poisonOfPoison.Name}' was created.");
    }

    private static async Task<QueueMessageProbe> SendAsync(QueueClient queue, string text, CancellationToken cancellationToken)
        => new(queue, (await queue.SendMessageAsync(text, cancellationToken)).Value);

    /// <summary>Base64 texts that decode but are not a generation message this worker can act on.</summary>
    private static IEnumerable<(string Name, string Text)> DecodableButUnreadable(GenerationQueueMessage unknownJob, string jobsContainer)
    {
        var unknownJobMessage = unknownJob.ToJson();
        yield return ("garbage", "garbage text \u0007 that is not JSON {{{");
        yield return ("truncated JSON", unknownJobMessage[..(unknownJobMessage.Length / 2)]);
        // About 45 KiB of JSON (60 KiB once base64-encoded): the largest kind of message the queue still takes.
        yield return ("45 KiB message", "{\"schemaVersion\":1,\"padding\":\"" + new string('p', 45 * 1024) + "\"}");
        yield return ("another schema version", (unknownJob with { SchemaVersion = GenerationQueueMessage.CurrentSchemaVersion + 1 }).ToJson());
        yield return ("wrong field types", $"{{\"schemaVersion\":\"one\",\"jobId\":42,\"jobsContainer\":[\"{jobsContainer}\"],\"jobBlob\":null}}");
        yield return ("job id without a record", unknownJobMessage);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
