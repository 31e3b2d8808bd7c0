using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DiffusionFunctions.Worker.Webhooks;

/// <summary>
/// Signs and verifies webhook deliveries the Standard Webhooks way: the signed content is
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, the signature HMAC-SHA256 with the secret's key, sent as
/// <c>webhook-signature: v1,&lt;base64&gt;</c> (several space-separated signatures are allowed while rotating secrets).
/// </summary>
public static class WebhookSignature
{
    /// <summary>Header carrying the message id (the CloudEvent id; the same on every retry, for de-duplication).</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>Header carrying the Unix time in seconds at which the attempt was signed.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>Header carrying the signature(s).</summary>
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The signature header value, <c>v1,&lt;base64&gt;</c>.</summary>
    public static string Sign(WebhookSecret secret, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return "v1," + Convert.ToBase64String(Compute(secret.Key, messageId, timestamp, body));
    }

    /// <summary>
    /// What a receiver does: recomputes the signature and compares it in constant time with each <c>v1</c> entry of
    /// <paramref name="signatureHeader"/>, and refuses timestamps further than <paramref name="tolerance"/> from
    /// <paramref name="now"/> (replay protection).
    /// </summary>
    public static bool Verify(
        WebhookSecret secret, string messageId, string timestampHeader, string signatureHeader, ReadOnlySpan<byte> body,
        DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrEmpty(messageId) || string.IsNullOrEmpty(signatureHeader)
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Compute(secret.Key, messageId, timestamp, body);
        foreach (var entry in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || entry[..comma] != "v1")
            {
                continue;
            }

            byte[] given;
            try
            {
                given = Convert.FromBase64String(entry[(comma + 1)..]);
            }
            catch (FormatException)
            {
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return true;
            }
        }

        return false;
    }

    private static byte[] Compute(byte[] key, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{messageId}.{timestamp}."));
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }
}
