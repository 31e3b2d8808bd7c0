namespace DiffusionFunctions.Core.Policy;

/// <summary>A policy document's bytes and a version string that changes whenever they do (content hash or ETag).</summary>
/// <param name="Utf8Json">The document.</param>
/// <param name="Version">A hash of the content (files), the blob's ETag, or "embedded".</param>
internal sealed record PromptPolicyContent(ReadOnlyMemory<byte> Utf8Json, string Version);

/// <summary>Where a policy document is read from: the embedded default, a file, or a blob.</summary>
internal interface IPromptPolicySource
{
    /// <summary>The source as people read it in logs and errors (a path, a blob URL, "default (embedded)").</summary>
    string Description { get; }

    /// <summary>False for sources that never change (the embedded default): no reload timer is started.</summary>
    bool CanChange { get; }

    /// <summary>Reads the document now; used once, at start-up, where blocking is acceptable.</summary>
    PromptPolicyContent Load();

    /// <summary>
    /// Returns the document if its version differs from <paramref name="knownVersion"/>, or null when it has not changed.
    /// Throws when the source cannot be read (missing file or blob, I/O or storage errors).
    /// </summary>
    Task<PromptPolicyContent?> LoadIfChangedAsync(string? knownVersion, CancellationToken cancellationToken);
}
