namespace DiffusionFunctions.ModelGeneration.Tests;

/// <summary>The variants every generated-folder test runs over, by name.</summary>
internal static class TinyVariants
{
    public static readonly IReadOnlyDictionary<string, ModelVariant> ByName = new Dictionary<string, ModelVariant>(StringComparer.Ordinal)
    {
        ["default"] = ModelVariant.Default,
        ["fp16"] = new() { Fp16 = true, Timestep = TimestepForm.Float16Batch },
        ["ids64-timestep-int64"] = new() { InputIdsInt64 = true, Timestep = TimestepForm.Int64Batch },
        ["timestep-scalar"] = new() { Timestep = TimestepForm.Scalar },
        ["vae-latent-sample"] = new() { VaeEncoderOutput = VaeEncoderOutput.LatentSample },
        ["inpainting"] = new() { InpaintingUnet = true },
        ["safety-no-vae-encoder"] = new() { IncludeSafetyChecker = true, IncludeVaeEncoder = false },
        ["sd2"] = new() { Sd2 = true },
        ["external-weights-pb"] = new() { ExternalWeights = true, ExternalWeightsFileName = "weights.pb" },
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in ByName.Keys)
        {
            data.Add(name);
        }

        return data;
    }
}
