using DiffusionFunctions.ModelGeneration.Architectures;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using L = DiffusionFunctions.Training.Networks.TorchLayers;

namespace DiffusionFunctions.Training.Networks;

/// <summary>The TorchSharp twin of <c>UnetGraph</c> (diffusers <c>UNet2DConditionModel</c>), same names and order.</summary>
internal static class UnetNetwork
{
    private const float TransformerNormEpsilon = 1e-6f;

    public static Tensor Forward(ParameterBag p, UnetConfig config, Tensor sample, Tensor timestep, Tensor context)
    {
        var levels = config.BlockChannels.Count;
        var temb = TimeEmbedding(p, timestep, config);
        var tembActivated = L.Silu(temb);

        var h = L.Conv2d(p, sample, "conv_in", config.InChannels, config.BlockChannels[0], 3, padding: 1);
        var skips = new Stack<(Tensor Value, int Channels)>();
        skips.Push((h, config.BlockChannels[0]));
        var channels = config.BlockChannels[0];
        for (var level = 0; level < levels; level++)
        {
            var outChannels = config.BlockChannels[level];
            for (var layer = 0; layer < config.LayersPerBlock; layer++)
            {
                h = Resnet(p, h, tembActivated, $"down_blocks.{level}.resnets.{layer}", channels, outChannels, config.NormGroups, config.NormEpsilon, config.TimeEmbeddingDim);
                channels = outChannels;
                if (config.BlockHasCrossAttention[level])
                {
                    h = SpatialTransformer(p, h, context, $"down_blocks.{level}.attentions.{layer}", channels, config.BlockHeads[level], config);
                }

                skips.Push((h, channels));
            }

            if (level < levels - 1)
            {
                h = L.Conv2d(p, h, $"down_blocks.{level}.downsamplers.0.conv", channels, channels, 3, stride: 2, padding: 1);
                skips.Push((h, channels));
            }
        }

        h = Resnet(p, h, tembActivated, "mid_block.resnets.0", channels, channels, config.NormGroups, config.NormEpsilon, config.TimeEmbeddingDim);
        h = SpatialTransformer(p, h, context, "mid_block.attentions.0", channels, config.BlockHeads[levels - 1], config);
        h = Resnet(p, h, tembActivated, "mid_block.resnets.1", channels, channels, config.NormGroups, config.NormEpsilon, config.TimeEmbeddingDim);

        for (var upLevel = 0; upLevel < levels; upLevel++)
        {
            var level = levels - 1 - upLevel;
            var outChannels = config.BlockChannels[level];
            for (var layer = 0; layer <= config.LayersPerBlock; layer++)
            {
                var (skip, skipChannels) = skips.Pop();
                h = cat([h, skip], 1);
                h = Resnet(p, h, tembActivated, $"up_blocks.{upLevel}.resnets.{layer}", channels + skipChannels, outChannels, config.NormGroups, config.NormEpsilon, config.TimeEmbeddingDim);
                channels = outChannels;
                if (config.BlockHasCrossAttention[level])
                {
                    h = SpatialTransformer(p, h, context, $"up_blocks.{upLevel}.attentions.{layer}", channels, config.BlockHeads[level], config);
                }
            }

            if (upLevel < levels - 1)
            {
                var target = skips.Peek().Value;
                h = F.interpolate(h, size: [target.shape[2], target.shape[3]], mode: InterpolationMode.Nearest);
                h = L.Conv2d(p, h, $"up_blocks.{upLevel}.upsamplers.0.conv", channels, channels, 3, padding: 1);
            }
        }

        h = L.Silu(L.GroupNorm(p, h, "conv_norm_out", channels, config.NormGroups, config.NormEpsilon));
        return L.Conv2d(p, h, "conv_out", channels, config.OutChannels, 3, padding: 1, gain: 0.5f);
    }

    /// <summary><c>ResnetBlock2D</c>; <paramref name="tembActivated"/> null in the VAE.</summary>
    public static Tensor Resnet(ParameterBag p, Tensor x, Tensor? tembActivated, string name, int inChannels, int outChannels, int groups, float epsilon, int tembChannels)
    {
        var h = L.Silu(L.GroupNorm(p, x, $"{name}.norm1", inChannels, groups, epsilon));
        h = L.Conv2d(p, h, $"{name}.conv1", inChannels, outChannels, 3, padding: 1);
        if (tembActivated is not null)
        {
            h = h + L.Linear(p, tembActivated, $"{name}.time_emb_proj", tembChannels, outChannels).unsqueeze(2).unsqueeze(3);
        }

        h = L.Silu(L.GroupNorm(p, h, $"{name}.norm2", outChannels, groups, epsilon));
        h = L.Conv2d(p, h, $"{name}.conv2", outChannels, outChannels, 3, padding: 1, gain: 0.5f);
        var shortcut = inChannels == outChannels ? x : L.Conv2d(p, x, $"{name}.conv_shortcut", inChannels, outChannels, 1);
        return shortcut + h;
    }

    private static Tensor TimeEmbedding(ParameterBag p, Tensor timestep, UnetConfig config)
    {
        var dim = config.BlockChannels[0];
        var half = dim / 2;
        var frequencies = new float[half];
        for (var i = 0; i < half; i++)
        {
            frequencies[i] = MathF.Exp(-MathF.Log(10000f) * i / half);
        }

        var arguments = timestep.to_type(ScalarType.Float32).unsqueeze(1) * tensor(frequencies).unsqueeze(0);
        var embedding = cat([cos(arguments), sin(arguments)], 1);
        var temb = L.Linear(p, embedding, "time_embedding.linear_1", dim, config.TimeEmbeddingDim);
        return L.Linear(p, L.Silu(temb), "time_embedding.linear_2", config.TimeEmbeddingDim, config.TimeEmbeddingDim);
    }

    private static Tensor SpatialTransformer(ParameterBag p, Tensor x, Tensor context, string name, int channels, int heads, UnetConfig config)
    {
        var b = x.shape[0];
        var height = x.shape[2];
        var width = x.shape[3];
        var h = L.GroupNorm(p, x, $"{name}.norm", channels, config.NormGroups, TransformerNormEpsilon);
        h = L.Conv2d(p, h, $"{name}.proj_in", channels, channels, 1);
        h = h.reshape(b, channels, -1).transpose(1, 2);
        var block = $"{name}.transformer_blocks.0";
        var normed = L.LayerNorm(p, h, $"{block}.norm1", channels, 1e-5f);
        h = h + L.Attention(p, L.DiffusersNames($"{block}.attn1"), normed, normed, channels, channels, channels, heads, projectionBias: false);
        normed = L.LayerNorm(p, h, $"{block}.norm2", channels, 1e-5f);
        h = h + L.Attention(p, L.DiffusersNames($"{block}.attn2"), normed, context, channels, config.CrossAttentionDim, channels, heads, projectionBias: false);
        normed = L.LayerNorm(p, h, $"{block}.norm3", channels, 1e-5f);
        var inner = channels * 4;
        var projected = L.Linear(p, normed, $"{block}.ff.net.0.proj", channels, inner * 2);
        var halves = projected.chunk(2, -1);
        h = h + L.Linear(p, halves[0] * L.Gelu(halves[1]), $"{block}.ff.net.2", inner, channels, gain: 0.5f);
        h = h.transpose(1, 2).reshape(b, channels, height, width);
        h = L.Conv2d(p, h, $"{name}.proj_out", channels, channels, 1, gain: 0.5f);
        return h + x;
    }
}
