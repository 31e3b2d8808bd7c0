using System.Text.Json;
using Azure.Messaging;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Notifications;
using DiffusionFunctions.Core.Workflows;
using DiffusionFunctions.TestSupport;
using DiffusionFunctions.Worker;
using DiffusionFunctions.Worker.Functions;
using DiffusionFunctions.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DiffusionFunctions.Training.Tests.Logos;

/// <summary>
/// The worker's real host (model loaded and warmed up, CPU) serving one model folder over fresh Azurite names, with the
/// in-process queue listener driving the generation queue and the logo events queue, and helpers for uploads to the
/// logo-requests container (each with the BlobCreated event Event Grid would deliver).
/// </summary>
internal sealed class LogoWorkerHost : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private readonly IHost _worker;

    private LogoWorkerHost(AzuriteFixture azurite, AzuriteTestNames names, IHost worker)
    {
        Azurite = azurite;
        Names = names;
        _worker = worker;
    }

    public AzuriteFixture Azurite { get; }

    public AzuriteTestNames Names { get; }

    public BlobContainerClient Requests => Azurite.BlobService.GetBlobContainerClient(Names.LogoRequestsContainer);

    public BlobContainerClient Results => Azurite.BlobService.GetBlobContainerClient(Names.ResultsContainer);

    public static async Task<LogoWorkerHost> StartAsync(AzuriteFixture azurite, string modelFolder)
    {
        var names = azurite.CreateNames();
        var values = names.ToSettings();
        values["DiffusionFunctions:Worker:ModelPath"] = modelFolder;
        values["DiffusionFunctions:Engine:Provider"] = "Cpu";
        values["DiffusionFunctions:Events:WebhookSecret"] = WebhookSecret;
        values["DiffusionFunctions:Events:AllowPrivateCallbackAddresses"] = "true";
        values["DiffusionFunctions:Generation:CallbacksEnabled"] = "true";
        values["DiffusionFunctions:Generation:AllowPrivateCallbackHosts"] = "true";
        values["DiffusionFunctions:Generation:AllowInsecureCallbacks"] = "true"; // the receiver is plain http on 127.0.0.1

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDiffusionWorker(builder.Configuration);
        var worker = builder.Build();
        await worker.StartAsync();
        return new LogoWorkerHost(azurite, names, worker);
    }

    /// <summary>Uploads a blob to logo-requests; with <paramref name="publish"/>, also its BlobCreated event.</summary>
    public async Task<BlobClient> UploadAsync(string name, byte[] content, string contentType, bool publish = true)
    {
        var blob = Requests.GetBlobClient(name);
        await blob.UploadAsync(new BinaryData(content), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } });
        if (publish)
        {
            var queue = _worker.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(Names.LogoEventsQueue);
            await BlobCreatedEventPublisher.PublishAsync(blob, queue, CancellationToken.None);
        }

        return blob;
    }

    /// <summary>Runs the worker's queue functions until a workflow event is in the events queue; returns the workflow events.</summary>
    public async Task<List<CloudEvent>> RunUntilWorkflowEventAsync(TimeSpan timeout)
    {
        var listener = ActivatorUtilities.CreateInstance<InProcessQueueListener>(
            _worker.Services,
            ActivatorUtilities.CreateInstance<ProcessGenerationFunction>(_worker.Services),
            ActivatorUtilities.CreateInstance<GenerationPoisonFunction>(_worker.Services),
            new InProcessQueueListenerOptions { RetryDelay = TimeSpan.Zero, MaxPollingInterval = TimeSpan.FromMilliseconds(200) });
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var events = await WorkflowEventsAsync();
            if (events.Count > 0)
            {
                return events;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"No workflow event within {timeout}.");
            if (!await listener.PollOnceAsync(CancellationToken.None))
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task<List<CloudEvent>> WorkflowEventsAsync()
    {
        var peeked = await _worker.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(Names.EventsQueue).PeekMessagesAsync(maxMessages: 32);
        return [.. peeked.Value.Select(m => CloudEvent.Parse(m.Body)!).Where(e => e.Type is WorkflowEventTypes.Completed or WorkflowEventTypes.Failed)];
    }

    public static WorkflowEventData Data(CloudEvent e) => e.Data!.ToObjectFromJson<WorkflowEventData>(Core.DiffusionJson.Options)!;

    public async Task<JsonElement> ManifestAsync(string blobName)
        => JsonDocument.Parse((await Results.GetBlobClient(blobName).DownloadContentAsync()).Value.Content.ToString()).RootElement;

    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync();
        _worker.Dispose();
    }
}
