using Azure.Storage.Blobs;

namespace DiffusionFunctions.Core.Policy;

/// <summary>What kind of place <c>PromptPolicy:Source</c> names.</summary>
internal enum PromptPolicySourceKind
{
    /// <summary>The default policy embedded in DiffusionFunctions.Core.</summary>
    Default,

    /// <summary>A file on disk.</summary>
    File,

    /// <summary>A blob in the app's storage account.</summary>
    Blob,
}

/// <summary>
/// <c>PromptPolicy:Source</c> parsed: the default policy, a file path, or a blob (container and name, plus the account
/// named in a URL, if one was given).
/// </summary>
/// <param name="Kind">Default, file or blob.</param>
/// <param name="Value">The setting as written.</param>
/// <param name="FilePath">The full file path (files only).</param>
/// <param name="AccountName">The account named by a blob URL (null for <c>blob:</c> paths).</param>
/// <param name="Container">The blob container (blobs only).</param>
/// <param name="BlobName">The blob name (blobs only).</param>
internal sealed record PromptPolicySourceLocation(
    PromptPolicySourceKind Kind,
    string Value,
    string? FilePath = null,
    string? AccountName = null,
    string? Container = null,
    string? BlobName = null)
{
    /// <summary>The prefix for a blob in the app's storage account: <c>blob:&lt;container&gt;/&lt;blob name&gt;</c>.</summary>
    public const string BlobPrefix = "blob:";

    private const string Setting = PromptPolicyOptions.SectionName + ":" + nameof(PromptPolicyOptions.Source);

    /// <summary>Parses the setting; returns null and an error message naming the setting when it cannot be used.</summary>
    public static PromptPolicySourceLocation? TryParse(string? value, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return new PromptPolicySourceLocation(PromptPolicySourceKind.Default, string.Empty);
        }

        value = value.Trim();
        if (value.StartsWith(BlobPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = value[BlobPrefix.Length..].TrimStart('/');
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == path.Length - 1)
            {
                error = $"{Setting} '{value}' must be 'blob:<container>/<blob name>'.";
                return null;
            }

            return Blob(value, null, path[..slash], path[(slash + 1)..], out error);
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            var parts = new BlobUriBuilder(uri);
            if (string.IsNullOrEmpty(parts.BlobContainerName) || string.IsNullOrEmpty(parts.BlobName))
            {
                error = $"{Setting} '{value}' is a URL but names no container and blob (expected https://<account>.blob.core.windows.net/<container>/<blob name>).";
                return null;
            }

            return Blob(value, parts.AccountName, parts.BlobContainerName, parts.BlobName, out error);
        }

        if (value.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            error = $"{Setting} '{value}' is not a valid file path.";
            return null;
        }

        return new PromptPolicySourceLocation(PromptPolicySourceKind.File, value, FilePath: Path.GetFullPath(value, AppContext.BaseDirectory));
    }

    private static PromptPolicySourceLocation? Blob(string value, string? account, string container, string blobName, out string? error)
    {
        error = null;
        if (container.Length is < 3 or > 63 || !container.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') || container.StartsWith('-'))
        {
            error = $"{Setting} '{value}' names container '{container}', which is not a valid container name (3-63 lower-case letters, digits and dashes).";
            return null;
        }

        return new PromptPolicySourceLocation(PromptPolicySourceKind.Blob, value, AccountName: account, Container: container, BlobName: blobName);
    }
}
