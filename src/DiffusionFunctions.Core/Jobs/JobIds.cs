using System.Text.RegularExpressions;

namespace DiffusionFunctions.Core.Jobs;

/// <summary>Job ids: 32 lowercase hex digits (a GUID in "N" format), safe in blob names and URLs.</summary>
public static partial class JobIds
{
    /// <summary>A new random id.</summary>
    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>True when <paramref name="id"/> has the job id format.</summary>
    public static bool IsValid(string? id) => id is not null && Format().IsMatch(id);

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="id"/> is not a job id.</summary>
    public static void ThrowIfInvalid(string? id, string paramName = "jobId")
    {
        if (!IsValid(id))
        {
            throw new ArgumentException($"'{id}' is not a job id (32 lowercase hex digits).", paramName);
        }
    }

    // \A and \z, not ^ and $: $ also matches before a final "\n", so "^…$" accepted an id with a trailing newline.
    [GeneratedRegex(@"\A[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Format();
}
