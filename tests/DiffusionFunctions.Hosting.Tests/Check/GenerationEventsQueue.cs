using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Notifications;

namespace DiffusionFunctions.Hosting.Tests.Check;

/// <summary>
/// The events queue (<c>DiffusionFunctions:Storage:EventsQueue</c>) as a subscriber sees it: structured-mode CloudEvent
/// JSON, one per message. Read by peeking, so every check of one run sees every event.
/// </summary>
public sealed class GenerationEventsQueue(QueueClient events)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Waits for the event of <paramref name="type"/> about <paramref name="jobId"/> (or with <paramref name="subjectOverride"/>
    /// as its subject: a workflow run's) and returns it; there must be exactly one event with that subject.
    /// </summary>
    public async Task<JsonNode> WaitForAsync(string jobId, string type, TimeSpan timeout, CancellationToken cancellationToken, string? subjectOverride = null)
    {
        var subject = subjectOverride ?? GenerationEventTypes.SubjectFor(jobId);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var peeked = (await events.PeekMessagesAsync(maxMessages: 32, cancellationToken)).Value;
            var forJob = peeked.Select(m => JsonNode.Parse(m.Body.ToString())!).Where(e => (string?)e["subject"] == subject).ToList();
            var match = forJob.FirstOrDefault(e => (string?)e["type"] == type);
            if (match is not null)
            {
                Assert.Single(forJob); // one event per finished job, never a second of another type
                return match;
            }

            Assert.True(
                DateTimeOffset.UtcNow < deadline,
                $"No {type} event for job {jobId} within {timeout.TotalSeconds:0} s; its events: [{string.Join(", ", forJob.Select(e => (string?)e["type"]))}]");
            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
