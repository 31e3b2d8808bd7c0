using System.Globalization;
using DiffusionFunctions.Diffusion.Randomness;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>
/// Every combination of the options each sampler implements runs whole loops (txt2img at several step counts, and img2img
/// from the middle of the schedule) without an exception: issue 15 found DPM-Solver++ with Karras sigmas on the cosine
/// schedule running past its last sigma. A combination a sampler refuses must be refused when it is built, by name.
/// </summary>
public sealed class SchedulerConfigurationGridTests
{
    private const int SampleLength = 2 * 4 * 2 * 2;
    private static readonly int[] StepCounts = [1, 2, 4, 16];

    private static readonly BetaScheduleKind[] Betas = [BetaScheduleKind.Linear, BetaScheduleKind.ScaledLinear, BetaScheduleKind.SquaredCosCapV2];
    private static readonly PredictionType[] Predictions = [PredictionType.Epsilon, PredictionType.VPrediction, PredictionType.Sample];
    private static readonly TimestepSpacingKind[] Spacings = [TimestepSpacingKind.Leading, TimestepSpacingKind.Trailing, TimestepSpacingKind.Linspace];
    private static readonly bool[] Flags = [false, true];

    [Fact]
    public void Every_supported_configuration_runs_whole_loops()
    {
        var failures = new List<string>();
        var ran = 0;
        foreach (var (name, config) in Configurations())
        {
            IScheduler scheduler;
            try
            {
                scheduler = SchedulerFactory.Create(name, config);
            }
            catch (SchedulerConfigException ex)
            {
                // A refused combination names its key; the only ones refused are those the README lists.
                if (!IsDocumentedRefusal(name, config, ex.Key))
                {
                    failures.Add($"{name} refused {ex.Key}: {ex.Message} | {config.ToJson().ReplaceLineEndings(" ")}");
                }

                continue;
            }

            foreach (var steps in StepCounts)
            {
                if (name == "pndm" && !config.SkipPrkSteps && steps < 4)
                {
                    // Refused before any loop: the Runge-Kutta warm-up needs four steps (README: Not supported).
                    var refusal = Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.SetTimesteps(steps));
                    Assert.Contains("skip_prk_steps", refusal.Message, StringComparison.Ordinal);
                    continue;
                }

                try
                {
                    RunTextToImage(scheduler, steps);
                    RunImageToImage(scheduler, steps, 0.6f);
                    ran++;
                }
                catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                {
                    failures.Add($"{name}, {steps} steps: {ex.GetType().Name}: {ex.Message} | {config.ToJson().ReplaceLineEndings(" ")}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures, e.g.:\n{string.Join("\n", failures.Take(10))}");
        Assert.True(ran > 10_000, string.Create(CultureInfo.InvariantCulture, $"only {ran} loops ran"));
    }

    [Theory]
    [MemberData(nameof(SchedulerNames))]
    public void Strength_that_keeps_no_step_gives_an_empty_tail_as_diffusers_does(string name)
    {
        // diffusers' get_timesteps keeps int(2 × 0.3) = 0 steps and returns an empty schedule; this threw ArgumentOutOfRange.
        // LCM folds strength into its own schedule instead (diffusers' LCMScheduler.set_timesteps takes it).
        var scheduler = SchedulerFactory.Create(name, SchedulerConfig.Default with { SkipPrkSteps = true });
        if (name == "lcm")
        {
            Assert.Equal(0, scheduler.SetTimestepsForStrength(2, 0.3f));
            Assert.NotEmpty(scheduler.Timesteps);
            return;
        }

        var start = scheduler.SetTimestepsForStrength(2, 0.3f);

        // t_start = (n - int(n × strength)) × order = 2; PLMS's schedule repeats one timestep, so diffusers' tail keeps one.
        Assert.Equal(2, start);
        Assert.Equal(name == "pndm" ? 1 : 0, scheduler.Timesteps.Skip(start).Count());
    }

    public static TheoryData<string> SchedulerNames() => new(SchedulerFactory.Names);

    private static void RunTextToImage(IScheduler scheduler, int steps)
    {
        scheduler.SetTimesteps(steps);
        var sample = Sample(scheduler.InitNoiseSigma);
        Loop(scheduler, scheduler.Timesteps, sample);
    }

    private static void RunImageToImage(IScheduler scheduler, int steps, float strength)
    {
        var start = scheduler.SetTimestepsForStrength(steps, strength);
        var timesteps = scheduler.Timesteps.Skip(start).ToArray();
        if (timesteps.Length == 0)
        {
            return;
        }

        var sample = Sample(1.0f);
        scheduler.AddNoise(sample, Sample(1.0f), timesteps[0], sample);
        Loop(scheduler, timesteps, sample);
    }

    private static void Loop(IScheduler scheduler, IReadOnlyList<float> timesteps, float[] sample)
    {
        var generator = new TorchGenerator(3);
        var scaled = new float[sample.Length];
        var output = new float[sample.Length];
        foreach (var t in timesteps)
        {
            scheduler.ScaleModelInput(sample, t, scaled);
            DiffusersDummies.Model(scaled, t, output);
            if (scheduler is IOriginalSamplePredictor predictor)
            {
                predictor.PredictOriginalSample(output, t, sample, scaled);
            }

            scheduler.Step(output, t, sample, sample, generator);
        }
    }

    private static float[] Sample(float scale)
    {
        var sample = new float[SampleLength];
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = ((i % 7) - 3) * 0.25f * scale;
        }

        return sample;
    }

    private static bool IsDocumentedRefusal(string name, SchedulerConfig config, string? key) =>
        key == "prediction_type" && config.PredictionType == PredictionType.Sample && name is "euler-ancestral" or "pndm";

    private static IEnumerable<(string Name, SchedulerConfig Config)> Configurations()
    {
        foreach (var beta in Betas)
        {
            foreach (var prediction in Predictions)
            {
                foreach (var spacing in Spacings)
                {
                    foreach (var rescale in Flags)
                    {
                        var common = SchedulerConfig.Default with
                        {
                            BetaSchedule = beta,
                            BetaStart = beta == BetaScheduleKind.ScaledLinear ? 0.00085 : null,
                            BetaEnd = beta == BetaScheduleKind.ScaledLinear ? 0.012 : null,
                            PredictionType = prediction,
                            TimestepSpacing = spacing,
                            StepsOffset = spacing == TimestepSpacingKind.Leading ? 1 : 0,
                            RescaleBetasZeroSnr = rescale,
                        };
                        foreach (var item in ForSampler(common))
                        {
                            yield return item;
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<(string, SchedulerConfig)> ForSampler(SchedulerConfig c)
    {
        foreach (var clip in Flags)
        {
            foreach (var alphaToOne in Flags)
            {
                yield return ("ddim", c with { ClipSample = clip, SetAlphaToOne = alphaToOne });
                yield return ("pndm", c with { SkipPrkSteps = clip, SetAlphaToOne = alphaToOne });
                yield return ("lcm", c with { ClipSample = clip, SetAlphaToOne = alphaToOne });
            }

            foreach (var variance in new[] { VarianceType.FixedSmall, VarianceType.FixedSmallLog, VarianceType.FixedLarge })
            {
                yield return ("ddpm", c with { ClipSample = clip, VarianceType = variance });
            }
        }

        yield return ("euler-ancestral", c);
        foreach (var karras in Flags)
        {
            yield return ("lms", c with { UseKarrasSigmas = karras });
            foreach (var interpolation in new[] { InterpolationType.Linear, InterpolationType.LogLinear })
            {
                foreach (var final in new[] { FinalSigmasType.Zero, FinalSigmasType.SigmaMin })
                {
                    yield return ("euler", c with { UseKarrasSigmas = karras, InterpolationType = interpolation, FinalSigmasType = final });
                }
            }
        }

        foreach (var (karras, lu) in new[] { (false, false), (true, false), (false, true) })
        {
            foreach (var order in new[] { 1, 2, 3 })
            {
                foreach (var algorithm in new[] { "dpmsolver++", "sde-dpmsolver++" })
                {
                    foreach (var solver in new[] { "midpoint", "heun" })
                    {
                        foreach (var lowerOrderFinal in Flags)
                        {
                            foreach (var eulerAtFinal in Flags)
                            {
                                foreach (var final in new[] { FinalSigmasType.Zero, FinalSigmasType.SigmaMin })
                                {
                                    yield return (karras ? "dpm++-2m-karras" : "dpm++-2m", c with
                                    {
                                        UseKarrasSigmas = karras,
                                        UseLuLambdas = lu,
                                        SolverOrder = order,
                                        AlgorithmType = algorithm,
                                        SolverType = solver,
                                        LowerOrderFinal = lowerOrderFinal,
                                        EulerAtFinal = eulerAtFinal,
                                        FinalSigmasType = final,
                                    });
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
