using System.Diagnostics;
using System.Globalization;
using DiffusionFunctions.ModelGeneration.Architectures;
using DiffusionFunctions.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace DiffusionFunctions.Training.Training;

/// <summary>
/// Stage 1: the autoencoder. Joint training with L1 + MSE reconstruction plus an L1 loss on the horizontal and vertical
/// pixel differences (edges: without it a blurry blob costs so little that every shape decodes as a circle), Gaussian
/// noise on the latents (so the decoder tolerates the diffusion model's small errors) and a small latent-magnitude
/// penalty; then a decoder-only fine-tune on clean latents. Returns the final reconstruction losses.
/// </summary>
internal static class AutoencoderTrainer
{
    public const float LatentNoise = 0.03f;
    public const float LatentPenalty = 1e-3f;
    public const float EdgeWeight = 1.0f;
    public const float ForegroundWeight = 10.0f;

    public static (double JointLoss, double DecoderLoss, int JointSteps) Train(
        ParameterBag encoder, ParameterBag decoder, VaeConfig config, Tensor images, int jointSteps, int decoderSteps, int batch, double learningRate, TimeSpan? jointBudget = null)
    {
        // Parameters are created on first use: run one forward pass so the optimizers see all of them.
        using (NewDisposeScope())
        using (no_grad())
        {
            AutoencoderNetwork.Decode(decoder, config, AutoencoderNetwork.Encode(encoder, config, images.narrow(0, 0, 1)));
        }

        double joint = double.NaN, decoderOnly = double.NaN;
        var jointRun = 0;
        if (jointSteps > 0)
        {
            (joint, jointRun) = Run("autoencoder", jointSteps, [.. encoder.Tensors, .. decoder.Tensors], () =>
            {
                var x = Batch(images, batch);
                var z = AutoencoderNetwork.Encode(encoder, config, x);
                var recon = AutoencoderNetwork.Decode(decoder, config, z + (randn_like(z) * LatentNoise));
                return Reconstruction(recon, x) + (z.square().mean() * LatentPenalty);
            }, learningRate, jointBudget);
        }

        if (decoderSteps > 0)
        {
            (decoderOnly, _) = Run("decoder fine-tune", decoderSteps, [.. decoder.Tensors], () =>
            {
                var x = Batch(images, batch);
                Tensor z;
                using (no_grad())
                {
                    z = AutoencoderNetwork.Encode(encoder, config, x);
                }

                var recon = AutoencoderNetwork.Decode(decoder, config, z);
                return Reconstruction(recon, x);
            }, learningRate * 0.3);
        }

        return (joint, decoderOnly, jointRun);
    }

    /// <summary>
    /// A random batch of images laid out channels-last in memory (an NHWC buffer viewed as NCHW): the shape and values are
    /// those of the NCHW batch, but oneDNN's convolutions skip a layout reorder on every call, and the layout carries
    /// through the network (measured: a step about 10 % faster).
    /// </summary>
    internal static Tensor Batch(Tensor images, int batch)
    {
        using var index = randint(images.shape[0], [batch], dtype: ScalarType.Int64);
        using var picked = images.index_select(0, index);
        return picked.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
    }

    /// <summary>
    /// L1 + MSE on the pixels, each pixel weighted 1 + <see cref="ForegroundWeight"/> × how far it is from the background
    /// colour (the corner pixel; 0 to 1): the shape is a few percent of the pixels, and unweighted it costs so little that
    /// it decodes as a muddy blob. Plus <see cref="EdgeWeight"/> times L1 on the neighbouring-pixel differences.
    /// </summary>
    internal static Tensor Reconstruction(Tensor recon, Tensor x)
    {
        var background = x.narrow(2, 0, 1).narrow(3, 0, 1);
        var foreground = ((x - background).abs().sum(1, keepdim: true) * 5f).clamp(0f, 1f);
        var weight = 1f + (foreground * ForegroundWeight);
        var error = recon - x;
        var pixels = ((error.abs() + error.square()) * weight).mean();
        var height = x.shape[2];
        var width = x.shape[3];
        var reconDx = recon.narrow(3, 1, width - 1) - recon.narrow(3, 0, width - 1);
        var targetDx = x.narrow(3, 1, width - 1) - x.narrow(3, 0, width - 1);
        var reconDy = recon.narrow(2, 1, height - 1) - recon.narrow(2, 0, height - 1);
        var targetDy = x.narrow(2, 1, height - 1) - x.narrow(2, 0, height - 1);
        var edges = F.l1_loss(reconDx, targetDx) + F.l1_loss(reconDy, targetDy);
        return pixels + (edges * EdgeWeight);
    }

    private static (double Loss, int Steps) Run(string stage, int steps, TorchSharp.Modules.Parameter[] parameters, Func<Tensor> loss, double peak, TimeSpan? budget = null)
    {
        var optimizer = optim.AdamW(parameters, lr: peak, weight_decay: 0.0);
        var clock = Stopwatch.StartNew();
        var running = double.NaN;
        for (var step = 0; step < steps; step++)
        {
            if (budget is { } limit && step == 20)
            {
                steps = Math.Clamp((int)(limit.TotalSeconds / (clock.Elapsed.TotalSeconds / 20)), 21, steps);
                TrainingLog.Write(string.Create(CultureInfo.InvariantCulture, $"{stage}: {clock.Elapsed.TotalSeconds / 20:F3} s/step measured; {steps} steps fit in {limit.TotalMinutes:F0} min"));
            }

            ThreadGovernor.Adjust(step);
            using var scope = NewDisposeScope();
            var lr = CosineSchedule.LearningRate(step, steps, peak, Math.Min(50, steps / 10 + 1));
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }

            optimizer.zero_grad();
            var value = loss();
            value.backward();
            optimizer.step();
            var scalar = value.item<float>();
            running = double.IsNaN(running) ? scalar : (0.95 * running) + (0.05 * scalar);
            if (step % 50 == 0 || step == steps - 1)
            {
                TrainingLog.Write(string.Create(CultureInfo.InvariantCulture, $"{stage} step {step + 1}/{steps} loss {running:F4} lr {lr:E2} {(step + 1) / clock.Elapsed.TotalSeconds:F2} it/s"));
            }
        }

        return (running, steps);
    }
}
