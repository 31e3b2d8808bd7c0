using DiffusionFunctions.ModelGeneration.Layers;
using DiffusionFunctions.ModelGeneration.Onnx;

namespace DiffusionFunctions.ModelGeneration.Architectures;

/// <summary>
/// The AutoencoderKL halves as Optimum exports them: <c>vae_decoder</c> (<c>post_quant_conv</c> + <c>decoder</c>):
/// <c>latent_sample</c> → <c>sample</c>; <c>vae_encoder</c> (<c>encoder</c> + <c>quant_conv</c>): <c>sample</c> →
/// <c>latent_parameters</c> or <c>latent_sample</c>.
/// </summary>
internal static class VaeGraph
{
    public static void BuildDecoder(OnnxGraphBuilder g, VaeConfig config)
    {
        var levels = config.BlockChannels.Count;
        var top = config.BlockChannels[levels - 1];
        var latent = g.Input("latent_sample", g.FloatType, "batch_size", config.LatentChannels, "height_latent", "width_latent");
        var h = NeuralLayers.Conv2d(g, latent, "post_quant_conv", config.LatentChannels, config.LatentChannels, 1);
        h = NeuralLayers.Conv2d(g, h, "decoder.conv_in", config.LatentChannels, top, 3, padding: 1);
        h = MidBlock(g, h, "decoder.mid_block", top, config);

        var channels = top;
        for (var upLevel = 0; upLevel < levels; upLevel++)
        {
            var outChannels = config.BlockChannels[levels - 1 - upLevel];
            for (var layer = 0; layer <= config.LayersPerBlock; layer++)
            {
                h = Resnet(g, h, $"decoder.up_blocks.{upLevel}.resnets.{layer}", channels, outChannels, config);
                channels = outChannels;
            }

            if (upLevel < levels - 1)
            {
                h = UnetGraph.Upsample(g, h, $"decoder.up_blocks.{upLevel}.upsamplers.0.conv", channels);
            }
        }

        h = NeuralLayers.Silu(g, NeuralLayers.GroupNorm(g, h, "decoder.conv_norm_out", channels, config.NormGroups, config.NormEpsilon));
        h = NeuralLayers.Conv2d(g, h, "decoder.conv_out", channels, 3, 3, padding: 1);
        if (config.OutputTanh)
        {
            h = g.Op("Tanh", [h]);
        }

        g.Output(h, "sample", g.FloatType, "batch_size", 3, "height", "width");
    }

    public static void BuildEncoder(OnnxGraphBuilder g, VaeConfig config, VaeEncoderOutput output)
    {
        var levels = config.BlockChannels.Count;
        var image = g.Input("sample", g.FloatType, "batch_size", 3, "height", "width");
        var channels = config.BlockChannels[0];
        var h = NeuralLayers.Conv2d(g, image, "encoder.conv_in", 3, channels, 3, padding: 1);
        for (var level = 0; level < levels; level++)
        {
            var outChannels = config.BlockChannels[level];
            for (var layer = 0; layer < config.LayersPerBlock; layer++)
            {
                h = Resnet(g, h, $"encoder.down_blocks.{level}.resnets.{layer}", channels, outChannels, config);
                channels = outChannels;
            }

            if (level < levels - 1)
            {
                // diffusers pads (0, 1, 0, 1) and convolves with stride 2, no symmetric padding.
                h = NeuralLayers.Conv2d(g, h, $"encoder.down_blocks.{level}.downsamplers.0.conv", channels, channels, 3, 2, [0, 0, 1, 1]);
            }
        }

        h = MidBlock(g, h, "encoder.mid_block", channels, config);
        h = NeuralLayers.Silu(g, NeuralLayers.GroupNorm(g, h, "encoder.conv_norm_out", channels, config.NormGroups, config.NormEpsilon));
        var moments = 2 * config.LatentChannels;
        h = NeuralLayers.Conv2d(g, h, "encoder.conv_out", channels, moments, 3, padding: 1, gain: 0.5f);
        h = NeuralLayers.Conv2d(g, h, "quant_conv", moments, moments, 1);
        if (output == VaeEncoderOutput.LatentParameters)
        {
            g.Output(h, "latent_parameters", g.FloatType, "batch_size", moments, "height_latent", "width_latent");
        }
        else
        {
            var mean = g.Op("Slice", [h, g.Ints(0), g.Ints(config.LatentChannels), g.Ints(1)]);
            g.Output(mean, "latent_sample", g.FloatType, "batch_size", config.LatentChannels, "height_latent", "width_latent");
        }
    }

    private static string Resnet(OnnxGraphBuilder g, string x, string name, int inChannels, int outChannels, VaeConfig config) =>
        UnetGraph.ResnetBlock(g, x, null, name, inChannels, outChannels, config.NormGroups, config.NormEpsilon, 0);

    private static string MidBlock(OnnxGraphBuilder g, string x, string name, int channels, VaeConfig config)
    {
        var h = Resnet(g, x, $"{name}.resnets.0", channels, channels, config);
        if (config.MidAttention)
        {
            h = SpatialSelfAttention(g, h, $"{name}.attentions.0", channels, config);
        }

        return Resnet(g, h, $"{name}.resnets.1", channels, channels, config);
    }

    /// <summary>Single-head self-attention over pixels with a GroupNorm in front and a residual (diffusers <c>Attention</c> in the VAE).</summary>
    private static string SpatialSelfAttention(OnnxGraphBuilder g, string x, string name, int channels, VaeConfig config)
    {
        var h = NeuralLayers.GroupNorm(g, x, $"{name}.group_norm", channels, config.NormGroups, config.NormEpsilon);
        h = g.Op("Transpose", [g.Op("Reshape", [h, g.Ints(0, 0, -1)])], OnnxAttribute.Ints("perm", 0, 2, 1));
        h = AttentionLayer.MultiHead(g, AttentionNames.Diffusers(name), h, h, channels, channels, channels, 1, projectionBias: true);
        h = g.Op("Reshape", [g.Op("Transpose", [h], OnnxAttribute.Ints("perm", 0, 2, 1)), g.Op("Shape", [x])]);
        return g.Op("Add", [h, x]);
    }
}
