using System.Security.Cryptography;

namespace DiffusionFunctions.Core.Policy;

/// <summary>
/// A policy document in a file. Its version is the SHA-256 of its content: the file is read on every check, which for a
/// policy document (kilobytes, every few seconds at most) costs little and never misses a change the way comparing
/// coarse last-write times can (two writes within one timestamp tick, or a copy that keeps the old time).
/// </summary>
internal sealed class FilePromptPolicySource(string fullPath) : IPromptPolicySource
{
    /// <inheritdoc />
    public string Description => fullPath;

    /// <inheritdoc />
    public bool CanChange => true;

    /// <inheritdoc />
    public PromptPolicyContent Load()
    {
        var bytes = File.ReadAllBytes(fullPath);
        return new PromptPolicyContent(bytes, Hash(bytes));
    }

    /// <inheritdoc />
    public async Task<PromptPolicyContent?> LoadIfChangedAsync(string? knownVersion, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken).ConfigureAwait(false);
        var version = Hash(bytes);
        return version == knownVersion ? null : new PromptPolicyContent(bytes, version);
    }

    private static string Hash(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
