using System.Diagnostics;
using System.Globalization;
using DiffusionFunctions.ModelGeneration.Trained;
using DiffusionFunctions.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace DiffusionFunctions.Training.Training;

/// <summary>
/// Stage 2: the text encoder and UNet together, on latents encoded once up front. Epsilon prediction, uniform
/// timesteps, 10% caption dropout to the empty prompt (the unconditional input of classifier-free guidance), min-SNR
/// weighting, AdamW with warm-up and cosine decay, and an exponential moving average of both networks' weights.
/// </summary>
internal sealed class DiffusionTrainer
{
    public const double CaptionDropout = 0.1;

    private readonly ParameterBag unet;
    private readonly ParameterBag text;
    private readonly TrainedModelArchitecture architecture;
    private readonly TextEncoderNetwork textNetwork;

    public DiffusionTrainer(ParameterBag unet, ParameterBag text, TrainedModelArchitecture architecture, TextEncoderNetwork textNetwork)
    {
        this.unet = unet;
        this.text = text;
        this.architecture = architecture;
        this.textNetwork = textNetwork;
    }

    /// <summary>Builds all parameters with one forward pass on a dummy batch (so the optimizer sees them).</summary>
    public void Materialise(Tensor emptyIds)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var context = textNetwork.Forward(text, emptyIds.unsqueeze(0));
        UnetNetwork.Forward(unet, architecture.Unet, zeros(1, 4, 8, 8), zeros(1), context);
    }

    /// <summary>
    /// Trains for <paramref name="steps"/> steps, or, when <paramref name="budget"/> is given, for as many steps as fit
    /// in it at the speed measured over the first 30 steps (the cosine schedule is then laid over that count).
    /// Returns the EMA shadows, the final smoothed loss and the number of steps run.
    /// </summary>
    public (ParameterBag UnetEma, ParameterBag TextEma, double Loss, int Steps) Train(
        Tensor latents, Tensor ids, Tensor emptyIds, int steps, TimeSpan? budget, int batch, double peak, double emaDecay, Action<int, ParameterBag, ParameterBag>? checkpoint)
    {
        using var schedule = new NoiseSchedule();
        Materialise(emptyIds);
        var unetEma = unet.CloneFrozen();
        var textEma = text.CloneFrozen();
        var optimizer = optim.AdamW([.. unet.Tensors, .. text.Tensors], lr: peak, weight_decay: 0.01);
        var count = latents.shape[0];
        var clock = Stopwatch.StartNew();
        var running = double.NaN;
        var total = steps;
        const int Warmup = 100;
        for (var step = 0; step < total; step++)
        {
            if (budget is { } limit && step == 30)
            {
                var perStep = clock.Elapsed.TotalSeconds / 30;
                total = Math.Max(31, (int)(limit.TotalSeconds / perStep));
                TrainingLog.Write(string.Create(CultureInfo.InvariantCulture, $"unet: {perStep:F3} s/step measured; {total} steps fit in {limit.TotalMinutes:F0} min"));
            }

            ThreadGovernor.Adjust(step);
            using var scope = NewDisposeScope();
            var lr = CosineSchedule.LearningRate(step, total, peak, Warmup);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }

            using var index = randint(count, [batch], dtype: ScalarType.Int64);
            var x0 = latents.index_select(0, index);
            var batchIds = ids.index_select(0, index);
            var drop = (rand(batch) < CaptionDropout).unsqueeze(1);
            batchIds = where(drop, emptyIds.unsqueeze(0).expand(batch, -1), batchIds);
            var t = randint(NoiseSchedule.TrainSteps, [batch], dtype: ScalarType.Int64);
            var noise = randn_like(x0);
            var xt = (schedule.SqrtAlphaBar.index_select(0, t).reshape(-1, 1, 1, 1) * x0) + (schedule.SqrtOneMinusAlphaBar.index_select(0, t).reshape(-1, 1, 1, 1) * noise);

            optimizer.zero_grad();
            var context = textNetwork.Forward(text, batchIds);
            var prediction = UnetNetwork.Forward(unet, architecture.Unet, xt, t.to_type(ScalarType.Float32), context);
            var perSample = (prediction - noise).square().mean([1, 2, 3]);
            var loss = (perSample * schedule.MinSnrWeight.index_select(0, t)).mean();
            loss.backward();
            nn.utils.clip_grad_norm_([.. unet.Tensors, .. text.Tensors], 1.0);
            optimizer.step();

            var decay = Math.Min(emaDecay, (1.0 + step) / (10.0 + step));
            using (no_grad())
            {
                Ema(unetEma, unet, decay);
                Ema(textEma, text, decay);
            }

            var value = loss.item<float>();
            running = double.IsNaN(running) ? value : (0.98 * running) + (0.02 * value);
            if (step % 100 == 0 || step == total - 1)
            {
                TrainingLog.Write(string.Create(CultureInfo.InvariantCulture, $"unet step {step + 1}/{total} loss {running:F4} lr {lr:E2} {(step + 1) / clock.Elapsed.TotalSeconds:F2} it/s"));
            }

            if (checkpoint is not null && step > 0 && step % 1000 == 0)
            {
                checkpoint(step, unetEma, textEma);
            }
        }

        return (unetEma, textEma, running, total);
    }

    private static void Ema(ParameterBag shadow, ParameterBag live, double decay)
    {
        foreach (var name in live.Names)
        {
            shadow[name].mul_(decay).add_(live[name].detach(), alpha: 1 - decay);
        }
    }
}
