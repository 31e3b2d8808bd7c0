using System.Text.Json.Nodes;

namespace DiffusionFunctions.Deployment.Tests.Bicep;

/// <summary>Tags, lifecycle expiry of job data, and diagnostic settings to Log Analytics.</summary>
[Collection(CompiledBicepCollection.Name)]
public sealed class HousekeepingTests(CompiledBicep compiled)
{
    // Extension and child resources take no tags of their own.
    private static readonly string[] Untagged =
    [
        "Microsoft.Resources/deployments", "Microsoft.Authorization/roleAssignments", "Microsoft.Insights/diagnosticSettings",
        "Microsoft.Storage/storageAccounts/blobServices", "Microsoft.Storage/storageAccounts/blobServices/containers",
        "Microsoft.Storage/storageAccounts/queueServices", "Microsoft.Storage/storageAccounts/queueServices/queues",
        "Microsoft.Storage/storageAccounts/managementPolicies", "Microsoft.KeyVault/vaults/secrets", "Microsoft.Web/sites/config",
        "Microsoft.EventGrid/topics/eventSubscriptions", "Microsoft.EventGrid/systemTopics/eventSubscriptions",
    ];

    [Fact]
    public void Every_top_level_resource_is_tagged_with_the_azd_environment()
    {
        var tagged = 0;
        foreach (var template in compiled.Main.Descendants())
        {
            // An existing resource (a reference, in a template with symbolic names) is not deployed, so takes no tags.
            foreach (var resource in template.Resources.Where(r => !Untagged.Contains((string)r["type"]!, StringComparer.OrdinalIgnoreCase)
                         && r["existing"]?.GetValue<bool>() != true))
            {
                Assert.True(resource["tags"] is not null, $"{template.Path}: {resource["type"]} {resource["name"]} has no tags.");
                tagged++;
            }
        }

        Assert.True(tagged >= 12, $"Only {tagged} tagged resources found.");
        Assert.Equal("[parameters('environmentName')]", (string?)compiled.Main.Variable("tags")!["azd-env-name"]);
    }

    [Fact]
    public void Jobs_inputs_and_results_expire_after_the_retention_parameter()
    {
        var storage = compiled.Main.Module("storage");
        var policy = storage.OfType("Microsoft.Storage/storageAccounts/managementPolicies").Single();
        var rule = policy["properties"]!["policy"]!["rules"]!.AsArray().Single(r => (string?)r!["name"] == "expire-job-data")!;

        Assert.Equal("[parameters('retentionDays')]", (string?)rule["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]);
        // prefixMatch is a for-expression: "<container>/" for each expiring container.
        var prefixes = rule["definition"]!["filters"]!["copy"]!.AsArray().Single()!;
        Assert.Equal("prefixMatch", (string?)prefixes["name"]);
        Assert.Equal("[format('{0}/', parameters('expiringContainers')[copyIndex('prefixMatch')])]", (string?)prefixes["input"]);

        var passed = compiled.Main.ModuleDeployment("storage")["properties"]!["parameters"]!;
        var expiring = ArmTemplate.Text(passed["expiringContainers"]!["value"]);
        foreach (var container in new[] { "jobs", "inputs", "results" })
        {
            Assert.Contains($"variables('containers').{container}", expiring, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("models", expiring, StringComparison.Ordinal);
        Assert.Equal("[parameters('retentionDays')]", (string?)passed["retentionDays"]!["value"]);
    }

    [Fact]
    public void Diagnostics_of_every_service_go_to_log_analytics()
    {
        var scopes = compiled.Main.Descendants()
            .SelectMany(t => t.OfType("Microsoft.Insights/diagnosticSettings").Select(d => (t.Path, Setting: d)))
            .ToList();

        foreach (var (_, setting) in scopes)
        {
            Assert.Equal("[parameters('logAnalyticsId')]", (string?)setting["properties"]!["workspaceId"]);
        }

        var modules = scopes.Select(s => s.Path).ToList();
        Assert.Equal(2, modules.Count(p => p == "main/storage"));   // blob and queue services
        Assert.Equal(2, modules.Count(p => p == "main/events"));    // custom and system topic
        foreach (var module in new[] { "main/registry", "main/keyvault", "main/api", "main/worker-environment" })
        {
            Assert.Contains(module, modules);
        }
    }
}
