using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.Hosting.Tests.RealHost;

/// <summary>
/// What the real-host check gives each app on top of its <c>local.settings.sample.json</c> (which run-host.sh reads as
/// <c>func start</c> reads <c>local.settings.json</c>): the run's storage account and names, and for the worker CPU and
/// a short retry wait. All are ordinary app settings, written as environment variables (<c>:</c> as <c>__</c>).
/// </summary>
public static class RealHostAppSettings
{
    /// <summary>
    /// The worker host's queue <c>visibilityTimeout</c> (host.json: 30 s) for the check: the wait before a failed message is
    /// delivered again, so a message is poisoned in seconds. Set the way any host.json value is overridden in an app's
    /// settings (<c>AzureFunctionsJobHost__extensions__queues__visibilityTimeout</c>); the apps' host.json is untouched.
    /// </summary>
    public static readonly TimeSpan RedeliveryWait = TimeSpan.FromSeconds(1);

    /// <summary>The API app's overrides.</summary>
    public static Dictionary<string, string> ForApi(AzuriteTestNames storage) => Storage(storage);

    /// <summary>The worker app's overrides.</summary>
    public static Dictionary<string, string> ForWorker(AzuriteTestNames storage)
    {
        var settings = Storage(storage);
        settings["DiffusionFunctions__Engine__Provider"] = "Cpu";
        settings["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = RedeliveryWait.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    private static Dictionary<string, string> Storage(AzuriteTestNames storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.ToSettings().ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
    }
}
