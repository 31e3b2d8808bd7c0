namespace DiffusionFunctions.ModelGeneration;

/// <summary>
/// Export differences a Stable Diffusion pipeline must cope with. Every combination writes a valid folder; the default
/// is an fp32 Optimum-style SD 1.x export with a VAE encoder and no safety checker.
/// </summary>
public sealed record ModelVariant
{
    /// <summary>The default variant.</summary>
    public static ModelVariant Default { get; } = new();

    /// <summary>All float tensors and weights in float16, as Optimum's fp16 export.</summary>
    public bool Fp16 { get; init; }

    /// <summary><c>input_ids</c> as int64 (some exports) instead of int32 (Optimum).</summary>
    public bool InputIdsInt64 { get; init; }

    /// <summary>The UNet <c>timestep</c> input form.</summary>
    public TimestepForm Timestep { get; init; } = TimestepForm.Float32Batch;

    /// <summary>The VAE encoder's output tensor.</summary>
    public VaeEncoderOutput VaeEncoderOutput { get; init; } = VaeEncoderOutput.LatentParameters;

    /// <summary>A 9-channel inpainting UNet (latents, mask, masked-image latents).</summary>
    public bool InpaintingUnet { get; init; }

    /// <summary>Write <c>vae_encoder/</c> (img2img, inpaint).</summary>
    public bool IncludeVaeEncoder { get; init; } = true;

    /// <summary>Write <c>safety_checker/</c>, which flags images whose mean red exceeds <see cref="SafetyCheckerRedThreshold"/>.</summary>
    public bool IncludeSafetyChecker { get; init; }

    /// <summary>
    /// The threshold of the generated safety checker: an image (values in [0, 1]) is flagged when the mean of its red
    /// channel is greater. The default 0.9 flags only strongly red images (random-weight images average about 0.5);
    /// 2 never flags, -1 always flags.
    /// </summary>
    public float SafetyCheckerRedThreshold { get; init; } = 0.9f;

    /// <summary>
    /// SD 2.x-like: <c>v_prediction</c> scheduler, wider text states (1024 for <see cref="ModelPreset.Sd15"/>, 64 for
    /// <see cref="ModelPreset.Tiny"/>) with GELU, linear transformer projections, and pad token <c>"!"</c> (id 0).
    /// </summary>
    public bool Sd2 { get; init; }

    /// <summary>Store the UNet's weights in an external data file (always on for <see cref="ModelPreset.Sd15"/>).</summary>
    public bool ExternalWeights { get; init; }

    /// <summary>The external data file name: <c>model.onnx_data</c> (Optimum) or <c>weights.pb</c> (older diffusers script).</summary>
    public string ExternalWeightsFileName { get; init; } = "model.onnx_data";

    /// <summary>The scheduler's <c>prediction_type</c>.</summary>
    public string PredictionType => Sd2 ? "v_prediction" : "epsilon";

    /// <summary>A short, file-name-safe description of the non-default settings (used for cache folders).</summary>
    public string Key
    {
        get
        {
            var parts = new List<string>();
            if (Fp16)
            {
                parts.Add("fp16");
            }

            if (InputIdsInt64)
            {
                parts.Add("ids64");
            }

            if (Timestep != TimestepForm.Float32Batch)
            {
                parts.Add("t-" + Timestep.ToString().ToLowerInvariant());
            }

            if (VaeEncoderOutput != VaeEncoderOutput.LatentParameters)
            {
                parts.Add("vae-sample");
            }

            if (InpaintingUnet)
            {
                parts.Add("inpaint");
            }

            if (!IncludeVaeEncoder)
            {
                parts.Add("novae-enc");
            }

            if (IncludeSafetyChecker)
            {
                parts.Add(FormattableString.Invariant($"safety{SafetyCheckerRedThreshold:0.###}"));
            }

            if (Sd2)
            {
                parts.Add("sd2");
            }

            if (ExternalWeights)
            {
                parts.Add("ext-" + ExternalWeightsFileName.Replace('.', '_'));
            }

            return parts.Count == 0 ? "default" : string.Join('-', parts);
        }
    }
}
