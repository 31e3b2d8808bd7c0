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
