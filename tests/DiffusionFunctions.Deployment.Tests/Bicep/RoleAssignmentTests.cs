using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DiffusionFunctions.Deployment.Tests.Bicep;

/// <summary>
/// The deployment's role assignments, read from the compiled rbac module: exactly this list of (principal, role,
/// scope), so an identity that gains a role, or a role that widens to the account, fails here.
/// </summary>
[Collection(CompiledBicepCollection.Name)]
public sealed partial class RoleAssignmentTests(CompiledBicep compiled)
{
    private const string BlobOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string BlobContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string BlobReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
    private const string BlobDelegator = "db58b8e5-c6ad-4a2a-8342-4190687cbf4a";
    private const string QueueReader = "19e7f393-937e-4f77-808e-94535e297925";
    private const string QueueProcessor = "8a0f0c08-91a1-4084-bc3d-661d67233fed";
    private const string QueueSender = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a";
    private const string EventGridSender = "d5a91429-5739-47e2-a06b-3470a27159e7";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    private const string MetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    // (principal parameter, role, scope as "<resource type's last segment>:<naming parameter>")
    private static readonly (string Principal, string Role, string Scope)[] Expected =
    [
        ("apiPrincipalId", BlobOwner, "containers:hostsContainerName"),
        ("apiPrincipalId", BlobOwner, "containers:keysContainerName"),
        ("apiPrincipalId", BlobContributor, "containers:deploymentContainerName"),
        ("apiPrincipalId", BlobContributor, "containers:jobsContainerName"),
        ("apiPrincipalId", BlobContributor, "containers:inputsContainerName"),
        ("apiPrincipalId", BlobReader, "containers:resultsContainerName"),
        ("apiPrincipalId", BlobDelegator, "storageAccounts:storageAccountName"),
        ("apiPrincipalId", QueueSender, "queues:generationQueueNames"),
        ("apiPrincipalId", QueueReader, "queues:generationQueueNames"),
        ("apiPrincipalId", MetricsPublisher, "components:insightsName"),
        ("workerPrincipalId", BlobOwner, "containers:hostsContainerName"),
        ("workerPrincipalId", BlobOwner, "containers:keysContainerName"),
        ("workerPrincipalId", BlobContributor, "containers:jobsContainerName"),
        ("workerPrincipalId", BlobContributor, "containers:resultsContainerName"),
        ("workerPrincipalId", BlobContributor, "containers:inputsContainerName"),
        ("workerPrincipalId", BlobReader, "containers:modelsContainerName"),
        ("workerPrincipalId", BlobDelegator, "storageAccounts:storageAccountName"),
        ("workerPrincipalId", QueueReader, "queues:generationQueueNames"),
        ("workerPrincipalId", QueueProcessor, "queues:generationQueueNames"),
        ("workerPrincipalId", QueueSender, "queues:generationQueueNames-poison"),
        ("workerPrincipalId", QueueReader, "queues:generationQueueNames-poison"),
        ("workerPrincipalId", QueueProcessor, "queues:generationQueueNames-poison"),
        ("workerPrincipalId", QueueSender, "queues:generationQueueNames"),
        ("workerPrincipalId", BlobContributor, "containers:batchRequestsContainerName"),
        ("workerPrincipalId", QueueReader, "queues:batchEventsQueueName"),
        ("workerPrincipalId", QueueProcessor, "queues:batchEventsQueueName"),
        ("workerPrincipalId", QueueSender, "queues:batchEventsQueueName-poison"),
        ("workerPrincipalId", BlobContributor, "containers:logoRequestsContainerName"),
        ("workerPrincipalId", QueueReader, "queues:logoEventsQueueName"),
        ("workerPrincipalId", QueueProcessor, "queues:logoEventsQueueName"),
        ("workerPrincipalId", QueueSender, "queues:logoEventsQueueName-poison"),
        ("workerPrincipalId", QueueReader, "queues:logoEventsQueueName-poison"),
        ("workerPrincipalId", QueueProcessor, "queues:logoEventsQueueName-poison"),
        ("workerPrincipalId", EventGridSender, "topics:topicName"),
        ("workerPrincipalId", KeyVaultSecretsUser, "secrets:webhookSecretName"),
        ("workerPrincipalId", AcrPull, "registries:registryName"),
        ("workerPrincipalId", MetricsPublisher, "components:insightsName"),
        ("eventsPrincipalId", QueueSender, "queues:eventsQueueName"),
        ("eventsPrincipalId", QueueSender, "queues:logoEventsQueueName"),
        ("eventsPrincipalId", QueueSender, "queues:batchEventsQueueName"),
        ("eventsPrincipalId", BlobContributor, "containers:deadLetterContainerName"),
        ("deployerPrincipalId", BlobContributor, "containers:modelsContainerName"),
    ];

    private ArmTemplate Rbac => compiled.Main.Module("rbac");

    [Fact]
    public void Role_assignments_are_exactly_the_reviewed_list()
    {
        var actual = Rbac.OfType("Microsoft.Authorization/roleAssignments").Select(Describe).Order().ToArray();
        var expected = Expected.Select(e => $"{e.Principal} {e.Role} {e.Scope}").Order().ToArray();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Only_the_delegator_role_is_on_the_whole_account()
    {
        var accountWide = Rbac.OfType("Microsoft.Authorization/roleAssignments")
            .Where(r => Scope(r).StartsWith("storageAccounts:", StringComparison.Ordinal))
            .Select(Role)
            .Distinct();

        Assert.Equal([BlobDelegator], accountWide);
    }

    [Fact]
    public void No_identity_is_an_owner_beyond_the_host_containers()
    {
        var owners = Rbac.OfType("Microsoft.Authorization/roleAssignments").Where(r => Role(r) == BlobOwner).Select(Scope).Distinct().Order();

        Assert.Equal(["containers:hostsContainerName", "containers:keysContainerName"], owners);
    }

    [Fact]
    public void Each_role_is_granted_to_the_workload_it_names_and_named_after_the_identity()
    {
        foreach (var assignment in Rbac.OfType("Microsoft.Authorization/roleAssignments"))
        {
            var principal = Principal(assignment);
            var name = (string)assignment["name"]!;
            Assert.Contains(Role(assignment), name, StringComparison.Ordinal);
            if (principal != "deployerPrincipalId")
            {
                // guid(scope, identity resource id, role): stable across redeployments, known before deployment.
                Assert.Contains($"parameters('{principal.Replace("PrincipalId", "IdentityId", StringComparison.Ordinal)}')", name, StringComparison.Ordinal);
                Assert.Equal("ServicePrincipal", (string?)assignment["properties"]!["principalType"]);
            }
        }
    }

    [Fact]
    public void Main_hands_each_identity_to_its_own_principal_parameter()
    {
        var parameters = compiled.Main.ModuleDeployment("rbac")["properties"]!["parameters"]!;

        Assert.Contains("names').apiIdentity)", (string)parameters["apiPrincipalId"]!["value"]!, StringComparison.Ordinal);
        Assert.Contains("names').workerIdentity)", (string)parameters["workerPrincipalId"]!["value"]!, StringComparison.Ordinal);
        Assert.Contains("names').eventsIdentity)", (string)parameters["eventsPrincipalId"]!["value"]!, StringComparison.Ordinal);
        Assert.Equal("[parameters('deployerPrincipalId')]", (string?)parameters["deployerPrincipalId"]!["value"]);
    }

    [Fact]
    public void The_key_vault_and_deployer_roles_exist_only_when_there_is_something_to_grant()
    {
        var conditions = Rbac.OfType("Microsoft.Authorization/roleAssignments")
            .Where(r => r["condition"] is not null)
            .ToDictionary(Describe, r => (string)r["condition"]!);

        Assert.Equal(2, conditions.Count);
        Assert.Equal("[parameters('hasWebhookSecret')]", conditions[$"workerPrincipalId {KeyVaultSecretsUser} secrets:webhookSecretName"]);
        Assert.Equal("[not(empty(parameters('deployerPrincipalId')))]", conditions[$"deployerPrincipalId {BlobContributor} containers:modelsContainerName"]);
    }

    private static string Describe(JsonObject assignment) => $"{Principal(assignment)} {Role(assignment)} {Scope(assignment)}";

    private static string Principal(JsonObject assignment)
        => ParameterName().Match((string)assignment["properties"]!["principalId"]!).Groups[1].Value;

    private static string Role(JsonObject assignment)
        => RoleGuid().Match((string)assignment["properties"]!["roleDefinitionId"]!).Groups[1].Value;

    private static string Scope(JsonObject assignment)
    {
        var scope = (string)assignment["scope"]!;
        var type = ScopeType().Match(scope);
        Assert.True(type.Success, $"Unexpected scope expression: {scope}");
        var lastParameter = ParameterName().Matches(scope)[^1].Groups[1].Value;
        var poison = scope.Contains("-poison", StringComparison.Ordinal) ? "-poison" : string.Empty;
        return $"{type.Groups[1].Value.Split('/')[^1]}:{lastParameter}{poison}";
    }

    [GeneratedRegex(@"parameters\('(\w+)'\)")]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"roleDefinitions', '([0-9a-f-]{36})'\)\]$")]
    private static partial Regex RoleGuid();

    [GeneratedRegex(@"^\[resourceId\('([^']+)'")]
    private static partial Regex ScopeType();
}
