using System.Reflection;
using System.Text.Json;
using DiffusionFunctions.Api.Functions;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Api.Tests;

/// <summary>Reads the <c>functions.metadata</c> the Functions SDK generated for the Api build and checks every trigger.</summary>
public sealed class FunctionsMetadataTests
{
    public static TheoryData<string, string, string, string, string> ExpectedFunctions => new()
    {
        { "SubmitGeneration", "DiffusionFunctions.Api.Functions.SubmitGenerationFunction.SubmitGeneration", "generations", "post", "Function" },
        { "GetGeneration", "DiffusionFunctions.Api.Functions.GetGenerationFunction.GetGeneration", "generations/{id}", "get", "Function" },
        { "CancelGeneration", "DiffusionFunctions.Api.Functions.CancelGenerationFunction.CancelGeneration", "generations/{id}", "delete", "Function" },
        { "Health", "DiffusionFunctions.Api.Functions.HealthFunction.Health", "health", "get", "Anonymous" },
        { "GetOpenApiDocument", "DiffusionFunctions.Api.Functions.OpenApiDocumentFunction.GetOpenApiDocument", "openapi.yaml", "get", "Anonymous" },
        { "ListGenerations", "DiffusionFunctions.Api.Functions.ListGenerationsFunction.ListGenerations", "generations", "get", "Function" },
        { "GetModels", "DiffusionFunctions.Api.Functions.GetModelsFunction.GetModels", "models", "get", "Function" },
        { "SubmitBatch", "DiffusionFunctions.Api.Functions.SubmitBatchFunction.SubmitBatch", "batches", "post", "Function" },
        { "GetBatch", "DiffusionFunctions.Api.Functions.GetBatchFunction.GetBatch", "batches/{id}", "get", "Function" },
        { "CancelBatch", "DiffusionFunctions.Api.Functions.CancelBatchFunction.CancelBatch", "batches/{id}", "delete", "Function" },
    };

    [Theory]
    [MemberData(nameof(ExpectedFunctions))]
    public void Function_has_the_expected_http_trigger(string name, string entryPoint, string route, string method, string authLevel)
    {
        var function = Assert.Single(ReadMetadata().RootElement.EnumerateArray(), f => f.GetProperty("name").GetString() == name);

        Assert.Equal(entryPoint, function.GetProperty("entryPoint").GetString());
        Assert.Equal("DiffusionFunctions.Api.dll", function.GetProperty("scriptFile").GetString());
        var bindings = function.GetProperty("bindings").EnumerateArray().ToList();
        var trigger = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "In");
        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(authLevel, trigger.GetProperty("authLevel").GetString());
        var output = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "Out");
        Assert.Equal("http", output.GetProperty("type").GetString());
    }

    [Fact]
    public void Metadata_lists_exactly_the_functions_declared_in_code()
    {
        var declared = typeof(SubmitGenerationFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .Order(StringComparer.Ordinal);
        var listed = ReadMetadata().RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal);
        var expected = ExpectedFunctions.Select(row => (string)row[0]).Order(StringComparer.Ordinal);

        Assert.Equal(expected, declared);
        Assert.Equal(expected, listed);
    }

    internal static JsonDocument ReadMetadata()
    {
        // The Functions SDK writes functions.metadata beside the Api assembly and copies it into referencing outputs,
        // so this finds it under any -p:ArtifactsPath.
        var folder = Path.GetDirectoryName(typeof(SubmitGenerationFunction).Assembly.Location)!;
        var path = Path.Combine(folder, "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata was not generated beside the Api assembly ({path}).");
        return JsonDocument.Parse(File.ReadAllText(path));
    }
}
