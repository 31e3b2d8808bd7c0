using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DiffusionFunctions.Deployment.Tests.Bicep;

/// <summary>The worker as Azure Functions on Container Apps on a serverless GPU profile, scaling from zero.</summary>
[Collection(CompiledBicepCollection.Name)]
public sealed partial class WorkerTemplateTests(CompiledBicep compiled)
{
    private ArmTemplate Worker => compiled.Main.Module("workerApps");

    private JsonObject App => Worker.OfType("Microsoft.App/containerApps").Single();

    [Fact]
    public void Worker_is_a_container_apps_function_app_not_a_web_site()
    {
        Assert.Equal("functionapp", (string?)App["kind"]);
        Assert.DoesNotContain(compiled.Main.Descendants().SelectMany(t => t.OfType("Microsoft.Web/sites")),
            s => ((string?)s["kind"] ?? string.Empty).Contains("container", StringComparison.Ordinal));
        Assert.Equal("worker", TagValue((string)App["tags"]!, "azd-service-name"));
    }

    [Fact]
    public void Worker_runs_on_a_serverless_gpu_profile_with_the_profiles_whole_machine()
    {
        Assert.Equal("gpu", (string?)App["properties"]!["workloadProfileName"]);
        var environmentModule = compiled.Main.Module("worker-environment");
        var environment = environmentModule.OfType("Microsoft.App/managedEnvironments").Single();
        var gpuProfile = environment["properties"]!["workloadProfiles"]!.AsArray().Single(p => (string?)p!["name"] == "gpu")!;
        Assert.Equal("[variables('profile').type]", (string?)gpuProfile["workloadProfileType"]);
        Assert.Equal("[parameters('environmentId')]", (string?)App["properties"]!["environmentId"]);

        var profiles = environmentModule.Variable("profiles")!;
        Assert.Equal("Consumption-GPU-NC8as-T4", (string?)profiles["T4"]!["type"]);
        Assert.Equal(("8", "56Gi"), ((string)profiles["T4"]!["cpu"]!, (string)profiles["T4"]!["memory"]!));
        Assert.Equal("Consumption-GPU-NC24-A100", (string?)profiles["A100"]!["type"]);
        Assert.Equal(("24", "220Gi"), ((string)profiles["A100"]!["cpu"]!, (string)profiles["A100"]!["memory"]!));

        var container = App["properties"]!["template"]!["containers"]!.AsArray().Single()!;
        Assert.Equal("[json(parameters('cpu'))]", (string?)container["resources"]!["cpu"]);
        Assert.Equal("[parameters('memory')]", (string?)container["resources"]!["memory"]);
        var workerParameters = compiled.Main.ModuleDeployment("workerApps")["properties"]!["parameters"]!;
        Assert.Contains("worker-environment'), '2025-04-01').outputs.cpu.value", (string)workerParameters["cpu"]!["value"]!, StringComparison.Ordinal);
        Assert.Contains("worker-environment'), '2025-04-01').outputs.memory.value", (string)workerParameters["memory"]!["value"]!, StringComparison.Ordinal);

        var gpuParameter = compiled.Main.Json["parameters"]!["workerGpu"]!;
        Assert.Equal(["T4", "A100"], gpuParameter["allowedValues"]!.AsArray().Select(v => (string)v!));
    }

    [Fact]
    public void Worker_scales_from_zero_on_the_generation_queue_up_to_the_quota_parameter()
    {
        var scale = App["properties"]!["template"]!["scale"]!;
        Assert.Equal(0, (int)scale["minReplicas"]!);
        Assert.Equal("[parameters('maxReplicas')]", (string?)scale["maxReplicas"]);
        Assert.Equal(1, (int)compiled.Main.Json["parameters"]!["workerMaxReplicas"]!["defaultValue"]!);

        Assert.Equal("[concat(createArray(variables('generationRule')), if(variables('startsBatches'), createArray(variables('batchRule')), createArray()), if(variables('startsLogos'), createArray(variables('logoRule')), createArray()))]",
            (string?)scale["rules"]);
        Assert.Equal("[not(empty(parameters('batchEventsQueue')))]", (string?)Worker.Variable("startsBatches"));
        Assert.Equal("[not(empty(parameters('logoEventsQueue')))]", (string?)Worker.Variable("startsLogos"));
        var batchRule = Worker.Variable("batchRule")!;
        Assert.Equal("batch-requests-queue", (string?)batchRule["name"]);
        Assert.Equal("[parameters('batchEventsQueue')]", (string?)batchRule["custom"]!["metadata"]!["queueName"]);
        Assert.Equal("[parameters('identityId')]", (string?)batchRule["custom"]!["identity"]);
        var logoRule = Worker.Variable("logoRule")!;
        Assert.Equal("logo-requests-queue", (string?)logoRule["name"]);
        Assert.Equal("[parameters('logoEventsQueue')]", (string?)logoRule["custom"]!["metadata"]!["queueName"]);
        Assert.Equal("[parameters('identityId')]", (string?)logoRule["custom"]!["identity"]);
        var generationRule = Worker.Variable("generationRule")!;
        Assert.Equal("generation-queue", (string?)generationRule["name"]);
        var rule = generationRule["custom"]!;
        Assert.Equal("azure-queue", (string?)rule["type"]);
        Assert.Equal("[parameters('generationQueue')]", (string?)rule["metadata"]!["queueName"]);
        Assert.Equal("1", (string?)rule["metadata"]!["queueLength"]);
        // Identity-based: no connection string secret in the rule.
        Assert.Equal("[parameters('identityId')]", (string?)rule["identity"]);
        Assert.Null(rule["auth"]);

        var moduleParameters = compiled.Main.ModuleDeployment("workerApps")["properties"]!["parameters"]!;
        Assert.Equal("[variables('workers')[copyIndex()].queue]", (string?)moduleParameters["generationQueue"]!["value"]);
        Assert.Contains("queues').generation", ArmTemplate.Text(compiled.Main.Variable("workers")), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_default_models_worker_starts_batches_from_uploads_the_others_disable_that_trigger()
    {
        // One app takes the upload events (the default model's, or the single worker); the batch's items then go to
        // their models' queues, and every worker may release any model's next item (RoleAssignmentTests).
        var moduleParameters = compiled.Main.ModuleDeployment("workerApps")["properties"]!["parameters"]!;
        Assert.Equal(
            "[if(or(empty(variables('workers')[copyIndex()].name), equals(variables('workers')[copyIndex()].name, variables('defaultModelName'))), "
            + "createObject('value', variables('queues').batchEvents), createObject('value', ''))]",
            (string?)moduleParameters["batchEventsQueue"]);
        Assert.Equal(
            "[if(or(empty(variables('workers')[copyIndex()].name), equals(variables('workers')[copyIndex()].name, variables('defaultModelName'))), "
            + "createObject('value', variables('queues').logoEvents), createObject('value', ''))]",
            (string?)moduleParameters["logoEventsQueue"]);

        var settings = (string)Worker.Variable("settings")!;
        Assert.Contains("'AzureWebJobs.StartBatchFromUpload.Disabled', 'true'", settings, StringComparison.Ordinal);
        Assert.Contains("variables('startsBatches')", settings, StringComparison.Ordinal);
        var logoTriggersOff = Worker.Variable("logoTriggersOff")!;
        Assert.Equal("true", (string?)logoTriggersOff["AzureWebJobs.ProcessLogoUpload.Disabled"]);
        Assert.Equal("true", (string?)logoTriggersOff["AzureWebJobs.AnswerPoisonedLogoUpload.Disabled"]);
        Assert.Contains("variables('startsLogos')", settings, StringComparison.Ordinal);
        // The setting names the function the worker declares.
        Assert.Contains("[Function(nameof(StartBatchFromUpload))]",
            RepositoryPaths.ReadText("src", "DiffusionFunctions.Worker", "Functions", "StartBatchFromUploadFunction.cs"), StringComparison.Ordinal);
        var workerSources = string.Join("\n", Directory.GetFiles(RepositoryPaths.File("src", "DiffusionFunctions.Worker"), "*.cs", SearchOption.AllDirectories).Select(System.IO.File.ReadAllText));
        Assert.Contains("[Function(nameof(ProcessLogoUpload))]", workerSources, StringComparison.Ordinal);
        Assert.Contains("[Function(nameof(AnswerPoisonedLogoUpload))]", workerSources, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingress_is_internal_and_targets_the_port_the_image_listens_on()
    {
        var ingress = App["properties"]!["configuration"]!["ingress"]!;
        Assert.False((bool)ingress["external"]!);
        Assert.False((bool)ingress["allowInsecure"]!);
        Assert.Equal("[variables('port')]", (string?)ingress["targetPort"]);

        var dockerfile = Image.Dockerfile.Load();
        var urls = dockerfile.FinalStage.Env("ASPNETCORE_URLS");
        Assert.Equal($"http://+:{(int)Worker.Variable("port")!}", urls);
    }

    [Fact]
    public void Worker_refuses_to_run_without_the_gpu()
    {
        var settings = (string)Worker.Variable("settings")!;

        Assert.Contains("'DiffusionFunctions__Engine__RequireGpu', 'true'", settings, StringComparison.Ordinal);
        Assert.Contains("'DiffusionFunctions__Engine__Provider', 'Cuda'", settings, StringComparison.Ordinal);
        Assert.Contains("items(variables('settings'))", (string)Worker.Variable("env")!, StringComparison.Ordinal);
    }

    [Fact]
    public void Worker_pulls_its_image_from_the_registry_with_its_identity()
    {
        var registry = App["properties"]!["configuration"]!["registries"]!.AsArray().Single()!;

        Assert.Equal("[parameters('identityId')]", (string?)registry["identity"]);
        Assert.Null(registry["passwordSecretRef"]);
        Assert.Equal("[parameters('registryLoginServer')]", (string?)registry["server"]);
        var registryResource = compiled.Main.Module("registry").OfType("Microsoft.ContainerRegistry/registries").Single();
        Assert.False((bool)registryResource["properties"]!["adminUserEnabled"]!);
        Assert.False((bool)registryResource["properties"]!["anonymousPullEnabled"]!);
        Assert.Equal(["Basic", "Standard", "Premium"], compiled.Main.Json["parameters"]!["registrySku"]!["allowedValues"]!.AsArray().Select(v => (string)v!));
    }

    [Fact]
    public void The_image_is_never_a_latest_tag()
    {
        var placeholder = (string)compiled.Main.Variable("placeholderImage")!;
        Assert.DoesNotContain(":latest", placeholder, StringComparison.Ordinal);
        Assert.DoesNotContain(":latest", compiled.MainText, StringComparison.Ordinal);
        Assert.Contains("SERVICE_WORKER_IMAGE_NAME", RepositoryPaths.ReadText("bicep", "main.bicepparam"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_blob_model_is_fetched_and_verified_before_the_worker_starts()
    {
        var init = (string)App["properties"]!["template"]!["initContainers"]!;

        Assert.Contains("'/opt/dfx/fetch-model.sh'", init, StringComparison.Ordinal);
        Assert.Contains("'MODEL_SOURCE_URL', 'value', parameters('modelSourceUrl')", init, StringComparison.Ordinal);
        Assert.Contains("'MODEL_DIR', 'value', variables('modelDir')", init, StringComparison.Ordinal);
        Assert.Contains("'DiffusionFunctions__Worker__ModelPath', if(variables('fetchModel'), variables('modelDir'), 'models/tiny-shapes')",
            (string)Worker.Variable("settings")!, StringComparison.Ordinal);
        Assert.Contains("COPY infra/worker/fetch-model.sh /opt/dfx/fetch-model.sh", RepositoryPaths.ReadText("infra", "worker", "Dockerfile"), StringComparison.Ordinal);
    }

    [Fact]
    public void Apps_start_only_after_their_role_assignments()
    {
        foreach (var module in new[] { "api", "workerApps", "event-subscriptions" })
        {
            var dependsOn = compiled.Main.ModuleDeployment(module)["dependsOn"]!.AsArray().Select(d => (string)d!);
            Assert.Contains("[resourceId('Microsoft.Resources/deployments', 'rbac')]", dependsOn);
        }
    }

    private static string? TagValue(string tagsExpression, string key)
    {
        var match = Regex.Match(tagsExpression, $"'{Regex.Escape(key)}', '([^']*)'");
        return match.Success ? match.Groups[1].Value : null;
    }
}
