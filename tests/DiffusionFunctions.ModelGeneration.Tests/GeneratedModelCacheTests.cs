namespace DiffusionFunctions.ModelGeneration.Tests;

/// <summary>The shared tiny-model cache: one folder per variant and seed, written once however many callers race for it.</summary>
public sealed class GeneratedModelCacheTests
{
    [Fact]
    public async Task Concurrent_callers_get_one_complete_folder()
    {
        var seed = Random.Shared.Next(1_000_000, int.MaxValue);
        var variant = new ModelVariant { IncludeVaeEncoder = false };
        try
        {
            var folders = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => GeneratedModelCache.GetTinyAsync(variant, seed))));

            Assert.Single(folders.Distinct(StringComparer.Ordinal));
            Assert.Equal(Path.Combine(GeneratedModelCache.Root, $"tiny-novae-enc-seed{seed}"), folders[0]);
            Assert.True(File.Exists(Path.Combine(folders[0], "model_index.json")));
            Assert.False(Directory.Exists(Path.Combine(folders[0], "vae_encoder")));

            // No scratch folders are left behind for this key.
            Assert.Empty(Directory.EnumerateDirectories(GeneratedModelCache.Root, $".tiny-novae-enc-seed{seed}-*"));
        }
        finally
        {
            var folder = Path.Combine(GeneratedModelCache.Root, $"tiny-novae-enc-seed{seed}");
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void Variant_keys_name_every_non_default_setting()
    {
        Assert.Equal("default", ModelVariant.Default.Key);
        Assert.Equal(
            "fp16-ids64-t-scalar-vae-sample-inpaint-novae-enc-safety0.25-sd2-ext-weights_pb",
            new ModelVariant
            {
                Fp16 = true,
                InputIdsInt64 = true,
                Timestep = TimestepForm.Scalar,
                VaeEncoderOutput = VaeEncoderOutput.LatentSample,
                InpaintingUnet = true,
                IncludeVaeEncoder = false,
                IncludeSafetyChecker = true,
                SafetyCheckerRedThreshold = 0.25f,
                Sd2 = true,
                ExternalWeights = true,
                ExternalWeightsFileName = "weights.pb",
            }.Key);
    }
}

/// <summary>Bad requests fail before anything is written.</summary>
public sealed class RequestValidationTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "dfx-modelgen-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Missing_vocabulary_fails_before_the_folder_is_created()
    {
        var dir = Path.Combine(root, "no-vocab");
        var request = new ModelGenerationRequest(dir, ModelPreset.Tiny, ModelVariant.Default, 1) { ClipBpeVocabularyPath = Path.Combine(root, "missing.txt.gz") };

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => StableDiffusionModelGenerator.WriteAsync(request));

        Assert.Contains("missing.txt.gz", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    [Theory]
    [InlineData("model.onnx")]
    [InlineData("sub/weights.pb")]
    [InlineData(" ")]
    public async Task External_weights_file_name_must_be_a_plain_file_name(string fileName)
    {
        var dir = Path.Combine(root, "bad-name");
        var variant = new ModelVariant { ExternalWeights = true, ExternalWeightsFileName = fileName };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => StableDiffusionModelGenerator.WriteAsync(dir, ModelPreset.Tiny, variant, 1));

        Assert.StartsWith($"The external weights file name '{fileName}' must be a plain file name", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
