using DiffusionFunctions.ModelGeneration.Architectures;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using L = DiffusionFunctions.Training.Networks.TorchLayers;

namespace DiffusionFunctions.Training.Networks;

/// <summary>
/// The TorchSharp twin of <c>VaeGraph</c> without mid attention: encoder (image in [-1, 1] → 8 moment channels, of which
/// the first 4 are the latent, exported as <c>latent_sample</c>) and decoder (latent → image).
/// </summary>
internal static class AutoencoderNetwork
{
    public static Tensor Encode(ParameterBag p, VaeConfig config, Tensor image)
    {
        var levels = config.BlockChannels.Count;
        var channels = config.BlockChannels[0];
        var h = L.Conv2d(p, image, "encoder.conv_in", 3, channels, 3, padding: 1);
        for (var level = 0; level < levels; level++)
        {
            var outChannels = config.BlockChannels[level];
            for (var layer = 0; layer < config.LayersPerBlock; layer++)
            {
                h = Resnet(p, h, $"encoder.down_blocks.{level}.resnets.{layer}", channels, outChannels, config);
                channels = outChannels;
            }

            if (level < levels - 1)
            {
                h = F.pad(h, [0, 1, 0, 1]);
                h = L.Conv2d(p, h, $"encoder.down_blocks.{level}.downsamplers.0.conv", channels, channels, 3, stride: 2);
            }
        }

        h = MidBlock(p, h, "encoder.mid_block", channels, config);
        h = L.Silu(L.GroupNorm(p, h, "encoder.conv_norm_out", channels, config.NormGroups, config.NormEpsilon));
        var moments = 2 * config.LatentChannels;
        h = L.Conv2d(p, h, "encoder.conv_out", channels, moments, 3, padding: 1, gain: 0.5f);
        h = L.Conv2d(p, h, "quant_conv", moments, moments, 1);
        return h.narrow(1, 0, config.LatentChannels);
    }

    public static Tensor Decode(ParameterBag p, VaeConfig config, Tensor latent)
    {
        var levels = config.BlockChannels.Count;
        var top = config.BlockChannels[levels - 1];
        var h = L.Conv2d(p, latent, "post_quant_conv", config.LatentChannels, config.LatentChannels, 1);
        h = L.Conv2d(p, h, "decoder.conv_in", config.LatentChannels, top, 3, padding: 1);
        h = MidBlock(p, h, "decoder.mid_block", top, config);
        var channels = top;
        for (var upLevel = 0; upLevel < levels; upLevel++)
        {
            var outChannels = config.BlockChannels[levels - 1 - upLevel];
            for (var layer = 0; layer <= config.LayersPerBlock; layer++)
            {
                h = Resnet(p, h, $"decoder.up_blocks.{upLevel}.resnets.{layer}", channels, outChannels, config);
                channels = outChannels;
            }

            if (upLevel < levels - 1)
            {
                h = F.interpolate(h, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
                h = L.Conv2d(p, h, $"decoder.up_blocks.{upLevel}.upsamplers.0.conv", channels, channels, 3, padding: 1);
            }
        }

        h = L.Silu(L.GroupNorm(p, h, "decoder.conv_norm_out", channels, config.NormGroups, config.NormEpsilon));
        h = L.Conv2d(p, h, "decoder.conv_out", channels, 3, 3, padding: 1);
        return config.OutputTanh ? tanh(h) : h;
    }

    private static Tensor Resnet(ParameterBag p, Tensor x, string name, int inChannels, int outChannels, VaeConfig config) =>
        UnetNetwork.Resnet(p, x, null, name, inChannels, outChannels, config.NormGroups, config.NormEpsilon, 0);

    private static Tensor MidBlock(ParameterBag p, Tensor x, string name, int channels, VaeConfig config)
    {
        if (config.MidAttention)
        {
            throw new NotSupportedException("The trained autoencoder has no mid attention.");
        }

        var h = Resnet(p, x, $"{name}.resnets.0", channels, channels, config);
        return Resnet(p, h, $"{name}.resnets.1", channels, channels, config);
    }
}
