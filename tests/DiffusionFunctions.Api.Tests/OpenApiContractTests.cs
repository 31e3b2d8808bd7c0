using System.Reflection;
using System.Text.Json;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Api.Resources;
using DiffusionFunctions.Core.Generation;

namespace DiffusionFunctions.Api.Tests;

/// <summary>Keeps <c>src/DiffusionFunctions.Api/openapi.yaml</c> true: routes, methods, auth and contracts against the code.</summary>
public sealed class OpenApiContractTests
{
    private static readonly YamlOutline Document = YamlOutline.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "openapi.yaml")));

    [Fact]
    public void Every_function_is_documented_with_its_route_method_operation_id_and_auth()
    {
        using var metadata = FunctionsMetadataTests.ReadMetadata();
        var paths = Document["paths"];
        var documented = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths.Children.Values)
        {
            foreach (var operation in path.Children.Values)
            {
                documented.Add($"{operation.Key.ToUpperInvariant()} {path.Key}");
            }
        }

        var implemented = new HashSet<string>(StringComparer.Ordinal);
        foreach (var function in metadata.RootElement.EnumerateArray())
        {
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            var route = "/" + trigger.GetProperty("route").GetString();
            foreach (var method in trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!))
            {
                implemented.Add($"{method.ToUpperInvariant()} {route}");
                var operation = paths[route][method];
                Assert.Equal(function.GetProperty("name").GetString(), operation["operationId"].Value);
                var anonymous = trigger.GetProperty("authLevel").GetString() == "Anonymous";
                var security = operation["security"];
                if (anonymous)
                {
                    Assert.Equal("[]", security.Value);
                }
                else
                {
                    Assert.Equal(["functionKeyHeader: []", "functionKeyQuery: []"], security.Items);
                }
            }
        }

        Assert.Equal(implemented.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Request_schema_lists_exactly_the_fields_the_api_reads()
    {
        var schema = Document["components"]["schemas"]["GenerationRequest"]["properties"].Children.Keys.Order(StringComparer.Ordinal);

        Assert.Equal(CamelCaseProperties(typeof(GenerationRequest)), schema);
        Assert.Equal(GenerationRequestJsonReader.FieldNames.Order(StringComparer.Ordinal), schema);
    }

    [Fact]
    public void Response_schemas_list_exactly_the_properties_the_api_writes()
    {
        var schemas = Document["components"]["schemas"];

        Assert.Equal(CamelCaseProperties(typeof(GenerationResource)), schemas["Generation"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(GenerationParametersResource)), schemas["GenerationParameters"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(GenerationProgressResource)), schemas["GenerationProgress"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(GenerationErrorResource)), schemas["GenerationError"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(Functions.HealthReport)), schemas["Health"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(Listing.GenerationListResource)), schemas["GenerationList"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(Models.ModelsResource)), schemas["Models"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(Models.ModelResource)), schemas["Model"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(Models.ModelDefaultsResource)), schemas["ModelDefaults"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(Models.ModelLimitsResource)), schemas["ModelLimits"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(Batches.BatchResource)), schemas["Batch"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(Batches.BatchCountsResource)), schemas["BatchCounts"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(Batches.BatchRefusedItemResource)), schemas["BatchRefusedItem"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(Batches.BatchItemResource)), schemas["BatchItemRef"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(CamelCaseProperties(typeof(Core.Workflows.WorkflowItemRefusal)), schemas["ItemProblem"]["properties"].Children.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Batch_items_take_the_generation_fields_without_images_plus_labels()
    {
        var item = Document["components"]["schemas"]["BatchItem"]["properties"].Children.Keys.Order(StringComparer.Ordinal);
        var expected = GenerationRequestJsonReader.FieldNames
            .Where(f => f is not ("initImage" or "mask"))
            .Append(Core.Workflows.Batches.BatchItemReader.LabelsField)
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, item);
    }

    [Fact]
    public void Enumerations_match_the_code()
    {
        var schemas = Document["components"]["schemas"];
        var problemTypes = typeof(ProblemTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.Name != nameof(ProblemTypes.Base))
            .Select(f => (string)f.GetRawConstantValue()!);

        Assert.Equal(problemTypes.Order(StringComparer.Ordinal), schemas["Problem"]["properties"]["type"]["enum"].Items.Order(StringComparer.Ordinal));
        Assert.Equal($"[{string.Join(", ", SchedulerNames.All)}]", schemas["GenerationRequest"]["properties"]["scheduler"]["enum"].Value);
        Assert.Equal($"[{string.Join(", ", GenerationModeNames.All)}]", schemas["GenerationRequest"]["properties"]["mode"]["enum"].Value);
    }

    private static IEnumerable<string> CamelCaseProperties(Type type)
        => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .Order(StringComparer.Ordinal);
}
