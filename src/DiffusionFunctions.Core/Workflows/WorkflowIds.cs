using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DiffusionFunctions.Core.Jobs;

namespace DiffusionFunctions.Core.Workflows;

/// <summary>
/// Ids of workflow runs and of their jobs. A run id has the job id format (32 lowercase hex digits); the job of item
/// <c>i</c> of run <c>r</c> is <c>SHA-256("{r}/{i}")</c> cut to 32 hex digits, so every delivery of the same run start
/// names the same jobs (exactly once: a second start finds them and creates nothing).
/// </summary>
public static class WorkflowIds
{
    /// <summary>A new random run id (API submissions).</summary>
    public static string NewRunId() => JobIds.New();

    /// <summary>
    /// The run id of an uploaded blob: derived from the kind, the container, the blob name and the blob's ETag, so a
    /// duplicate event of the same upload names the same run, and a new upload under the same name (new ETag) a new one.
    /// </summary>
    public static string RunIdForUpload(string kind, string container, string blobName, string etag)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(container);
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        return Hash32($"upload\n{kind}\n{container}\n{blobName}\n{etag.Trim('"')}");
    }

    /// <summary>The job id of item <paramref name="index"/> of run <paramref name="runId"/>.</summary>
    public static string JobIdFor(string runId, int index)
    {
        JobIds.ThrowIfInvalid(runId, nameof(runId));
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Hash32(string.Create(CultureInfo.InvariantCulture, $"{runId}/{index}"));
    }

    private static string Hash32(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
