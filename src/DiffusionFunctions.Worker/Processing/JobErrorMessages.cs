using DiffusionFunctions.Core.Policy;

namespace DiffusionFunctions.Worker.Processing;

/// <summary>
/// The sentences failed jobs show clients in <c>error.message</c> (through <c>GET /api/generations/{id}</c> and the
/// failure event): short, stable per code, and free of infrastructure detail (no exception text, storage responses,
/// blob names or stack traces). The full cause goes to the worker's log with the job id.
/// </summary>
public static class JobErrorMessages
{
    /// <summary>Longest message a job error carries; longer request-validation messages are cut.</summary>
    public const int MaxLength = 300;

    /// <summary>For <see cref="JobErrorCodes.RetriesExhausted"/>.</summary>
    public const string RetriesExhausted = "Generation failed on every attempt; the service logged the cause under this job's id.";

    /// <summary>For <see cref="JobErrorCodes.InvalidRequest"/> when an uploaded input image has gone from storage.</summary>
    public const string InputImageMissing = "The job's input image is no longer available; submit the request again.";

    /// <summary>For <see cref="JobErrorCodes.PromptBlocked"/>, saying as much as <c>PromptPolicy:RevealMatches</c> allows.</summary>
    public static string PromptBlocked(PromptPolicyVerdict verdict, PromptPolicyRevealMatches reveal)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var categories = string.Join(", ", verdict.Matches.Select(m => m.Category).Distinct(StringComparer.Ordinal));
        return reveal switch
        {
            PromptPolicyRevealMatches.Terms => $"The prompt contains terms blocked by the content policy ({categories}): "
                + string.Join(", ", verdict.Matches.Select(m => $"'{m.Term}'")) + ".",
            PromptPolicyRevealMatches.Category => $"The prompt contains terms blocked by the content policy ({categories}).",
            _ => "The prompt contains terms blocked by the content policy.",
        };
    }

    /// <summary>
    /// A request-validation message (written by this codebase about the request's own values) as one line of at most
    /// <see cref="MaxLength"/> characters: the first line, without .NET's " (Parameter 'name')" suffix.
    /// </summary>
    public static string Validation(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var line = message.AsSpan();
        var newline = line.IndexOfAny('\r', '\n');
        if (newline >= 0)
        {
            line = line[..newline];
        }

        var parameter = line.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (parameter > 0)
        {
            line = line[..parameter];
        }

        line = line.Trim();
        return line.Length <= MaxLength ? line.ToString() : string.Concat(line[..(MaxLength - 1)], "…");
    }
}
