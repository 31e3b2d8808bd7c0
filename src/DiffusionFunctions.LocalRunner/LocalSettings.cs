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

    /// <summary>
    /// Adds the API's model list for <paramref name="models"/> (the first is the default), each on the queue
    /// <c>{GenerationQueue}-{name}</c>, described from its folder.
    /// </summary>
    public static void AddModelList(Dictionary<string, string?> settings, IReadOnlyList<LocalModel> models)
    {
        settings["DiffusionFunctions:DefaultModel"] = models[0].Name;
        foreach (var model in models)
        {
            settings[$"DiffusionFunctions:Models:{model.Name}:Path"] = model.Path;
            settings[$"DiffusionFunctions:Models:{model.Name}:Queue"] = QueueOf(settings, model);
        }
    }

    /// <summary>The settings of <paramref name="model"/>'s worker: its name, its folder and its queue over the shared ones.</summary>
    public static Dictionary<string, string?> ForWorker(Dictionary<string, string?> settings, LocalModel model) => new(settings)
    {
        ["DiffusionFunctions:Worker:ModelName"] = model.Name,
        ["DiffusionFunctions:Worker:ModelPath"] = model.Path,
        ["DiffusionFunctions:Storage:GenerationQueue"] = QueueOf(settings, model),
    };

    private static string QueueOf(Dictionary<string, string?> settings, LocalModel model)
        => settings.GetValueOrDefault($"DiffusionFunctions:Models:{model.Name}:Queue")
           ?? Core.Routing.DeployedModels.DefaultQueueName(settings["DiffusionFunctions:Storage:GenerationQueue"]!, model.Name);

    /// <summary>The same settings as environment variables for <c>func start</c> (<c>:</c> becomes <c>__</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> AsEnvironment(Dictionary<string, string?> settings)
        => settings.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace(":", "__", StringComparison.Ordinal), kv.Value));
}
