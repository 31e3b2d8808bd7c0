namespace DiffusionFunctions.ModelGeneration.Tests;

/// <summary>The seed decides every byte: same seed, same files; another seed, other weights.</summary>
public sealed class DeterminismTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "dfx-modelgen-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Same_seed_writes_byte_identical_files_and_another_seed_changes_the_weights()
    {
        var variant = new ModelVariant { IncludeSafetyChecker = true, ExternalWeights = true };
        var first = await StableDiffusionModelGenerator.WriteAsync(Path.Combine(root, "a"), ModelPreset.Tiny, variant, seed: 7);
        var second = await StableDiffusionModelGenerator.WriteAsync(Path.Combine(root, "b"), ModelPreset.Tiny, variant, seed: 7);
        var other = await StableDiffusionModelGenerator.WriteAsync(Path.Combine(root, "c"), ModelPreset.Tiny, variant, seed: 8);

        var relative = first.Files.Select(f => Path.GetRelativePath(first.Directory, f)).ToArray();
        Assert.Equal(relative, second.Files.Select(f => Path.GetRelativePath(second.Directory, f)));
        foreach (var file in relative)
        {
            var a = await File.ReadAllBytesAsync(Path.Combine(first.Directory, file));
            var b = await File.ReadAllBytesAsync(Path.Combine(second.Directory, file));
            Assert.True(a.SequenceEqual(b), $"{file} differs between two runs with the same seed");
        }

        // Another seed: same graphs and sizes, different weight bytes in every component.
        foreach (var component in first.Components)
        {
            var path = component.ExternalDataPath ?? component.ModelPath;
            var a = await File.ReadAllBytesAsync(path);
            var c = await File.ReadAllBytesAsync(Path.Combine(other.Directory, Path.GetRelativePath(first.Directory, path)));
            Assert.Equal(a.Length, c.Length);
            Assert.False(a.SequenceEqual(c), $"{component.Name} is identical for seeds 7 and 8");
        }

        // Configs and tokenizer do not depend on the seed.
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(first.Directory, "unet", "config.json")),
            await File.ReadAllBytesAsync(Path.Combine(other.Directory, "unet", "config.json")));
    }

    [Fact]
    public async Task Summary_reports_parameters_and_bytes_of_what_was_written()
    {
        var summary = await StableDiffusionModelGenerator.WriteAsync(
            Path.Combine(root, "summary"), ModelPreset.Tiny, new ModelVariant { ExternalWeights = true }, seed: 1);

        var counts = StableDiffusionModelGenerator.CountParameters(ModelPreset.Tiny, new ModelVariant { ExternalWeights = true });
        Assert.Equal(["text_encoder", "unet", "vae_decoder", "vae_encoder"], summary.Components.Select(c => c.Name));
        foreach (var component in summary.Components)
        {
            Assert.Equal(counts[component.Name], component.ParameterCount);
            Assert.Equal(new FileInfo(component.ModelPath).Length, component.ModelBytes);
        }

        // fp32 weights, 4 bytes each, aligned inside the external file; the protobuf holds only the graph and constants.
        var unet = summary["unet"];
        Assert.Equal(Path.Combine(summary.Directory, "unet", "model.onnx_data"), unet.ExternalDataPath);
        Assert.InRange(unet.ExternalDataBytes, unet.ParameterCount * 4, (unet.ParameterCount * 4) + (64L * 1024));
        Assert.True(unet.ModelBytes < unet.ExternalDataBytes / 4, "unet/model.onnx should hold no weights");
        Assert.Equal(summary.Files.Sum(f => new FileInfo(f).Length), summary.TotalBytes);
    }

    [Fact]
    public async Task A_non_empty_output_folder_is_refused()
    {
        var dir = Path.Combine(root, "busy");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "keep.txt"), "x");

        var error = await Assert.ThrowsAsync<IOException>(() => StableDiffusionModelGenerator.WriteAsync(dir, ModelPreset.Tiny, ModelVariant.Default, 1));
        Assert.Contains("is not empty", error.Message, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName));
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
