using System.Text.Json;
using System.Text.Json.Serialization;

namespace DiffusionFunctions.Core;

/// <summary>The one JSON shape used for job records, queue messages and events: camelCase, enums as strings, nulls omitted.</summary>
public static class DiffusionJson
{
    /// <summary>Shared, read-only serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNameCaseInsensitive = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
