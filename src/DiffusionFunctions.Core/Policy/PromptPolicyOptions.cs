namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// Where the prompt policy comes from and how often it is checked for changes: configuration section
/// <c>PromptPolicy</c>, validated at start-up by <see cref="PromptPolicyOptionsValidator"/>.
/// </summary>
public sealed class PromptPolicyOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "PromptPolicy";

    /// <summary>
    /// <c>PromptPolicy:Source</c>. Empty: the default policy shipped inside DiffusionFunctions.Core. A blob: either an
    /// <c>http(s)://</c> blob URL in the storage account of the app's <c>BlobServiceClient</c>, or
    /// <c>blob:&lt;container&gt;/&lt;blob name&gt;</c>. Anything else: a file path (relative paths are resolved against
    /// the app's base directory).
    /// </summary>
    public string? Source { get; set; }

    /// <summary>
    /// <c>PromptPolicy:ReloadInterval</c>: how often the file's content or the blob's ETag is checked
    /// (default 00:00:30). <see cref="TimeSpan.Zero"/> turns reloading off. Ignored for the built-in default policy.
    /// </summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>PromptPolicy:RevealMatches</c>: what a refusal (the API's 422, the worker's <c>prompt-blocked</c> job error)
    /// says about the match: <c>Category</c> (default), <c>Terms</c> or <c>None</c>.
    /// </summary>
    public PromptPolicyRevealMatches RevealMatches { get; set; } = PromptPolicyRevealMatches.Category;
}
