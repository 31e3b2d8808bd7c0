using System.Text.RegularExpressions;

namespace DiffusionFunctions.Deployment.Tests.Bicep;

/// <summary>azure.yaml and main.bicepparam agree with the templates and the repository, so `azd up` finds what it needs.</summary>
[Collection(CompiledBicepCollection.Name)]
public sealed partial class AzdTests(CompiledBicep compiled)
{
    private readonly string _azureYaml = RepositoryPaths.ReadText("azure.yaml");

    [Fact]
    public void Services_point_at_existing_projects_and_the_worker_dockerfile()
    {
        var projects = ServiceProject().Matches(_azureYaml).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(["api", "worker"], projects.Keys.Order());
        Assert.All(projects.Values, p => Assert.True(Directory.Exists(RepositoryPaths.File(p)), p));

        var workerProject = RepositoryPaths.File(projects["worker"]);
        var dockerfile = Path.GetFullPath(Path.Combine(workerProject, YamlValue("path")));
        var context = Path.GetFullPath(Path.Combine(workerProject, YamlValue("context")));
        Assert.Equal(RepositoryPaths.File("infra", "worker", "Dockerfile"), dockerfile);
        Assert.Equal(Path.GetFullPath(RepositoryPaths.Root).TrimEnd('/'), context.TrimEnd('/'));
        Assert.Equal("true", YamlValue("remoteBuild"));
        Assert.Contains("host: function", _azureYaml, StringComparison.Ordinal);
        Assert.Contains("host: containerapp", _azureYaml, StringComparison.Ordinal);
        Assert.Equal("bicep", YamlValue("path", after: "infra:"));
    }

    [Fact]
    public void Templates_tag_each_app_with_its_azd_service_name_and_output_the_registry()
    {
        var api = compiled.Main.Module("api").OfType("Microsoft.Web/sites").Single();
        var worker = compiled.Main.Module("workerApps").OfType("Microsoft.App/containerApps").Single();

        Assert.Contains("'azd-service-name', 'api'", (string)api["tags"]!, StringComparison.Ordinal);
        Assert.Contains("'azd-service-name', 'worker'", (string)worker["tags"]!, StringComparison.Ordinal);
        Assert.NotNull(compiled.Main.Json["outputs"]!["AZURE_CONTAINER_REGISTRY_ENDPOINT"]);
    }

    [Fact]
    public void Parameter_file_reads_the_azd_environment()
    {
        var parameters = BicepCli.BuildParams(RepositoryPaths.File("bicep", "main.bicepparam"), new Dictionary<string, string>
        {
            ["AZURE_ENV_NAME"] = "dfx-test",
            ["AZURE_LOCATION"] = "westus3",
            ["DFX_WORKER_GPU"] = "A100",
            ["DFX_WORKER_MAX_REPLICAS"] = "3",
            ["SERVICE_WORKER_IMAGE_NAME"] = "crexample.azurecr.io/diffusionfunctions/worker-dfx-test:azd-deploy-1765000000",
            ["DFX_MODEL_FOLDER"] = "sd15",
            ["AZURE_PRINCIPAL_TYPE"] = "ServicePrincipal",
        })["parameters"]!;

        Assert.Equal("dfx-test", (string?)parameters["environmentName"]!["value"]);
        Assert.Equal("westus3", (string?)parameters["location"]!["value"]);
        Assert.Equal("A100", (string?)parameters["workerGpu"]!["value"]);
        Assert.Equal(3, (int)parameters["workerMaxReplicas"]!["value"]!);
        Assert.EndsWith(":azd-deploy-1765000000", (string)parameters["workerImage"]!["value"]!, StringComparison.Ordinal);
        Assert.Equal("sd15", (string?)parameters["modelFolder"]!["value"]);
        Assert.Equal("ServicePrincipal", (string?)parameters["deployerPrincipalType"]!["value"]);
        Assert.Equal(string.Empty, (string?)parameters["webhookSecret"]!["value"]);
    }

    private string YamlValue(string key, string after = "docker:")
    {
        var start = _azureYaml.IndexOf(after, StringComparison.Ordinal);
        var match = new Regex($@"^\s+{Regex.Escape(key)}:\s*(\S+)\s*$", RegexOptions.Multiline).Match(_azureYaml, start);
        Assert.True(match.Success, $"azure.yaml has no {key} after {after}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"^  (\w+):\s*\n\s+project:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex ServiceProject();
}
