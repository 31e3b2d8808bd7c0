using System.Net;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;

namespace DiffusionFunctions.Hosting.Tests.RealHost;

/// <summary>
/// The Functions host's key store in <c>AzureWebJobsStorage</c>: the <c>azure-webjobs-secrets</c> container, one
/// <c>&lt;hostid&gt;/host.json</c> per host with the master key and the host keys. The host writes it on the first request
/// that needs a key, so <see cref="ReadDefaultHostKeyAsync"/> makes one (with a key the host never issued: 401) and then
/// reads the <c>default</c> host key, which every function-level route accepts, as <c>az functionapp keys list</c> would.
/// </summary>
public static class FunctionHostKeyStore
{
    /// <summary>The container the host keeps its keys in.</summary>
    public const string SecretsContainer = "azure-webjobs-secrets";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Reads the <c>default</c> host key of <paramref name="hostId"/>, waiting up to <paramref name="timeout"/> for the host to write it.</summary>
    public static async Task<string> ReadDefaultHostKeyAsync(
        HttpClient http, Uri keyedRoute, BlobServiceClient storage, string hostId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(storage);
        using (var request = new HttpRequestMessage(HttpMethod.Get, keyedRoute))
        {
            request.Headers.Add("x-functions-key", "a-key-this-host-never-issued");
            using var refused = await http.SendAsync(request, cancellationToken);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"GET {keyedRoute} with a key the host never issued: {(int)refused.StatusCode}");
        }

        var blob = storage.GetBlobContainerClient(SecretsContainer).GetBlobClient(hostId + "/host.json");
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await blob.ExistsAsync(cancellationToken))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"The host did not write {SecretsContainer}/{blob.Name} within {timeout.TotalSeconds:0} s.");
            await Task.Delay(PollInterval, cancellationToken);
        }

        var secrets = JsonNode.Parse((await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToString())!;
        var key = secrets["functionKeys"]!.AsArray().Single(k => (string?)k!["name"] == "default")!;
        Assert.False((bool?)key["encrypted"] ?? false, "The host stored its default key encrypted; the check needs it in clear.");
        return (string?)key["value"] ?? throw new InvalidOperationException($"{blob.Name} has a default key without a value.");
    }

    /// <summary>Deletes the keys of <paramref name="hostId"/> (the host ids are the run's own; the container stays, shared by all hosts).</summary>
    public static async Task DeleteAsync(BlobServiceClient storage, string hostId)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var container = storage.GetBlobContainerClient(SecretsContainer);
        if (!await container.ExistsAsync())
        {
            return;
        }

        await foreach (var item in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, hostId + "/", CancellationToken.None))
        {
            await container.DeleteBlobIfExistsAsync(item.Name);
        }
    }
}
