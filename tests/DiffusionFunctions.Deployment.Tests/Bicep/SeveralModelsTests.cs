using System.Text.Json.Nodes;

namespace DiffusionFunctions.Deployment.Tests.Bicep;

/// <summary>
/// main.bicep deployed with two models (its models parameter), evaluated by <c>bicep snapshot</c> (loops and modules
/// expanded, nothing contacted): one worker app and one queue per model, each app scaling on its own queue, the queue
/// roles granted on each model's queue and poison queue only, and the API carrying the model list.
/// </summary>
public sealed class SeveralModelsTests
{
    private const string Parameters = """
        param environmentName = 'dfx'
        param location = 'swedencentral'
        param defaultModel = 'sd15'
        param models = [
          {
            name: 'sdxl-turbo'
            folder: 'sdxl-turbo'
            maxReplicas: 3
            family: 'sdxl-turbo'
            modes: 'txt2img,img2img'
            maxSteps: 4
            defaultWidth: 512
            defaultHeight: 512
            defaultSteps: 1
            defaultGuidanceScale: '0'
            defaultScheduler: 'euler-ancestral'
          }
          {
            name: 'sd15'
            folder: 'sd15'
            defaultWidth: 512
            defaultHeight: 512
            defaultSteps: 25
            defaultGuidanceScale: '7.5'
            defaultScheduler: 'pndm'
          }
        ]
        """;

    private const string QueueSender = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a";
    private const string QueueReader = "19e7f393-937e-4f77-808e-94535e297925";
    private const string QueueProcessor = "8a0f0c08-91a1-4084-bc3d-661d67233fed";

    private static readonly Lazy<JsonObject> Snapshot = new(() => BicepCli.Snapshot(Parameters));

    private static IReadOnlyList<JsonObject> Resources => [.. Snapshot.Value["predictedResources"]!.AsArray().Select(r => r!.AsObject())];

    private static IEnumerable<JsonObject> OfType(string type) => Resources.Where(r => (string?)r["type"] == type);

    private static JsonObject App(string model) => OfType("Microsoft.App/containerApps").Single(a => ((string)a["name"]!).StartsWith($"ca-{model}-", StringComparison.Ordinal));

    private static Dictionary<string, string?> Env(JsonObject app)
        => app["properties"]!["template"]!["containers"]!.AsArray().Single()!["env"]!.AsArray()
            .ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);

    [Fact]
    public void Two_models_deploy_two_worker_apps_in_one_gpu_environment()
    {
        var apps = OfType("Microsoft.App/containerApps").ToList();

        Assert.Equal(2, apps.Count);
        var environment = Assert.Single(OfType("Microsoft.App/managedEnvironments"));
        Assert.All(apps, a => Assert.Equal((string)environment["id"]!, (string?)a["properties"]!["environmentId"]));
        Assert.All(apps, a => Assert.Equal("gpu", (string?)a["properties"]!["workloadProfileName"]));
        Assert.Equal(("sdxl-turbo", "generation-requests-sdxl-turbo"), (Env(App("sdxl-turbo"))["DiffusionFunctions__Worker__ModelName"], Env(App("sdxl-turbo"))["DiffusionFunctions__Storage__GenerationQueue"]));
        Assert.Equal(("sd15", "generation-requests-sd15"), (Env(App("sd15"))["DiffusionFunctions__Worker__ModelName"], Env(App("sd15"))["DiffusionFunctions__Storage__GenerationQueue"]));
        // Each fetches its own folder from the models container.
        Assert.Contains("'models', 'sdxl-turbo'", ArmTemplate.Text(App("sdxl-turbo")["properties"]!["template"]!["initContainers"]), StringComparison.Ordinal);
        Assert.Contains("'models', 'sd15'", ArmTemplate.Text(App("sd15")["properties"]!["template"]!["initContainers"]), StringComparison.Ordinal);
        // azd deploys to the default model's app only; the output lists every app for the post-deploy script.
        Assert.Contains("azd-service-name", App("sd15")["tags"]!.AsObject().Select(t => t.Key));
        Assert.DoesNotContain("azd-service-name", App("sdxl-turbo")["tags"]!.AsObject().Select(t => t.Key));
        var outputs = Snapshot.Value["outputs"]!;
        Assert.Equal((string)App("sd15")["name"]!, (string?)outputs["WORKER_NAME"]);
        Assert.Equal([(string)App("sdxl-turbo")["name"]!, (string)App("sd15")["name"]!], ((string)outputs["WORKER_NAMES"]!).Split(' '));
    }

    [Fact]
    public void Each_model_has_its_own_queue_and_poison_queue_and_no_shared_generation_queue()
    {
        var queues = OfType("Microsoft.Storage/storageAccounts/queueServices/queues").Select(q => ((string)q["name"]!).Split('/')[^1]).Order(StringComparer.Ordinal);

        Assert.Equal(
            ["batch-requests-events", "batch-requests-events-poison", "generation-events", "generation-requests-sd15",
             "generation-requests-sd15-poison", "generation-requests-sdxl-turbo", "generation-requests-sdxl-turbo-poison", "logo-requests-events",
             "logo-requests-events-poison"],
            queues);
    }

    [Theory]
    [InlineData("sdxl-turbo", 3)]
    [InlineData("sd15", 1)]
    public void Each_worker_scales_from_zero_on_its_own_models_queue_only(string model, int maxReplicas)
    {
        var scale = App(model)["properties"]!["template"]!["scale"]!;

        Assert.Equal(0, (int)scale["minReplicas"]!);
        Assert.Equal(maxReplicas, (int)scale["maxReplicas"]!);
        var rules = scale["rules"]!.AsArray();
        var rule = rules[0]!["custom"]!;
        Assert.Equal("azure-queue", (string?)rule["type"]);
        Assert.Equal($"generation-requests-{model}", (string?)rule["metadata"]!["queueName"]);
        Assert.EndsWith("/userAssignedIdentities/id-worker-x7qdunegj6kvk", (string)rule["identity"]!, StringComparison.Ordinal);
        // Batch and logo uploads wake the default model's app (sd15) only; the other app's upload triggers are disabled.
        var takesUploads = model == "sd15";
        Assert.Equal(takesUploads ? ["generation-queue", "batch-requests-queue", "logo-requests-queue"] : ["generation-queue"], rules.Select(r => (string)r!["name"]!));
        if (takesUploads)
        {
            Assert.Equal("batch-requests-events", (string?)rules[1]!["custom"]!["metadata"]!["queueName"]);
            Assert.Equal("logo-requests-events", (string?)rules[2]!["custom"]!["metadata"]!["queueName"]);
        }

        var disabled = takesUploads ? null : "true";
        Assert.Equal(disabled, Env(App(model)).GetValueOrDefault("AzureWebJobs.StartBatchFromUpload.Disabled"));
        Assert.Equal(disabled, Env(App(model)).GetValueOrDefault("AzureWebJobs.ProcessLogoUpload.Disabled"));
        Assert.Equal(disabled, Env(App(model)).GetValueOrDefault("AzureWebJobs.AnswerPoisonedLogoUpload.Disabled"));
    }

    [Fact]
    public void Queue_roles_sit_on_each_models_queue_and_poison_queue_never_on_the_account()
    {
        var queueRoles = OfType("Microsoft.Authorization/roleAssignments")
            .Where(r => ((string)r["id"]!).Contains("/queueServices/", StringComparison.Ordinal))
            .Select(r => $"{Scope(r)} {Principal(r)} {((string)r["properties"]!["roleDefinitionId"]!)[^36..]}")
            .Order(StringComparer.Ordinal)
            .ToArray();

        string[] expected = [.. new[] { "sd15", "sdxl-turbo" }.SelectMany(model => new[]
        {
            $"queues/generation-requests-{model} api {QueueSender}",
            $"queues/generation-requests-{model} api {QueueReader}",
            $"queues/generation-requests-{model} worker {QueueReader}",
            $"queues/generation-requests-{model} worker {QueueProcessor}",
            // Batch fan-in: the worker that finishes an item releases the next items, whatever their models.
            $"queues/generation-requests-{model} worker {QueueSender}",
            $"queues/generation-requests-{model}-poison worker {QueueSender}",
            $"queues/generation-requests-{model}-poison worker {QueueReader}",
            $"queues/generation-requests-{model}-poison worker {QueueProcessor}",
        }).Concat([
            "queues/generation-events events " + QueueSender,
            "queues/logo-requests-events events " + QueueSender,
            "queues/batch-requests-events events " + QueueSender,
            "queues/batch-requests-events worker " + QueueReader,
            "queues/batch-requests-events worker " + QueueProcessor,
            "queues/batch-requests-events-poison worker " + QueueSender,
            "queues/logo-requests-events worker " + QueueReader,
            "queues/logo-requests-events worker " + QueueProcessor,
            "queues/logo-requests-events-poison worker " + QueueSender,
            "queues/logo-requests-events-poison worker " + QueueReader,
            "queues/logo-requests-events-poison worker " + QueueProcessor,
        ]).Order(StringComparer.Ordinal)];
        Assert.Equal(expected, queueRoles);
        // No queue role anywhere above a single queue.
        Assert.DoesNotContain(OfType("Microsoft.Authorization/roleAssignments"),
            r => Scope(r) is "account" && ((string)r["properties"]!["roleDefinitionId"]!).EndsWith(QueueProcessor, StringComparison.Ordinal));
    }

    [Fact]
    public void The_api_carries_the_model_list_with_each_models_queue_and_rules()
    {
        var settings = OfType("Microsoft.Web/sites/config").Single()["properties"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value);

        Assert.Equal("sd15", settings["DiffusionFunctions__DefaultModel"]);
        Assert.Equal("generation-requests-sd15", settings["DiffusionFunctions__Models__sd15__Queue"]);
        Assert.Equal("generation-requests-sdxl-turbo", settings["DiffusionFunctions__Models__sdxl-turbo__Queue"]);
        Assert.Equal("txt2img,img2img", settings["DiffusionFunctions__Models__sdxl-turbo__Modes"]);
        Assert.Equal("4", settings["DiffusionFunctions__Models__sdxl-turbo__MaxSteps"]);
        Assert.Equal("0", settings["DiffusionFunctions__Models__sdxl-turbo__DefaultGuidanceScale"]);
        Assert.Equal("7.5", settings["DiffusionFunctions__Models__sd15__DefaultGuidanceScale"]);
        Assert.False(settings.ContainsKey("DiffusionFunctions__Models__sd15__MaxSteps")); // unset: the deployment's
    }

    [Fact]
    public void Without_models_one_worker_serves_the_shared_generation_queue_as_before()
    {
        var single = BicepCli.Snapshot("param environmentName = 'dfx'\nparam location = 'swedencentral'");
        var resources = single["predictedResources"]!.AsArray().Select(r => r!.AsObject()).ToList();

        var app = Assert.Single(resources, r => (string?)r["type"] == "Microsoft.App/containerApps");
        Assert.Equal("ca-worker-x7qdunegj6kvk", (string?)app["name"]);
        Assert.Equal("generation-requests", (string?)app["properties"]!["template"]!["scale"]!["rules"]![0]!["custom"]!["metadata"]!["queueName"]);
        Assert.DoesNotContain("DiffusionFunctions__Worker__ModelName", Env(app).Keys);
        var settings = resources.Single(r => (string?)r["type"] == "Microsoft.Web/sites/config")["properties"]!.AsObject();
        Assert.DoesNotContain(settings, p => p.Key.StartsWith("DiffusionFunctions__Models__", StringComparison.Ordinal) || p.Key == "DiffusionFunctions__DefaultModel");
        Assert.Contains(resources, r => ((string)r["name"]!).EndsWith("/generation-requests-poison", StringComparison.Ordinal));
    }

    private static string Scope(JsonObject assignment)
    {
        var id = (string)assignment["id"]!;
        var scope = id[..id.IndexOf("/providers/Microsoft.Authorization/", StringComparison.Ordinal)];
        var queue = scope.IndexOf("/queueServices/default/", StringComparison.Ordinal);
        return queue >= 0 ? scope[(queue + "/queueServices/default/".Length)..] : scope.EndsWith("/storageAccounts/stx7qdunegj6kvk", StringComparison.Ordinal) ? "account" : scope;
    }

    private static string Principal(JsonObject assignment)
    {
        var principal = (string)assignment["properties"]!["principalId"]!;
        return principal.Contains("/id-api-", StringComparison.Ordinal) ? "api"
            : principal.Contains("/id-worker-", StringComparison.Ordinal) ? "worker"
            : principal.Contains("/id-events-", StringComparison.Ordinal) ? "events" : principal;
    }
}
