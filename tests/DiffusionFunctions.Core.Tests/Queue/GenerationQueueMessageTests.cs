using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Queue;

namespace DiffusionFunctions.Core.Tests.Queue;

public sealed class GenerationQueueMessageTests
{
    [Fact]
    public void Message_is_small_versioned_json_that_round_trips()
    {
        var id = JobIds.New();
        var message = GenerationQueueMessage.For(id, "jobs");

        var json = message.ToJson();

        Assert.Equal($$"""{"schemaVersion":1,"jobId":"{{id}}","jobsContainer":"jobs","jobBlob":"{{id}}.json"}""", json);
        Assert.Equal(message, GenerationQueueMessage.Parse(json));
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"jobId":"0123456789abcdef0123456789abcdef","jobsContainer":"jobs","jobBlob":"x.json"}""", "schema version 2")]
    [InlineData("""{"schemaVersion":1,"jobId":"nope","jobsContainer":"jobs","jobBlob":"x.json"}""", "invalid job id")]
    [InlineData("""{"schemaVersion":1,"jobId":"0123456789abcdef0123456789abcdef\n","jobsContainer":"jobs","jobBlob":"x.json"}""", "invalid job id")]
    [InlineData("""{"schemaVersion":1,"jobId":"\ud800","jobsContainer":"jobs","jobBlob":"x.json"}""", "not valid")]
    [InlineData("""{"schemaVersion":1,"jobId":"0123456789abcdef0123456789abcdef","jobsContainer":"jobs\udc00","jobBlob":"x.json"}""", "not valid")]
    [InlineData("""{"schemaVersion":1}""", "not valid")]
    [InlineData("not json", "not valid")]
    public void Bad_messages_are_refused_with_a_reason(string json, string reason)
        => Assert.Contains(reason, Assert.Throws<FormatException>(() => GenerationQueueMessage.Parse(json)).Message, StringComparison.Ordinal);
}
