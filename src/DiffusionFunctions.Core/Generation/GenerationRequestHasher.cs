using System.Security.Cryptography;
using System.Text.Json;
using DiffusionFunctions.Core.Images;

namespace DiffusionFunctions.Core.Generation;

/// <summary>
/// Hashes a request's content for idempotency: the fields as given plus the SHA-256 of each image's bytes. The same
/// request sent as JSON with base64 images or as multipart with file parts hashes the same; any changed field does not.
/// </summary>
public static class GenerationRequestHasher
{
    /// <summary>SHA-256 (lowercase hex) of <paramref name="request"/> with its images replaced by their hashes.</summary>
    public static string Compute(GenerationRequest request, InputImage? initImage, InputImage? mask)
    {
        ArgumentNullException.ThrowIfNull(request);
        var canonical = request with
        {
            InitImage = initImage is null ? null : Hash(initImage.Content.Span),
            Mask = mask is null ? null : Hash(mask.Content.Span),
        };
        return Hash(JsonSerializer.SerializeToUtf8Bytes(canonical, DiffusionJson.Options));
    }

    private static string Hash(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
