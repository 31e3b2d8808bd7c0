using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Api.Submission;

/// <summary>
/// The <c>Idempotency-Key</c> request header of the submission routes (<c>POST /api/generations</c>, <c>POST /api/batches</c>):
/// absent, or one value that <see cref="IdempotencyKeyStore.IsValidKey"/> accepts; anything else is a 400 naming the header.
/// </summary>
public static class IdempotencyKeyHeader
{
    /// <summary>The header's name.</summary>
    public const string Name = "Idempotency-Key";

    /// <summary>
    /// Reads the header: true with <paramref name="key"/> (null when absent), or false with the 400 in <paramref name="problem"/>.
    /// </summary>
    public static bool TryRead(HttpRequest request, out string? key, out ObjectResult? problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        key = null;
        problem = null;
        if (!request.Headers.TryGetValue(Name, out var values))
        {
            return true;
        }

        var value = values.ToString();
        if (values.Count != 1 || !IdempotencyKeyStore.IsValidKey(value))
        {
            problem = ProblemResults.Validation(Name,
                $"{Name} must be one value of 1-{IdempotencyKeyStore.MaxKeyLength} printable ASCII characters without spaces.");
            return false;
        }

        key = value;
        return true;
    }
}
