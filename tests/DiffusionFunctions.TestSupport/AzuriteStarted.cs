using System.Text.Json.Serialization;

namespace DiffusionFunctions.TestSupport;

/// <summary>The endpoint line <c>infra/scripts/azurite-private.mjs</c> prints once Azurite answers.</summary>
public sealed record AzuriteStarted(int Pid, int BlobPort, int QueuePort, int TablePort, string DataFolder);

/// <summary>Source-generated JSON for <see cref="AzuriteStarted"/> (camelCase, as the script writes it).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AzuriteStarted))]
internal sealed partial class AzuriteStartedJsonContext : JsonSerializerContext;
