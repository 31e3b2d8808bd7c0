using DiffusionFunctions.ModelGeneration.Layers;
using DiffusionFunctions.ModelGeneration.Onnx;
using DiffusionFunctions.ModelGeneration.Weights;

namespace DiffusionFunctions.ModelGeneration.Architectures;

/// <summary>
/// The Stable Diffusion UNet (diffusers <c>UNet2DConditionModel</c>): sinusoidal timestep embedding, ResNet blocks with
/// time conditioning, spatial transformers (self-attention, cross-attention to the text states, GEGLU feed-forward),
/// strided-conv downsampling, nearest-neighbour upsampling and skip concatenation. Inputs and output as Optimum exports
/// them: <c>sample</c>, <c>timestep</c>, <c>encoder_hidden_states</c> → <c>out_sample</c>.
/// </summary>
internal static class UnetGraph
{
    private const float TransformerNormEpsilon = 1e-6f;

    public static void Build(OnnxGraphBuilder g, UnetConfig config)
    {
        var levels = config.BlockChannels.Count;
        var sample = g.Input("sample", g.FloatType, "batch_size", config.InChannels, "height", "width");
        var timestep = DeclareTimestep(g, config.Timestep);
        var context = g.Input("encoder_hidden_states", g.FloatType, "batch_size", "sequence_length", config.CrossAttentionDim);

        // Optimum's UNetOnnxConfig input order: text_embeds and time_ids (addition_embed_type "text_time"), then timestep_cond.
        string? textEmbeds = null, timeIds = null, timestepCond = null;
        if (config.AdditionTimeEmbedDim is not null)
        {
            textEmbeds = g.Input("text_embeds", g.FloatType, "batch_size", config.TextEmbedsDim);
            timeIds = g.Input("time_ids", g.FloatType, "batch_size", config.TimeIdsCount);
        }

        if (config.TimeCondProjDim is { } condDim)
        {
            timestepCond = g.Input("timestep_cond", g.FloatType, "batch_size", condDim);
        }

        // 1. Time embedding (plus the guidance embedding through cond_proj, plus SDXL's add_embedding).
        var temb = TimeEmbedding(g, timestep, timestepCond, config);
        if (textEmbeds is not null)
        {
            temb = NeuralLayers.Add(g, temb, AddedEmbedding(g, textEmbeds, timeIds!, config));
        }

        var tembActivated = NeuralLayers.Silu(g, temb);

        // 2. Down path; every intermediate state is kept for the skip connections.
        var h = NeuralLayers.Conv2d(g, sample, "conv_in", config.InChannels, config.BlockChannels[0], 3, padding: 1);
        var skips = new Stack<(string Value, int Channels)>();
        skips.Push((h, config.BlockChannels[0]));
        var channels = config.BlockChannels[0];
        for (var level = 0; level < levels; level++)
        {
            var outChannels = config.BlockChannels[level];
            for (var layer = 0; layer < config.LayersPerBlock; layer++)
            {
                h = ResnetBlock(g, h, tembActivated, $"down_blocks.{level}.resnets.{layer}", channels, outChannels, config);
                channels = outChannels;
                if (config.BlockHasCrossAttention[level])
                {
                    h = SpatialTransformer(g, h, context, $"down_blocks.{level}.attentions.{layer}", channels, config.BlockHeads[level], config, Depth(config, level));
                }

                skips.Push((h, channels));
            }

            if (level < levels - 1)
            {
                h = NeuralLayers.Conv2d(g, h, $"down_blocks.{level}.downsamplers.0.conv", channels, channels, 3, stride: 2, padding: 1);
                skips.Push((h, channels));
            }
        }

        // 3. Mid block: ResNet, transformer, ResNet at the lowest resolution.
        h = ResnetBlock(g, h, tembActivated, "mid_block.resnets.0", channels, channels, config);
        h = SpatialTransformer(g, h, context, "mid_block.attentions.0", channels, config.BlockHeads[levels - 1], config, Depth(config, levels - 1));
        h = ResnetBlock(g, h, tembActivated, "mid_block.resnets.1", channels, channels, config);

        // 4. Up path, mirror image of the down path, concatenating one skip per ResNet.
        for (var upLevel = 0; upLevel < levels; upLevel++)
        {
            var level = levels - 1 - upLevel;
            var outChannels = config.BlockChannels[level];
            for (var layer = 0; layer <= config.LayersPerBlock; layer++)
            {
                var (skip, skipChannels) = skips.Pop();
                h = g.Op("Concat", [h, skip], OnnxAttribute.Int("axis", 1));
                h = ResnetBlock(g, h, tembActivated, $"up_blocks.{upLevel}.resnets.{layer}", channels + skipChannels, outChannels, config);
                channels = outChannels;
                if (config.BlockHasCrossAttention[level])
                {
                    h = SpatialTransformer(g, h, context, $"up_blocks.{upLevel}.attentions.{layer}", channels, config.BlockHeads[level], config, Depth(config, level));
                }
            }

            if (upLevel < levels - 1)
            {
                h = UpsampleTo(g, h, skips.Peek().Value, $"up_blocks.{upLevel}.upsamplers.0.conv", channels);
            }
        }

        // 5. Output head.
        h = NeuralLayers.Silu(g, NeuralLayers.GroupNorm(g, h, "conv_norm_out", channels, config.NormGroups, config.NormEpsilon));
        h = NeuralLayers.Conv2d(g, h, "conv_out", channels, config.OutChannels, 3, padding: 1, gain: 0.5f);
        g.Output(h, "out_sample", g.FloatType, "batch_size", config.OutChannels, "height", "width");
    }

    /// <summary>A ResNet block (diffusers <c>ResnetBlock2D</c>); <paramref name="tembActivated"/> is <c>silu(temb)</c> or null (VAE).</summary>
    internal static string ResnetBlock(OnnxGraphBuilder g, string x, string? tembActivated, string name, int inChannels, int outChannels, int groups, float epsilon, int tembChannels)
    {
        var h = NeuralLayers.Silu(g, NeuralLayers.GroupNorm(g, x, $"{name}.norm1", inChannels, groups, epsilon));
        h = NeuralLayers.Conv2d(g, h, $"{name}.conv1", inChannels, outChannels, 3, padding: 1);
        if (tembActivated is not null)
        {
            var projected = NeuralLayers.Linear(g, tembActivated, $"{name}.time_emb_proj", tembChannels, outChannels);
            h = g.Op("Add", [h, g.Op("Unsqueeze", [projected, g.Ints(2, 3)])]);
        }

        h = NeuralLayers.Silu(g, NeuralLayers.GroupNorm(g, h, $"{name}.norm2", outChannels, groups, epsilon));
        h = NeuralLayers.Conv2d(g, h, $"{name}.conv2", outChannels, outChannels, 3, padding: 1, gain: 0.5f);
        var shortcut = inChannels == outChannels ? x : NeuralLayers.Conv2d(g, x, $"{name}.conv_shortcut", inChannels, outChannels, 1);
        return g.Op("Add", [shortcut, h]);
    }

    /// <summary>Nearest-neighbour 2x upsampling followed by a 3x3 convolution (diffusers <c>Upsample2D</c>).</summary>
    internal static string Upsample(OnnxGraphBuilder g, string x, string convName, int channels)
    {
        var scales = g.ConstFloat32([1f, 1f, 2f, 2f], 4);
        var upsampled = g.Op(
            "Resize",
            [x, string.Empty, scales],
            OnnxAttribute.String("coordinate_transformation_mode", "asymmetric"),
            OnnxAttribute.String("mode", "nearest"),
            OnnxAttribute.String("nearest_mode", "floor"));
        return NeuralLayers.Conv2d(g, upsampled, convName, channels, channels, 3, padding: 1);
    }

    /// <summary>
    /// Nearest-neighbour upsampling to the spatial size of <paramref name="skip"/> (diffusers' <c>upsample_size</c>), so
    /// latent sizes that are not multiples of 2^(levels-1) still line up with their skips, then a 3x3 convolution.
    /// </summary>
    private static string UpsampleTo(OnnxGraphBuilder g, string x, string skip, string convName, int channels)
    {
        var batchAndChannels = g.Op("Slice", [g.Op("Shape", [x]), g.Ints(0), g.Ints(2), g.Ints(0)]);
        var skipSize = g.Op("Slice", [g.Op("Shape", [skip]), g.Ints(2), g.Ints(4), g.Ints(0)]);
        var sizes = g.Op("Concat", [batchAndChannels, skipSize], OnnxAttribute.Int("axis", 0));
        var upsampled = g.Op(
            "Resize",
            [x, string.Empty, string.Empty, sizes],
            OnnxAttribute.String("coordinate_transformation_mode", "asymmetric"),
            OnnxAttribute.String("mode", "nearest"),
            OnnxAttribute.String("nearest_mode", "floor"));
        return NeuralLayers.Conv2d(g, upsampled, convName, channels, channels, 3, padding: 1);
    }

    private static int Depth(UnetConfig config, int level) => config.TransformerDepth is { } depths ? Math.Max(1, depths[level]) : 1;

    private static string ResnetBlock(OnnxGraphBuilder g, string x, string tembActivated, string name, int inChannels, int outChannels, UnetConfig config) =>
        ResnetBlock(g, x, tembActivated, name, inChannels, outChannels, config.NormGroups, config.NormEpsilon, config.TimeEmbeddingDim);

    private static string DeclareTimestep(OnnxGraphBuilder g, TimestepForm form) => form switch
    {
        TimestepForm.Int64Batch => g.Input("timestep", OnnxElementType.Int64, "batch"),
        TimestepForm.Float32Batch => g.Input("timestep", OnnxElementType.Float, "steps"),
        TimestepForm.Float16Batch => g.Input("timestep", OnnxElementType.Float16, "steps"),
        TimestepForm.Scalar => g.Input("timestep", g.FloatType),
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, "Unknown timestep form."),
    };

    /// <summary>
    /// diffusers <c>get_timestep_embedding</c> with <c>flip_sin_to_cos=True</c>, <c>downscale_freq_shift=0</c>:
    /// <c>[cos(t f), sin(t f)]</c> with <c>f_i = exp(-ln(10000) i / half)</c>, computed in float32, then
    /// <c>time_embedding.linear_1</c> → SiLU → <c>linear_2</c>.
    /// </summary>
    private static string TimeEmbedding(OnnxGraphBuilder g, string timestep, string? timestepCond, UnetConfig config)
    {
        var t = config.Timestep == TimestepForm.Float32Batch && g.Precision == FloatPrecision.Float32
            ? timestep
            : g.Op("Cast", [timestep], OnnxAttribute.Int("to", OnnxElementType.Float));
        if (config.Timestep == TimestepForm.Scalar)
        {
            t = g.Op("Unsqueeze", [t, g.Ints(0)]);
        }

        var dim = config.BlockChannels[0];
        var embedding = Sinusoidal(g, t, dim);
        if (timestepCond is not null)
        {
            // diffusers TimestepEmbedding: sample = sample + cond_proj(condition), before linear_1.
            embedding = NeuralLayers.Add(g, embedding, NeuralLayers.Linear(g, timestepCond, "time_embedding.cond_proj", config.TimeCondProjDim!.Value, dim, bias: false));
        }

        var temb = NeuralLayers.Linear(g, embedding, "time_embedding.linear_1", dim, config.TimeEmbeddingDim);
        return NeuralLayers.Linear(g, NeuralLayers.Silu(g, temb), "time_embedding.linear_2", config.TimeEmbeddingDim, config.TimeEmbeddingDim);
    }

    /// <summary>
    /// <c>[cos(t f), sin(t f)]</c> with <c>f_i = exp(-ln(10000) i / half)</c> over float32 <paramref name="t"/> [n] → [n, dim]
    /// (diffusers <c>Timesteps</c> with <c>flip_sin_to_cos=True</c>, <c>downscale_freq_shift=0</c>), in the graph's precision.
    /// </summary>
    private static string Sinusoidal(OnnxGraphBuilder g, string t, int dim)
    {
        var half = dim / 2;
        var frequencies = new float[half];
        for (var i = 0; i < half; i++)
        {
            frequencies[i] = MathF.Exp(-MathF.Log(10000f) * i / half);
        }

        var arguments = g.Op("Mul", [g.Op("Unsqueeze", [t, g.Ints(1)]), g.ConstFloat32(frequencies, 1, half)]);
        var embedding = g.Op("Concat", [g.Op("Cos", [arguments]), g.Op("Sin", [arguments])], OnnxAttribute.Int("axis", 1));
        return g.Precision == FloatPrecision.Float16 ? g.Op("Cast", [embedding], OnnxAttribute.Int("to", OnnxElementType.Float16)) : embedding;
    }

    /// <summary>
    /// SDXL's <c>add_embedding</c>: each time id through <c>add_time_proj</c> (sinusoidal, <c>addition_time_embed_dim</c>),
    /// reshaped to [batch, ids × dim], concatenated after <c>text_embeds</c>, then linear_1 → SiLU → linear_2.
    /// </summary>
    private static string AddedEmbedding(OnnxGraphBuilder g, string textEmbeds, string timeIds, UnetConfig config)
    {
        var addDim = config.AdditionTimeEmbedDim!.Value;
        var flat = g.Op("Reshape", [timeIds, g.Ints(-1)]);
        var flatFloat = g.Precision == FloatPrecision.Float16 ? g.Op("Cast", [flat], OnnxAttribute.Int("to", OnnxElementType.Float)) : flat;
        var timeEmbeds = g.Op("Reshape", [Sinusoidal(g, flatFloat, addDim), g.Ints(-1, config.TimeIdsCount * addDim)]);
        var combined = g.Op("Concat", [textEmbeds, timeEmbeds], OnnxAttribute.Int("axis", 1));
        var inFeatures = config.TextEmbedsDim + (config.TimeIdsCount * addDim);
        var h = NeuralLayers.Linear(g, combined, "add_embedding.linear_1", inFeatures, config.TimeEmbeddingDim);
        return NeuralLayers.Linear(g, NeuralLayers.Silu(g, h), "add_embedding.linear_2", config.TimeEmbeddingDim, config.TimeEmbeddingDim);
    }

    /// <summary>
    /// diffusers <c>Transformer2DModel</c> with one <c>BasicTransformerBlock</c>: GroupNorm, proj_in, self-attention,
    /// cross-attention to <paramref name="context"/>, GEGLU feed-forward, proj_out, residual.
    /// </summary>
    private static string SpatialTransformer(OnnxGraphBuilder g, string x, string context, string name, int channels, int heads, UnetConfig config, int depth = 1)
    {
        var h = NeuralLayers.GroupNorm(g, x, $"{name}.norm", channels, config.NormGroups, TransformerNormEpsilon);
        if (!config.UseLinearProjection)
        {
            h = NeuralLayers.Conv2d(g, h, $"{name}.proj_in", channels, channels, 1);
        }

        // [b, C, H, W] -> [b, H*W, C]
        h = g.Op("Transpose", [g.Op("Reshape", [h, g.Ints(0, 0, -1)])], OnnxAttribute.Ints("perm", 0, 2, 1));
        if (config.UseLinearProjection)
        {
            h = NeuralLayers.Linear(g, h, $"{name}.proj_in", channels, channels);
        }

        for (var b = 0; b < depth; b++)
        {
            var block = $"{name}.transformer_blocks.{b}";
            var normed = NeuralLayers.LayerNorm(g, h, $"{block}.norm1", channels, 1e-5f);
            h = NeuralLayers.Add(g, h, AttentionLayer.MultiHead(g, AttentionNames.Diffusers($"{block}.attn1"), normed, normed, channels, channels, channels, heads, projectionBias: false));
            normed = NeuralLayers.LayerNorm(g, h, $"{block}.norm2", channels, 1e-5f);
            h = NeuralLayers.Add(g, h, AttentionLayer.MultiHead(g, AttentionNames.Diffusers($"{block}.attn2"), normed, context, channels, config.CrossAttentionDim, channels, heads, projectionBias: false));
            normed = NeuralLayers.LayerNorm(g, h, $"{block}.norm3", channels, 1e-5f);
            h = NeuralLayers.Add(g, h, GegluFeedForward(g, normed, $"{block}.ff", channels));
        }

        if (config.UseLinearProjection)
        {
            h = NeuralLayers.Linear(g, h, $"{name}.proj_out", channels, channels, gain: 0.5f);
        }

        // [b, H*W, C] -> [b, C, H, W]
        h = g.Op("Reshape", [g.Op("Transpose", [h], OnnxAttribute.Ints("perm", 0, 2, 1)), g.Op("Shape", [x])]);
        if (!config.UseLinearProjection)
        {
            h = NeuralLayers.Conv2d(g, h, $"{name}.proj_out", channels, channels, 1, gain: 0.5f);
        }

        return g.Op("Add", [h, x]);
    }

    /// <summary>diffusers <c>FeedForward</c> with GEGLU: <c>proj</c> to 2x4C, split, <c>a * gelu(gate)</c>, back to C.</summary>
    private static string GegluFeedForward(OnnxGraphBuilder g, string x, string name, int channels)
    {
        var inner = channels * 4;
        var projected = NeuralLayers.Linear(g, x, $"{name}.net.0.proj", channels, inner * 2);
        var halves = g.Ops("Split", [projected], 2, OnnxAttribute.Int("axis", -1));
        var gated = g.Op("Mul", [halves[0], NeuralLayers.Gelu(g, halves[1])]);
        return NeuralLayers.Linear(g, gated, $"{name}.net.2", inner, channels, gain: 0.5f);
    }
}
