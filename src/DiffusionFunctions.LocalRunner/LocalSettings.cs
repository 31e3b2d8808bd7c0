namespace DiffusionFunctions.LocalRunner;

/// <summary>The settings both apps run with locally (the same keys as the apps' <c>local.settings.sample.json</c>).</summary>
internal static class LocalSettings
{
    /// <summary>Development-only webhook secret (Standard Webhooks form); never use it in a deployment.</summary>
    public const string DevelopmentWebhookSecret = "whsec_ZGV2LW9ubHktd2ViaG9vay1zZWNyZXQtbm90LWZvci1wcm9kdWN0aW9u";

    public static Dictionary<string, string?> Create(string modelPath) => new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["DiffusionFunctions:Storage:GenerationQueue"] = "generation-requests",
        ["DiffusionFunctions:Batches:RequestsContainer"] = "batch-requests",
        ["DiffusionFunctions:Batches:RequestsEventsQueue"] = "batch-requests-events",
        ["DiffusionFunctions:Logos:RequestsContainer"] = "logo-requests",
        ["DiffusionFunctions:Logos:RequestsEventsQueue"] = "logo-requests-events",
        ["DiffusionFunctions:Worker:ModelPath"] = modelPath,
        ["DiffusionFunctions:Worker:ProgressInterval"] = "00:00:00.250",
        ["DiffusionFunctions:Events:WebhookSecret"] = DevelopmentWebhookSecret,
        ["DiffusionFunctions:Events:AllowPrivateCallbackAddresses"] = "true",
        ["DiffusionFunctions:Generation:AllowInsecureCallbacks"] = "true",
        ["DiffusionFunctions:Generation:CallbacksEnabled"] = "true",
        ["DiffusionFunctions:Generation:AllowPrivateCallbackHosts"] = "true",
    };

    /// <summary>The same settings as environment variables for <c>func start</c> (<c>:</c> becomes <c>__</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> AsEnvironment(Dictionary<string, string?> settings)
        => settings.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace(":", "__", StringComparison.Ordinal), kv.Value));
}
