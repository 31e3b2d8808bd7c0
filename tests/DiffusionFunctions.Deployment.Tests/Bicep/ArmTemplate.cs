using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DiffusionFunctions.Deployment.Tests.Bicep;

/// <summary>A compiled ARM template with its module templates (nested deployments) reachable by module name.</summary>
internal sealed class ArmTemplate(JsonObject json, string path = "main")
{
    public JsonObject Json { get; } = json;

    /// <summary>main, main/rbac, main/worker, ...</summary>
    public string Path { get; } = path;

    /// <summary>This template's own resources (not those of its modules).</summary>
    public IReadOnlyList<JsonObject> Resources => Json["resources"] switch
    {
        JsonArray array => [.. array.Select(r => r!.AsObject())],
        JsonObject symbolic => [.. symbolic.Select(p => p.Value!.AsObject())],
        _ => [],
    };

    public IEnumerable<JsonObject> OfType(string type)
        => Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    /// <summary>A module deployed by this template, by its deployment name (or, for a module loop, by its symbolic name).</summary>
    public ArmTemplate Module(string name)
    {
        var deployment = OfType("Microsoft.Resources/deployments").SingleOrDefault(d => IsNamed(d, name))
                         ?? throw new InvalidOperationException($"{Path} deploys no module named '{name}'.");
        return new ArmTemplate(deployment["properties"]!["template"]!.AsObject(), $"{Path}/{name}");
    }

    /// <summary>The module deployment resource itself (its parameters and dependsOn).</summary>
    public JsonObject ModuleDeployment(string name)
        => OfType("Microsoft.Resources/deployments").Single(d => IsNamed(d, name));

    private static bool IsNamed(JsonObject deployment, string name)
        => (string?)deployment["name"] == name || (string?)deployment["copy"]?["name"] == name;

    /// <summary>Every template below and including this one.</summary>
    public IEnumerable<ArmTemplate> Descendants()
    {
        yield return this;
        foreach (var deployment in OfType("Microsoft.Resources/deployments"))
        {
            var child = new ArmTemplate(deployment["properties"]!["template"]!.AsObject(), $"{Path}/{deployment["name"]}");
            foreach (var template in child.Descendants())
            {
                yield return template;
            }
        }
    }

    public JsonNode? Variable(string name) => Json["variables"]?[name];

    /// <summary>JSON text as written (quotes in expressions not escaped), for substring checks on expressions.</summary>
    public static string Text(JsonNode? node)
        => node is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : node?.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? string.Empty;

    /// <summary>
    /// A copy of <paramref name="node"/> in which every value that is exactly <c>[variables('x')]</c> is replaced by that
    /// variable's (resolved) value. Other expressions stay as text.
    /// </summary>
    public JsonNode? Resolve(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Resolve)]),
        JsonValue value when value.TryGetValue<string>(out var text) && text.StartsWith("[variables('", StringComparison.Ordinal)
                             && text.EndsWith("')]", StringComparison.Ordinal) && text.IndexOf('\'', 12) == text.Length - 3
            => Resolve(Variable(text[12..^3])),
        null => null,
        _ => node.DeepClone(),
    };
}
