using System.Text.Json.Nodes;

namespace DiffusionFunctions.Deployment.Tests.Bicep;

/// <summary>Event Grid subscriptions deliver to storage queues with managed identity and dead-letter to a blob container.</summary>
[Collection(CompiledBicepCollection.Name)]
public sealed class EventGridTests(CompiledBicep compiled)
{
    private ArmTemplate Subscriptions => compiled.Main.Module("event-subscriptions");

    [Fact]
    public void Job_events_go_from_the_custom_topic_to_the_events_queue_with_dead_lettering()
    {
        var subscription = Subscriptions.Resolve(Subscriptions.OfType("Microsoft.EventGrid/topics/eventSubscriptions").Single()["properties"])!;

        Assert.Equal("CloudEventSchemaV1_0", (string?)subscription["eventDeliverySchema"]);
        AssertQueueDelivery(subscription, "[parameters('jobEventsQueue')]");
        AssertDeadLetter(subscription);
        var parameters = compiled.Main.ModuleDeployment("event-subscriptions")["properties"]!["parameters"]!;
        Assert.Contains("queues').events", (string)parameters["jobEventsQueue"]!["value"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Logo_request_uploads_raise_blob_created_events_on_their_queue()
    {
        var subscription = SystemTopicSubscription("logo-requests");

        Assert.Equal("EventGridSchema", (string?)subscription["eventDeliverySchema"]);
        Assert.Equal(["Microsoft.Storage.BlobCreated"], subscription["filter"]!["includedEventTypes"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("[format('/blobServices/default/containers/{0}/', parameters('logoRequestsContainer'))]", (string?)subscription["filter"]!["subjectBeginsWith"]);
        AssertQueueDelivery(subscription, "[parameters('logoEventsQueue')]");
        AssertDeadLetter(subscription);

        Assert.Equal("logo-requests", (string?)compiled.Main.Variable("containers")!["logoRequests"]);
        Assert.Equal("logo-requests-events", (string?)compiled.Main.Variable("queues")!["logoEvents"]);
        // The names the worker's logo trigger reads (its binding expression %DiffusionFunctions:Logos:RequestsEventsQueue%).
        var shared = compiled.Main.Variable("sharedSettings")!;
        Assert.Contains("logoRequests", (string?)shared["DiffusionFunctions__Logos__RequestsContainer"], StringComparison.Ordinal);
        Assert.Contains("logoEvents", (string?)shared["DiffusionFunctions__Logos__RequestsEventsQueue"], StringComparison.Ordinal);
        var systemTopic = compiled.Main.Module("events").OfType("Microsoft.EventGrid/systemTopics").Single()["properties"]!;
        Assert.Equal("Microsoft.Storage.StorageAccounts", (string?)systemTopic["topicType"]);
    }

    [Fact]
    public void Batch_jsonl_uploads_raise_blob_created_events_on_their_queue_and_the_answers_beside_them_do_not()
    {
        var subscription = SystemTopicSubscription("batch-requests");

        Assert.Equal("EventGridSchema", (string?)subscription["eventDeliverySchema"]);
        Assert.Equal(["Microsoft.Storage.BlobCreated"], subscription["filter"]!["includedEventTypes"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("[format('/blobServices/default/containers/{0}/', parameters('batchRequestsContainer'))]", (string?)subscription["filter"]!["subjectBeginsWith"]);
        Assert.Equal(".jsonl", (string?)subscription["filter"]!["subjectEndsWith"]);
        AssertQueueDelivery(subscription, "[parameters('batchEventsQueue')]");
        AssertDeadLetter(subscription);

        // The names the worker's settings carry (its queue trigger's binding expression) and the storage module creates.
        Assert.Equal("batch-requests", (string?)compiled.Main.Variable("containers")!["batchRequests"]);
        Assert.Equal("batch-requests-events", (string?)compiled.Main.Variable("queues")!["batchEvents"]);
        var shared = compiled.Main.Variable("sharedSettings")!;
        Assert.Contains("batchRequests", (string?)shared["DiffusionFunctions__Batches__RequestsContainer"], StringComparison.Ordinal);
        Assert.Contains("batchEvents", (string?)shared["DiffusionFunctions__Batches__RequestsEventsQueue"], StringComparison.Ordinal);
        var parameters = compiled.Main.ModuleDeployment("event-subscriptions")["properties"]!["parameters"]!;
        Assert.Contains("queues').batchEvents", (string)parameters["batchEventsQueue"]!["value"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void The_worker_publishes_to_the_topic_with_its_identity()
    {
        var settings = (string)compiled.Main.Module("workerApps").Variable("settings")!;

        Assert.Contains("'DiffusionFunctions__Events__TopicEndpoint', parameters('topicEndpoint')", settings, StringComparison.Ordinal);
        Assert.Contains("'DiffusionFunctions__Events__ManagedIdentityClientId', parameters('identityClientId')", settings, StringComparison.Ordinal);
    }

    private JsonNode SystemTopicSubscription(string name)
        => Subscriptions.Resolve(Subscriptions.OfType("Microsoft.EventGrid/systemTopics/eventSubscriptions").Single(s => ((string?)s["name"])?.Contains($"'{name}'", StringComparison.Ordinal) == true)["properties"])!;

    private static void AssertQueueDelivery(JsonNode subscription, string queueExpression)
    {
        var delivery = subscription["deliveryWithResourceIdentity"]!;
        Assert.Equal("UserAssigned", (string?)delivery["identity"]!["type"]);
        Assert.Equal("[parameters('eventsIdentityId')]", (string?)delivery["identity"]!["userAssignedIdentity"]);
        Assert.Equal("StorageQueue", (string?)delivery["destination"]!["endpointType"]);
        Assert.Equal(queueExpression, (string?)delivery["destination"]!["properties"]!["queueName"]);
        Assert.Null(subscription["destination"]);
    }

    private static void AssertDeadLetter(JsonNode subscription)
    {
        var deadLetter = subscription["deadLetterWithResourceIdentity"]!;
        Assert.Equal("[parameters('eventsIdentityId')]", (string?)deadLetter["identity"]!["userAssignedIdentity"]);
        Assert.Equal("StorageBlob", (string?)deadLetter["deadLetterDestination"]!["endpointType"]);
        Assert.Equal("[parameters('deadLetterContainer')]", (string?)deadLetter["deadLetterDestination"]!["properties"]!["blobContainerName"]);
        Assert.Null(subscription["deadLetterDestination"]);
        Assert.Equal(30, (int)subscription["retryPolicy"]!["maxDeliveryAttempts"]!);
    }
}
