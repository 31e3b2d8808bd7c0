using System.Text.Json.Nodes;

namespace DiffusionFunctions.Deployment.Tests.Bicep;

/// <summary>No key and no connection string anywhere; the webhook secret only as a Key Vault reference.</summary>
[Collection(CompiledBicepCollection.Name)]
public sealed class SecretsTests(CompiledBicep compiled)
{
    public static TheoryData<string> ForbiddenText() =>
    [
        "listKeys",              // storage, Log Analytics or Event Grid keys read into the deployment
        "listCredentials",       // registry admin credentials
        "primarySharedKey",
        "AccountKey=",
        "SharedAccessSignature=",
        "DefaultEndpointsProtocol=",
        "UseDevelopmentStorage",
        "passwordSecretRef",
        "'TopicKey'",
        "DiffusionFunctions__Events__TopicKey",
    ];

    [Theory]
    [MemberData(nameof(ForbiddenText))]
    public void Compiled_template_holds_no_key_or_connection_string(string forbidden)
        => Assert.DoesNotContain(forbidden, compiled.MainText, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Key_based_access_is_switched_off_where_it_exists()
    {
        var storage = compiled.Main.Module("storage").OfType("Microsoft.Storage/storageAccounts").Single()["properties"]!;
        Assert.False((bool)storage["allowSharedKeyAccess"]!);
        Assert.False((bool)storage["allowBlobPublicAccess"]!);

        var events = compiled.Main.Module("events");
        Assert.True((bool)events.OfType("Microsoft.EventGrid/topics").Single()["properties"]!["disableLocalAuth"]!);

        var insights = compiled.Main.Module("monitoring").OfType("Microsoft.Insights/components").Single()["properties"]!;
        Assert.True((bool)insights["DisableLocalAuth"]!);

        var vault = compiled.Main.Module("keyvault").OfType("Microsoft.KeyVault/vaults").Single()["properties"]!;
        Assert.True((bool)vault["enableRbacAuthorization"]!);

        // Container Apps logs leave through a diagnostic setting, not with the workspace's shared key.
        var environment = compiled.Main.Module("worker-environment").OfType("Microsoft.App/managedEnvironments").Single()["properties"]!;
        Assert.Equal("azure-monitor", (string?)environment["appLogsConfiguration"]!["destination"]);
    }

    [Fact]
    public void Both_apps_reach_storage_with_their_own_managed_identity()
    {
        foreach (var (module, settingsOwner) in new[] { ("api", "settings"), ("workerApps", "settings") })
        {
            var settings = (string)compiled.Main.Module(module).Variable(settingsOwner)!;
            Assert.Contains("'AzureWebJobsStorage__credential', 'managedidentity'", settings, StringComparison.Ordinal);
            Assert.Contains("'AzureWebJobsStorage__clientId', parameters('identityClientId')", settings, StringComparison.Ordinal);
            Assert.Contains("Authorization=AAD", settings, StringComparison.Ordinal);
            Assert.DoesNotContain("'AzureWebJobsStorage',", settings, StringComparison.Ordinal);
        }

        var apiIdentity = (string)compiled.Main.ModuleDeployment("api")["properties"]!["parameters"]!["identityId"]!["value"]!;
        var workerIdentity = (string)compiled.Main.ModuleDeployment("workerApps")["properties"]!["parameters"]!["identityId"]!["value"]!;
        Assert.Contains(".apiIdentity)", apiIdentity, StringComparison.Ordinal);
        Assert.Contains(".workerIdentity)", workerIdentity, StringComparison.Ordinal);
    }

    [Fact]
    public void Webhook_secret_reaches_the_worker_only_as_a_key_vault_reference_with_its_identity()
    {
        var worker = compiled.Main.Module("workerApps");
        var app = worker.OfType("Microsoft.App/containerApps").Single();
        var secrets = (string)app["properties"]!["configuration"]!["secrets"]!;
        Assert.Equal("[if(variables('webhooks'), createArray(createObject('name', 'webhook-secret', 'keyVaultUrl', parameters('webhookSecretUri'), 'identity', parameters('identityId'))), createArray())]", secrets);

        var env = (string)worker.Variable("env")!;
        Assert.Contains("createObject('name', 'DiffusionFunctions__Events__WebhookSecret', 'secretRef', 'webhook-secret')", env, StringComparison.Ordinal);
        Assert.DoesNotContain("webhookSecret", (string)worker.Variable("settings")!, StringComparison.OrdinalIgnoreCase);

        // Passed only when a secret is deployed: if(hasWebhookSecret, keyvault module's secretUri output, '').
        var secretUri = ArmTemplate.Text(compiled.Main.ModuleDeployment("workerApps")["properties"]!["parameters"]!["webhookSecretUri"]);
        Assert.Contains("if(variables('hasWebhookSecret')", secretUri, StringComparison.Ordinal);
        Assert.Contains("'keyvault'", secretUri, StringComparison.Ordinal);
        Assert.Contains("outputs.secretUri.value", secretUri, StringComparison.Ordinal);

        var vaultSecret = compiled.Main.Module("keyvault").OfType("Microsoft.KeyVault/vaults/secrets").Single();
        Assert.Equal("[not(empty(parameters('webhookSecret')))]", (string?)vaultSecret["condition"]);
        Assert.Equal("securestring", (string?)compiled.Main.Json["parameters"]!["webhookSecret"]!["type"]);
    }

    [Fact]
    public void The_api_accepts_callbacks_only_when_a_webhook_secret_is_deployed()
    {
        var settings = (string)compiled.Main.Module("api").Variable("settings")!;
        Assert.Contains("'DiffusionFunctions__Generation__CallbacksEnabled', string(parameters('callbacksEnabled'))", settings, StringComparison.Ordinal);

        var value = (string)compiled.Main.ModuleDeployment("api")["properties"]!["parameters"]!["callbacksEnabled"]!["value"]!;
        Assert.Equal("[variables('hasWebhookSecret')]", value);
        Assert.Equal("[not(empty(parameters('webhookSecret')))]", (string?)compiled.Main.Variable("hasWebhookSecret"));
    }

    [Fact]
    public void No_output_carries_a_secret()
    {
        foreach (var template in compiled.Main.Descendants())
        {
            foreach (var output in template.Json["outputs"]?.AsObject() ?? new JsonObject())
            {
                Assert.DoesNotContain("secure", (string)output.Value!["type"]!, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("webhookSecret')", ArmTemplate.Text(output.Value!["value"]), StringComparison.Ordinal);
            }
        }
    }
}
