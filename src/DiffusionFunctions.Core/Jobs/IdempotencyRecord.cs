namespace DiffusionFunctions.Core.Jobs;

/// <summary>What an <c>Idempotency-Key</c> was first used for: the job it created and the hash of the request.</summary>
/// <param name="Key">The key as the client sent it.</param>
/// <param name="JobId">The job the first request created.</param>
/// <param name="RequestHash">SHA-256 (hex) of the first request's content.</param>
/// <param name="CreatedAt">When the key was first used.</param>
public sealed record IdempotencyRecord(string Key, string JobId, string RequestHash, DateTimeOffset CreatedAt);
