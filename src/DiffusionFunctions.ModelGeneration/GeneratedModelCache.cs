using System.Collections.Concurrent;

namespace DiffusionFunctions.ModelGeneration;

/// <summary>
/// Tiny generated model folders for tests, written once per variant and seed and shared: within a process by a
/// thread-safe lazy task, across processes by a folder under the temp directory keyed by this assembly's build id,
/// which is written to a scratch folder and moved into place atomically (a stale folder from
/// an interrupted run is never picked up: only complete folders are moved into place).
/// </summary>
public static class GeneratedModelCache
{
    /// <summary>The seed used when none is given.</summary>
    public const int DefaultSeed = 1234;

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Folders = new(StringComparer.Ordinal);

    /// <summary>
    /// The folder holding the cached models of this build of the generator. Only this assembly's build id keys it:
    /// deterministic builds keep it stable while other projects change, so caches are not rewritten on every rebuild of
    /// the engine (the tokenizer files come from the engine's converter and follow the Hugging Face format either way).
    /// </summary>
    public static string Root { get; } = Path.Combine(
        Path.GetTempPath(),
        "dfx-generated-models",
        typeof(GeneratedModelCache).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..16]);

    /// <summary>Returns the folder of a tiny model with <paramref name="variant"/> (default variant when null), writing it on first use.</summary>
    public static Task<string> GetTinyAsync(ModelVariant? variant = null, int seed = DefaultSeed, CancellationToken cancellationToken = default)
    {
        variant ??= ModelVariant.Default;
        var key = FormattableString.Invariant($"tiny-{variant.Key}-seed{seed}");
        var lazy = Folders.GetOrAdd(key, k => new Lazy<Task<string>>(() => CreateAsync(k, variant, seed)));
        return AwaitAsync(key, lazy, cancellationToken);
    }

    /// <summary>Returns the folder of <paramref name="preset"/> (test-sized presets; the full-size ones take minutes and gigabytes), writing it on first use.</summary>
    public static Task<string> GetPresetAsync(ModelPreset preset, ModelVariant? variant = null, int seed = DefaultSeed, CancellationToken cancellationToken = default)
    {
        variant ??= ModelVariant.Default;
        var key = FormattableString.Invariant($"{preset.ToString().ToLowerInvariant()}-{variant.Key}-seed{seed}");
        var lazy = Folders.GetOrAdd(key, k => new Lazy<Task<string>>(() => CreateAsync(k, variant, seed, preset)));
        return AwaitAsync(key, lazy, cancellationToken);
    }

    private static async Task<string> AwaitAsync(string key, Lazy<Task<string>> lazy, CancellationToken cancellationToken)
    {
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            // A failed generation is not cached: the next caller tries again.
            Folders.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(key, lazy));
            throw;
        }
    }

    private static readonly Lazy<bool> StaleBuildsRemoved = new(RemoveStaleBuilds);

    /// <summary>Best effort: deletes cache folders of other generator builds untouched for six hours, so /tmp does not fill up.</summary>
    private static bool RemoveStaleBuilds()
    {
        var parent = Path.GetDirectoryName(Root)!;
        if (!Directory.Exists(parent))
        {
            return true;
        }

        foreach (var folder in Directory.EnumerateDirectories(parent))
        {
            if (!string.Equals(folder, Root, StringComparison.Ordinal) && Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddHours(-6))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another process may be using it; it will be tried again next time.
                }
            }
        }

        return true;
    }

    private static async Task<string> CreateAsync(string key, ModelVariant variant, int seed, ModelPreset preset = ModelPreset.Tiny)
    {
        _ = StaleBuildsRemoved.Value;
        var target = Path.Combine(Root, key);
        if (File.Exists(Path.Combine(target, "model_index.json")))
        {
            return target;
        }

        var scratch = Path.Combine(Root, $".{key}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        await StableDiffusionModelGenerator.WriteAsync(scratch, preset, variant, seed).ConfigureAwait(false);
        try
        {
            Directory.Move(scratch, target);
        }
        catch (IOException) when (File.Exists(Path.Combine(target, "model_index.json")))
        {
            // Another process finished first with identical content.
            Directory.Delete(scratch, recursive: true);
        }

        return target;
    }
}
