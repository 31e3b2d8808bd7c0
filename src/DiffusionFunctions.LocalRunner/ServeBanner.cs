namespace DiffusionFunctions.LocalRunner;

/// <summary>What <c>--serve</c> prints once the API answers: base URL, key, playground, a ready curl line and the storage connection.</summary>
internal static class ServeBanner
{
    /// <summary>
    /// The key the README's examples and the playground use. Neither local host checks function keys (the in-process host
    /// has no keys at all; <c>func start</c> skips the check), so any value works; in Azure a real key is required.
    /// </summary>
    public const string PlaceholderKey = "local-dev-key";

    public static void Print(Uri baseAddress, bool functionsHost, string? storageConnection = null)
    {
        var api = new Uri(baseAddress, "api").ToString();
        Console.WriteLine($"local-run: serving. API base URL: {api}");
        Console.WriteLine($"local-run: key: {PlaceholderKey} ("
            + (functionsHost ? "func start does not check function keys locally" : "the in-process host does not check function keys")
            + "; any value works, the README's examples use this one)");
        if (!functionsHost)
        {
            Console.WriteLine($"local-run: playground: {new Uri(baseAddress, "playground/")}");
        }

        Console.WriteLine("local-run: try:");
        Console.WriteLine($"  curl -sS -X POST {api}/generations -H 'x-functions-key: {PlaceholderKey}' -H 'Content-Type: application/json' "
            + "-H 'Prefer: wait=30' -d '{\"prompt\":\"a red star on a white background\",\"width\":64,\"height\":64}'");
        if (storageConnection is not null)
        {
            // Azurite's well-known development account: public, not a secret. Uploads to logo-requests start logo runs.
            Console.WriteLine($"local-run: storage (for dfx logo upload, az storage --connection-string): export AzureWebJobsStorage='{storageConnection}'");
        }

        Console.WriteLine("local-run: Ctrl-C stops the apps and Azurite and removes Azurite's data folder.");
    }
}
