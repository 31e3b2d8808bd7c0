using System.Net;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>
/// The run store: <c>runs/{id}/definition.json</c> (written once, <c>If-None-Match: *</c>) and <c>runs/{id}/state.json</c>
/// (ETag-conditional read-modify-write, retried on 412) in the jobs container. Thread-safe; a singleton.
/// </summary>
public class WorkflowRunStore
{
    private readonly BlobContainerClient _container;
    private readonly TimeProvider _time;
    private readonly int _maxAttempts;

    /// <summary>Creates the store over the jobs container named in <paramref name="storage"/>.</summary>
    public WorkflowRunStore(BlobServiceClient blobService, IOptions<DiffusionStorageOptions> storage, IOptions<WorkflowOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(blobService);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        _container = blobService.GetBlobContainerClient(storage.Value.JobsContainer);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _maxAttempts = options.Value.MaxUpdateAttempts;
    }

    /// <summary>The blob name of a run's definition.</summary>
    public static string DefinitionBlobName(string runId) => $"runs/{runId}/definition.json";

    /// <summary>The blob name of a run's state.</summary>
    public static string StateBlobName(string runId) => $"runs/{runId}/state.json";

    /// <summary>
    /// Stores <paramref name="definition"/> unless the run exists; returns the stored one either way (a second start of
    /// the same run gets the first one's definition, seeds included) and whether this call created it.
    /// </summary>
    public virtual async Task<(WorkflowRunDefinition Definition, bool Created)> CreateDefinitionAsync(WorkflowRunDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        if (await TryCreateAsync(DefinitionBlobName(definition.Id), definition, cancellationToken).ConfigureAwait(false))
        {
            return (definition, true);
        }

        var stored = await GetDefinitionAsync(definition.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run {definition.Id}'s definition exists but cannot be read.");
        return (stored, false);
    }

    /// <summary>The run's definition, or null.</summary>
    public virtual async Task<WorkflowRunDefinition?> GetDefinitionAsync(string runId, CancellationToken cancellationToken)
    {
        JobIds.ThrowIfInvalid(runId, nameof(runId));
        return (await ReadAsync<WorkflowRunDefinition>(DefinitionBlobName(runId), cancellationToken).ConfigureAwait(false))?.Value;
    }

    /// <summary>Stores the initial state unless one exists; true when this call created it.</summary>
    public virtual Task<bool> CreateStateAsync(WorkflowRunState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return TryCreateAsync(StateBlobName(state.Id), state, cancellationToken);
    }

    /// <summary>The run's state, or null.</summary>
    public virtual async Task<WorkflowRunState?> GetStateAsync(string runId, CancellationToken cancellationToken)
    {
        JobIds.ThrowIfInvalid(runId, nameof(runId));
        return (await ReadAsync<WorkflowRunState>(StateBlobName(runId), cancellationToken).ConfigureAwait(false))?.Value;
    }

    /// <summary>
    /// Applies <paramref name="mutate"/> to the current state and writes it if nobody changed it meanwhile (ETag), else
    /// re-reads and tries again. <paramref name="mutate"/> may run several times and must be pure; returning the same
    /// instance writes nothing. Returns the stored state and whether this call wrote it.
    /// </summary>
    public virtual Task<(WorkflowRunState State, bool Written)> UpdateStateAsync(
        string runId, Func<WorkflowRunState, WorkflowRunState> mutate, CancellationToken cancellationToken)
        => UpdateStateAsync(runId, mutate, beforeWrite: null, cancellationToken);

    /// <summary>
    /// As <see cref="UpdateStateAsync(string, Func{WorkflowRunState, WorkflowRunState}, CancellationToken)"/>, with
    /// <paramref name="beforeWrite"/> run between the mutation and the conditional write (the feeder sends the messages of
    /// the items it releases there, so a crash before the write loses nothing: the next delivery sends them again). It runs
    /// again on every retry, with that attempt's states.
    /// </summary>
    public virtual async Task<(WorkflowRunState State, bool Written)> UpdateStateAsync(
        string runId,
        Func<WorkflowRunState, WorkflowRunState> mutate,
        Func<WorkflowRunState, WorkflowRunState, CancellationToken, Task>? beforeWrite,
        CancellationToken cancellationToken)
    {
        JobIds.ThrowIfInvalid(runId, nameof(runId));
        ArgumentNullException.ThrowIfNull(mutate);
        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadAsync<WorkflowRunState>(StateBlobName(runId), cancellationToken).ConfigureAwait(false)
                ?? throw new WorkflowRunNotFoundException(runId);
            var updated = mutate(current.Value);
            if (ReferenceEquals(updated, current.Value) || updated == current.Value)
            {
                return (current.Value, false);
            }

            if (beforeWrite is not null)
            {
                await beforeWrite(current.Value, updated, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await _container.GetBlobClient(StateBlobName(runId)).UploadAsync(
                    Serialize(updated),
                    new BlobUploadOptions
                    {
                        Conditions = new BlobRequestConditions { IfMatch = current.ETag },
                        HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                    },
                    cancellationToken).ConfigureAwait(false);
                return (updated, true);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed && attempt < _maxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * Math.Min(attempt, 10))), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> TryCreateAsync<T>(string blobName, T value, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlobClient(blobName).UploadAsync(
                Serialize(value),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    private async Task<(T Value, ETag ETag)?> ReadAsync<T>(string blobName, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var response = await _container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var value = response.Value.Content.ToObjectFromJson<T>(DiffusionJson.Options)
                ?? throw new InvalidOperationException($"The run blob {blobName} is empty.");
            return (value, response.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static BinaryData Serialize<T>(T value) => new(JsonSerializer.SerializeToUtf8Bytes(value, DiffusionJson.Options));
}

/// <summary>A run has no state blob (never started, or removed by retention).</summary>
public sealed class WorkflowRunNotFoundException(string runId) : InvalidOperationException($"Workflow run {runId} has no state.")
{
    /// <summary>The run id.</summary>
    public string RunId { get; } = runId;
}
