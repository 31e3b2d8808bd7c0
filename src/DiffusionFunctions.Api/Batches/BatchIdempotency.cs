using System.Security.Cryptography;
using DiffusionFunctions.Core.Jobs;
using DiffusionFunctions.Core.Workflows;

namespace DiffusionFunctions.Api.Batches;

/// <summary>What an <c>Idempotency-Key</c> on <c>POST /api/batches</c> decided.</summary>
/// <param name="RunId">The batch id to start (or finish starting): a new one, or the one the key's first request recorded.</param>
/// <param name="Claimed">True when this request recorded the key; false when an earlier request with the same body had.</param>
/// <param name="ConflictingRunId">Set when the key was first used with a different body: that request's batch id.</param>
public sealed record BatchKeyClaim(string RunId, bool Claimed, string? ConflictingRunId = null);

/// <summary>
/// Idempotency keys of batch submissions, kept in the same <see cref="IdempotencyKeyStore"/> as those of generations. A batch
/// key is stored as <c>"batches " + key</c>: a client key has no spaces, so no generation key can name the same record. The
/// record's id is the batch (run) id, and the request hash is the SHA-256 of the body's bytes. A retry with the same body
/// gets the recorded batch id and runs the (idempotent) start again, so a request that crashed after recording the key but
/// before, or while, creating the run is completed by its retry rather than answered with a second batch.
/// </summary>
public sealed class BatchIdempotency(IdempotencyKeyStore store, TimeProvider time)
{
    /// <summary>The store key of the client's batch key <paramref name="key"/>.</summary>
    public static string StoreKey(string key) => "batches " + key;

    /// <summary>SHA-256 (hex) of a batch body.</summary>
    public static string HashBody(byte[] body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>Claims <paramref name="key"/> for a new batch of <paramref name="body"/>, or finds the batch it already names.</summary>
    public async Task<BatchKeyClaim> ClaimAsync(string key, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(body);
        var hash = HashBody(body);
        var claim = await store.TryClaimAsync(new IdempotencyRecord(StoreKey(key), WorkflowIds.NewRunId(), hash, time.GetUtcNow()), cancellationToken)
            .ConfigureAwait(false);
        var runId = claim.Record.JobId;
        if (claim.Claimed)
        {
            return new BatchKeyClaim(runId, true);
        }

        return string.Equals(claim.Record.RequestHash, hash, StringComparison.Ordinal)
            ? new BatchKeyClaim(runId, false)
            : new BatchKeyClaim(runId, false, runId);
    }

    /// <summary>Releases a key whose request created nothing (every item refused), so it can be used again.</summary>
    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
        => store.ReleaseAsync(StoreKey(key), cancellationToken);
}
