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

    [Fact]
    public void Parameter_file_reads_the_model_list_from_the_azd_environment()
    {
        var parameters = BicepCli.BuildParams(RepositoryPaths.File("bicep", "main.bicepparam"), new Dictionary<string, string>
        {
            ["DFX_MODELS"] = """[{"name":"sd15","folder":"sd15","defaultWidth":512,"defaultHeight":512,"defaultSteps":25,"defaultGuidanceScale":"7.5","defaultScheduler":"pndm"}]""",
            ["DFX_DEFAULT_MODEL"] = "sd15",
        })["parameters"]!;
        var empty = BicepCli.BuildParams(RepositoryPaths.File("bicep", "main.bicepparam"))["parameters"]!;

        Assert.Equal("sd15", (string?)parameters["models"]!["value"]![0]!["name"]);
        Assert.Equal("7.5", (string?)parameters["models"]!["value"]![0]!["defaultGuidanceScale"]);
        Assert.Equal("sd15", (string?)parameters["defaultModel"]!["value"]);
        Assert.Empty(empty["models"]!["value"]!.AsArray());
    }

    [Fact]
    public void After_deploy_every_other_models_worker_app_gets_the_deployed_image()
    {
        Assert.Matches(@"postdeploy:\s*\n\s+shell: sh\s*\n\s+run: infra/scripts/update-model-workers.sh", _azureYaml);
        Assert.NotNull(compiled.Main.Json["outputs"]!["WORKER_NAMES"]);
        Assert.NotNull(compiled.Main.Json["outputs"]!["AZURE_RESOURCE_GROUP"]);

        // The script against a recording stand-in for the Azure CLI on PATH.
        var bin = Directory.CreateTempSubdirectory("dfx-fake-az-");
        try
        {
            var log = Path.Combine(bin.FullName, "calls.txt");
            var az = Path.Combine(bin.FullName, "az");
            File.WriteAllText(az, $"#!/bin/sh\necho \"$*\" >> '{log}'\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var start = new System.Diagnostics.ProcessStartInfo("sh", [RepositoryPaths.File("infra", "scripts", "update-model-workers.sh")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["PATH"] = bin.FullName + ":" + Environment.GetEnvironmentVariable("PATH");
            start.Environment["SERVICE_WORKER_IMAGE_NAME"] = "crx.azurecr.io/worker:azd-deploy-1";
            start.Environment["WORKER_NAME"] = "ca-sd15-x";
            start.Environment["WORKER_NAMES"] = "ca-sdxl-x ca-sd15-x ca-lcm-x";
            start.Environment["AZURE_RESOURCE_GROUP"] = "rg-dfx";
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));

            Assert.True(process.ExitCode == 0, output);
            Assert.Equal(
                [
                    "containerapp update --name ca-sdxl-x --resource-group rg-dfx --image crx.azurecr.io/worker:azd-deploy-1 --output none",
                    "containerapp update --name ca-lcm-x --resource-group rg-dfx --image crx.azurecr.io/worker:azd-deploy-1 --output none",
                ],
                File.ReadAllLines(log));
        }
        finally
        {
            bin.Delete(recursive: true);
        }
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
