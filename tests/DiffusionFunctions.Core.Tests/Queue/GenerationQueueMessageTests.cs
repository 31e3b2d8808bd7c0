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

        Assert.Equal($$"""{"schemaVersion":2,"jobId":"{{id}}","jobsContainer":"jobs","jobBlob":"{{id}}.json"}""", json);
        Assert.Equal(message, GenerationQueueMessage.Parse(json));
    }

    [Theory]
    [InlineData("""{"schemaVersion":3,"jobId":"0123456789abcdef0123456789abcdef","jobsContainer":"jobs","jobBlob":"x.json"}""", "schema version 3")]
    [InlineData("""{"schemaVersion":0,"jobId":"0123456789abcdef0123456789abcdef","jobsContainer":"jobs","jobBlob":"x.json"}""", "schema version 0")]
    [InlineData("""{"schemaVersion":1,"jobId":"nope","jobsContainer":"jobs","jobBlob":"x.json"}""", "invalid job id")]
    [InlineData("""{"schemaVersion":1,"jobId":"0123456789abcdef0123456789abcdef\n","jobsContainer":"jobs","jobBlob":"x.json"}""", "invalid job id")]
    [InlineData("""{"schemaVersion":1,"jobId":"\ud800","jobsContainer":"jobs","jobBlob":"x.json"}""", "not valid")]
    [InlineData("""{"schemaVersion":1,"jobId":"0123456789abcdef0123456789abcdef","jobsContainer":"jobs\udc00","jobBlob":"x.json"}""", "not valid")]
    [InlineData("""{"schemaVersion":1}""", "not valid")]
    [InlineData("not json", "not valid")]
    public void Bad_messages_are_refused_with_a_reason(string json, string reason)
        => Assert.Contains(reason, Assert.Throws<FormatException>(() => GenerationQueueMessage.Parse(json)).Message, StringComparison.Ordinal);

    [Fact]
    public void A_message_written_inside_a_trace_carries_its_context()
    {
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "queue-message-test",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var source = new System.Diagnostics.ActivitySource("queue-message-test");
        using var submit = source.StartActivity("submit")!;
        submit.TraceStateString = "vendor=1";

        var parsed = GenerationQueueMessage.Parse(GenerationQueueMessage.For(JobIds.New(), "jobs").ToJson());

        Assert.Equal(submit.Id, parsed.TraceParent);
        Assert.Equal("vendor=1", parsed.TraceState);
        Assert.True(parsed.Trace!.TryGetParent(out var parent));
        Assert.Equal(submit.TraceId, parent.TraceId);
        Assert.Equal(submit.SpanId, parent.SpanId);
    }

    [Fact]
    public void A_schema_1_message_without_trace_context_is_still_read()
    {
        const string V1 = """{"schemaVersion":1,"jobId":"0123456789abcdef0123456789abcdef","jobsContainer":"jobs","jobBlob":"0123456789abcdef0123456789abcdef.json"}""";

        var message = GenerationQueueMessage.Parse(V1);

        Assert.Equal(1, message.SchemaVersion);
        Assert.Null(message.Trace);
    }
}
