using DiffusionFunctions.Core.Workflows;

namespace DiffusionFunctions.Core.Tests.Workflows;

public sealed class BlobCreatedEventTests
{
    // The shape Event Grid delivers to a storage queue for a BlobCreated event (Event Grid schema), abridged.
    private const string CloudMessage = """
        {"topic":"/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st","subject":"/blobServices/default/containers/batch-requests/blobs/catalogs/spring 2027.jsonl","eventType":"Microsoft.Storage.BlobCreated","id":"5f1c","data":{"api":"PutBlob","clientRequestId":"c","requestId":"r","eTag":"0x8DC1A2B3C4D5E6F","contentType":"application/x-ndjson","contentLength":524,"blobType":"BlockBlob","url":"https://st.blob.core.windows.net/batch-requests/catalogs/spring 2027.jsonl","sequencer":"00","storageDiagnostics":{"batchId":"b"}},"dataVersion":"","metadataVersion":"1","eventTime":"2026-12-08T01:00:00.0000000Z"}
        """;

    [Fact]
    public void Parses_the_event_grid_schema_message_with_container_name_and_etag()
    {
        var created = BlobCreatedEvent.Parse(CloudMessage);

        Assert.Equal("batch-requests", created.Container);
        Assert.Equal("catalogs/spring 2027.jsonl", created.BlobName);
        Assert.Equal("0x8DC1A2B3C4D5E6F", created.ETag);
        Assert.Equal(524, created.ContentLength);
        Assert.Equal("5f1c", created.Id);
    }

    [Fact]
    public void The_local_message_reads_back_the_same()
    {
        var local = new BlobCreatedEvent { Id = "1", Container = "batch-requests", BlobName = "a/b.jsonl", ETag = "\"0x1\"", ContentLength = 7 };

        var parsed = BlobCreatedEvent.Parse(local.ToEventGridJson());

        Assert.Equal((local.Container, local.BlobName, local.ETag, local.ContentLength), (parsed.Container, parsed.BlobName, parsed.ETag, parsed.ContentLength));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobDeleted","subject":"/blobServices/default/containers/c/blobs/a","data":{"eTag":"1"}}""")]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/c","data":{"eTag":"1"}}""")]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/c/blobs/a","data":{}}""")]
    public void Anything_else_is_a_format_exception_that_says_why(string message)
    {
        var ex = Assert.Throws<FormatException>(() => BlobCreatedEvent.Parse(message));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }
}
