namespace DiffusionFunctions.Worker.Webhooks;

/// <summary>
/// A Standard Webhooks signing secret: <c>whsec_</c> followed by the base64 of 24 to 64 random bytes
/// (https://www.standardwebhooks.com, "Signature scheme"). The key is the decoded bytes.
/// </summary>
public sealed class WebhookSecret
{
    /// <summary>The prefix of the textual form.</summary>
    public const string Prefix = "whsec_";

    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    /// <summary>The HMAC key (a copy).</summary>
    public byte[] Key => (byte[])_key.Clone();

    /// <summary>Parses <c>whsec_&lt;base64&gt;</c>; false with a reason when it is not one.</summary>
    public static bool TryParse(string? text, out WebhookSecret? secret, out string? error)
    {
        secret = null;
        if (string.IsNullOrEmpty(text) || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"a webhook secret must start with '{Prefix}' followed by base64 (Standard Webhooks).";
            return false;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(text[Prefix.Length..]);
        }
        catch (FormatException)
        {
            error = $"the part after '{Prefix}' is not valid base64.";
            return false;
        }

        if (key.Length is < 24 or > 64)
        {
            error = $"the secret must decode to 24 to 64 bytes, not {key.Length}.";
            return false;
        }

        error = null;
        secret = new WebhookSecret(key);
        return true;
    }

    /// <summary>Parses <c>whsec_&lt;base64&gt;</c> or throws <see cref="FormatException"/>.</summary>
    public static WebhookSecret Parse(string text)
        => TryParse(text, out var secret, out var error) ? secret! : throw new FormatException("Invalid webhook secret: " + error);

    /// <summary>A new random secret in its textual form (for <c>local.settings.json</c> or a Key Vault secret).</summary>
    public static string Generate() => Prefix + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
