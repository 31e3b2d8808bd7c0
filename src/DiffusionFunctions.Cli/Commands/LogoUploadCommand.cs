using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using DiffusionFunctions.Core.Logos;
using DiffusionFunctions.Core.Workflows;
using Spectre.Console;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// <c>dfx logo upload</c>: uploads a JSON brief or a PNG/JPEG/WebP sketch (with an optional sidecar brief, uploaded first
/// as <c>{name}.json</c>) to the logo-requests container and puts the upload's <c>Microsoft.Storage.BlobCreated</c> event,
/// Event Grid schema, on the logo events queue: the message Event Grid delivers in Azure, which Azurite cannot. In Azure
/// the Event Grid subscription delivers it anyway, so <c>--no-event</c> leaves that to it (a second event would be
/// harmless: runs are named from the upload).
/// </summary>
public sealed class LogoUploadCommand(IAnsiConsole console)
{
    /// <summary>The environment variable read when <c>--connection</c> is not given (the apps' own storage setting).</summary>
    public const string ConnectionVariable = "AzureWebJobsStorage";

    /// <summary>The storage used when neither <c>--connection</c> nor the variable is set: the local Azurite.</summary>
    public const string DefaultConnection = "UseDevelopmentStorage=true";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".json"] = "application/json",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".webp"] = "image/webp",
    };

    /// <summary>What the command accepts.</summary>
    public static readonly CommandSpec Spec = new(
        "logo upload",
        "Upload a logo brief (JSON) or sketch (PNG, JPEG, WebP) to start a logo run, and enqueue its BlobCreated event.",
        "FILE",
        [
            OptionSpec.Value("name", "BLOB", "the blob name in the container", "the file's name"),
            OptionSpec.Value("brief", "FILE", "a sidecar brief for a sketch, uploaded first as {name}.json", "none (a sketch alone gets the template's defaults)"),
            OptionSpec.Value("connection", "CS", $"the storage connection string; else ${ConnectionVariable}", DefaultConnection),
            OptionSpec.Value("container", "NAME", "the logo requests container", new LogoOptions().RequestsContainer),
            OptionSpec.Value("queue", "NAME", "the queue of its BlobCreated events", new LogoOptions().RequestsEventsQueue),
            OptionSpec.Flag("no-event", "upload only (in Azure, Event Grid delivers the event)"),
        ],
        [
            "The logos land in the results container under logos/{name without extension}/ with manifest.json; a refused upload gets {name}.rejected.json beside it.",
            "example: dfx logo upload brief.json --name acme.json",
        ]);

    /// <summary>Runs the command.</summary>
    /// <exception cref="UsageException">Bad input, or storage that cannot be reached.</exception>
    public async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Positionals.Count != 1)
        {
            throw new UsageException("dfx logo upload takes one FILE (a .json brief or a .png, .jpg, .jpeg or .webp sketch).");
        }

        var file = line.Positionals[0];
        var name = line.Get("name") ?? Path.GetFileName(file);
        var contentType = ContentTypeOf(file);
        var sidecar = line.Get("brief");
        if (sidecar is not null && contentType == "application/json")
        {
            throw new UsageException("--brief is a sketch's sidecar; a JSON FILE is the brief itself.");
        }

        var connection = line.Get("connection") ?? (Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } set ? set : DefaultConnection);
        var containerName = line.Get("container") ?? new LogoOptions().RequestsContainer;
        var queueName = line.Get("queue") ?? new LogoOptions().RequestsEventsQueue;
        try
        {
            var container = new BlobContainerClient(connection, containerName);
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (sidecar is not null)
            {
                await UploadAsync(container.GetBlobClient(name + ".json"), Read(sidecar), "application/json", cancellationToken).ConfigureAwait(false);
                console.WriteLineUnwrapped($"uploaded {containerName}/{name}.json (sidecar brief)");
            }

            var blob = container.GetBlobClient(name);
            await UploadAsync(blob, Read(file), contentType, cancellationToken).ConfigureAwait(false);
            console.WriteLineUnwrapped($"uploaded {containerName}/{name}");
            if (!line.Has("no-event"))
            {
                var queue = new QueueClient(connection, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
                await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                var created = await BlobCreatedEventPublisher.PublishAsync(blob, queue, cancellationToken).ConfigureAwait(false);
                console.WriteLineUnwrapped($"enqueued BlobCreated event {created.Id} on {queueName}");
            }

            var stem = Path.ChangeExtension(name, null);
            console.WriteLineUnwrapped($"results: logos/{stem}/0.png ... and logos/{stem}/manifest.json in the results container; a refusal: {containerName}/{name}.rejected.json");
            return 0;
        }
        catch (Exception ex) when (ex is RequestFailedException or FormatException or ArgumentException or AggregateException or HttpRequestException)
        {
            throw new UsageException($"cannot upload to storage: {ex.Message.Split('\n')[0]}");
        }
    }

    private static string ContentTypeOf(string file)
        => ContentTypes.TryGetValue(Path.GetExtension(file), out var type)
            ? type
            : throw new UsageException($"'{file}' is neither a .json brief nor a .png, .jpg, .jpeg or .webp sketch.");

    private static byte[] Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read '{path}': {ex.Message}");
        }
    }

    private static Task UploadAsync(BlobClient blob, byte[] content, string contentType, CancellationToken cancellationToken)
        => blob.UploadAsync(new BinaryData(content), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken);
}
