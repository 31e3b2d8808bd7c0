using System.Reflection;
using System.Text.Json;
using DiffusionFunctions.Worker.Functions;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Worker.Tests;

/// <summary>Reads the <c>functions.metadata</c> the Functions SDK generated for the Worker build and checks both triggers.</summary>
public sealed class FunctionsMetadataTests
{
    public static TheoryData<string, string, string> ExpectedFunctions => new()
    {
        { "ProcessGeneration", "DiffusionFunctions.Worker.Functions.ProcessGenerationFunction.ProcessGeneration", "%DiffusionFunctions:Storage:GenerationQueue%" },
        { "FailPoisonedGeneration", "DiffusionFunctions.Worker.Functions.GenerationPoisonFunction.FailPoisonedGeneration", "%DiffusionFunctions:Storage:GenerationQueue%-poison" },
        { "StartBatchFromUpload", "DiffusionFunctions.Worker.Functions.StartBatchFromUploadFunction.StartBatchFromUpload", "%DiffusionFunctions:Batches:RequestsEventsQueue%" },
    };

    [Theory]
    [MemberData(nameof(ExpectedFunctions))]
    public void Function_has_the_expected_queue_trigger(string name, string entryPoint, string queueName)
    {
        var function = Assert.Single(ReadMetadata().RootElement.EnumerateArray(), f => f.GetProperty("name").GetString() == name);

        Assert.Equal(entryPoint, function.GetProperty("entryPoint").GetString());
        Assert.Equal("DiffusionFunctions.Worker.dll", function.GetProperty("scriptFile").GetString());
        var trigger = Assert.Single(function.GetProperty("bindings").EnumerateArray());
        Assert.Equal("queueTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal(queueName, trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
    }

    [Fact]
    public void Worker_health_is_an_anonymous_get_on_api_health()
    {
        var function = Assert.Single(ReadMetadata().RootElement.EnumerateArray(), f => f.GetProperty("name").GetString() == "WorkerHealth");

        var trigger = Assert.Single(function.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "httpTrigger");
        Assert.Equal("health", trigger.GetProperty("route").GetString());
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(["get"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public void Metadata_lists_exactly_the_functions_declared_in_code()
    {
        var declared = typeof(ProcessGenerationFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .Order(StringComparer.Ordinal);
        var listed = ReadMetadata().RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal);
        var expected = ExpectedFunctions.Select(row => (string)row[0]).Append("WorkerHealth").Order(StringComparer.Ordinal);

        Assert.Equal(expected, declared);
        Assert.Equal(expected, listed);
    }

    [Fact]
    public void Host_json_runs_one_message_at_a_time_with_the_dequeue_count_the_worker_assumes()
    {
        var folder = Path.GetDirectoryName(typeof(ProcessGenerationFunction).Assembly.Location)!;
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "host.json")));
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");

        Assert.Equal(1, queues.GetProperty("batchSize").GetInt32());
        Assert.Equal(0, queues.GetProperty("newBatchThreshold").GetInt32());
        Assert.Equal(new WorkerOptions().MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(new Hosting.InProcessQueueListenerOptions().RetryDelay, TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static JsonDocument ReadMetadata()
    {
        // The Functions SDK writes functions.metadata beside the Worker assembly in the Worker's own output folder
        // (artifacts/bin/DiffusionFunctions.Worker/<pivot>/, under any -p:ArtifactsPath). This test project also references
        // the Api, whose copy can win in the test's own folder, so the Worker's folder is read first.
        var testFolder = Path.GetDirectoryName(typeof(FunctionsMetadataTests).Assembly.Location)!;
        var candidates = new[]
        {
            Path.GetFullPath(Path.Combine(testFolder, "..", "..", "DiffusionFunctions.Worker", Path.GetFileName(testFolder), "functions.metadata")),
            Path.Combine(testFolder, "functions.metadata"),
        };
        foreach (var path in candidates.Where(File.Exists))
        {
            var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.EnumerateArray().Any(f => f.GetProperty("scriptFile").GetString() == "DiffusionFunctions.Worker.dll"))
            {
                return document;
            }

            document.Dispose();
        }

        Assert.Fail($"No functions.metadata of the Worker was found (looked at {string.Join(", ", candidates)}).");
        return null!;
    }
}
