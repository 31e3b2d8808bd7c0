using DiffusionFunctions.Diffusion.Randomness;
using DiffusionFunctions.Diffusion.Schedulers;

namespace DiffusionFunctions.Diffusion.Tests.Schedulers;

/// <summary>
/// The contract every sampler keeps (after diffusers' <c>SchedulerCommonTest</c>): creation by name, config round-trip,
/// step shape and aliasing, bit-identical reruns for one seed, timestep and img2img-strength behaviour, and clear errors.
/// Each sampler runs it through a sealed subclass below.
/// </summary>
public abstract class SchedulerContractTests
{
    private const int LatentLength = 4 * 64 * 64;

    /// <summary>The API name under test.</summary>
    protected abstract string SchedulerName { get; }

    /// <summary>A Stable Diffusion 1.x style configuration unless a sampler needs another.</summary>
    protected virtual SchedulerConfig Config => new()
    {
        ClassName = "PNDMScheduler",
        BetaStart = 0.00085,
        BetaEnd = 0.012,
        BetaSchedule = BetaScheduleKind.ScaledLinear,
        SkipPrkSteps = true,
        StepsOffset = 1,
        SetAlphaToOne = false,
        ClipSample = false,
    };

    /// <summary>Whether the sampler draws noise in <see cref="IScheduler.Step"/>.</summary>
    protected virtual bool IsStochastic => false;

    /// <summary>How many timesteps <see cref="IScheduler.SetTimesteps"/> yields for <paramref name="steps"/>.</summary>
    protected virtual int ExpectedTimestepCount(int steps) => steps;

    [Fact]
    public void Factory_creates_the_named_sampler_from_the_config()
    {
        var scheduler = Create();

        Assert.Equal(SchedulerName, scheduler.Name);
        Assert.Equal(1, scheduler.Order);
        Assert.True(scheduler.InitNoiseSigma is > 0 and < float.PositiveInfinity);
        Assert.Equal(Config.NumTrainTimesteps, scheduler.Config.NumTrainTimesteps);
    }

    [Fact]
    public void Config_round_trips_through_scheduler_config_json()
    {
        var scheduler = Create();

        var parsed = SchedulerConfig.Parse(scheduler.Config.ToJson());

        Assert.Equal(scheduler.Config, parsed);
        var again = SchedulerFactory.Create(SchedulerName, parsed);
        scheduler.SetTimesteps(20);
        again.SetTimesteps(20);
        Assert.Equal(scheduler.Timesteps, again.Timesteps);
    }

    [Fact]
    public void Set_timesteps_gives_a_descending_schedule_within_the_training_range()
    {
        var scheduler = Create();

        scheduler.SetTimesteps(25);

        Assert.Equal(ExpectedTimestepCount(25), scheduler.Timesteps.Count);
        Assert.All(scheduler.Timesteps, t => Assert.InRange(t, 0f, Config.NumTrainTimesteps - 1));
        for (var i = 1; i < scheduler.Timesteps.Count; i++)
        {
            Assert.True(scheduler.Timesteps[i] <= scheduler.Timesteps[i - 1], $"timestep {i} rises");
        }
    }

    [Fact]
    public void Step_keeps_the_shape_and_in_place_buffers_give_the_same_result()
    {
        var separate = Run(Create(), seed: 7, inPlace: false);
        var inPlace = Run(Create(), seed: 7, inPlace: true);

        Assert.Equal(LatentLength, separate.Length);
        Assert.Equal(separate, inPlace);
        Assert.All(separate, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_output_across_runs()
    {
        var first = Run(Create(), seed: 1234, inPlace: true);
        var second = Run(Create(), seed: 1234, inPlace: true);

        Assert.Equal(first.Select(BitConverter.SingleToInt32Bits), second.Select(BitConverter.SingleToInt32Bits));
        Assert.NotEqual(first, Run(Create(), seed: 1235, inPlace: true));
    }

    [Fact]
    public void Only_stochastic_samplers_draw_from_the_generator_while_stepping()
    {
        var scheduler = Create();
        scheduler.SetTimesteps(10);
        var generator = new TorchGenerator(5);
        var sample = new TorchGenerator(6).Randn(LatentLength);
        var output = new float[LatentLength];
        foreach (var t in scheduler.Timesteps)
        {
            scheduler.ScaleModelInput(sample, t, output);
            DiffusersDummies.Model(output, t, output);
            scheduler.Step(output, t, sample, sample, generator);
        }

        // An untouched generator continues with the same values as a fresh one.
        var untouched = new TorchGenerator(5).Randn(16).SequenceEqual(generator.Randn(16));
        Assert.Equal(!IsStochastic, untouched);
    }

    [Fact]
    public void Rerunning_set_timesteps_resets_the_step_state()
    {
        var scheduler = Create();
        var first = Run(scheduler, seed: 3, inPlace: true);

        var second = Run(scheduler, seed: 3, inPlace: true);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Strength_keeps_the_tail_of_the_schedule_and_runs_from_there()
    {
        var scheduler = Create();
        scheduler.SetTimesteps(10);
        var full = scheduler.Timesteps.ToArray();

        var start = scheduler.SetTimestepsForStrength(10, 0.6f);

        var expectedStart = ExpectedStrengthStart(10, 0.6f);
        Assert.Equal(expectedStart, start);
        if (expectedStart > 0)
        {
            Assert.Equal(full.Skip(start), scheduler.Timesteps.Skip(start));
        }

        var generator = new TorchGenerator(11);
        var sample = generator.Randn(LatentLength);
        var noise = generator.Randn(LatentLength);
        var output = new float[LatentLength];
        scheduler.AddNoise(sample, noise, scheduler.Timesteps[start], sample);
        foreach (var t in scheduler.Timesteps.Skip(start))
        {
            scheduler.ScaleModelInput(sample, t, output);
            DiffusersDummies.Model(output, t, output);
            scheduler.Step(output, t, sample, sample, generator);
        }

        Assert.All(sample, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.5f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void Strength_outside_zero_to_one_is_refused(float strength)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create().SetTimestepsForStrength(10, strength));
    }

    [Fact]
    public void A_model_output_of_the_wrong_length_is_refused_naming_it()
    {
        var scheduler = Create();
        scheduler.SetTimesteps(10);
        var sample = new float[LatentLength];

        var error = Assert.Throws<ArgumentException>(
            () => scheduler.Step(new float[LatentLength - 1], scheduler.Timesteps[0], sample, sample, new TorchGenerator(0)));

        Assert.Equal("modelOutput", error.ParamName);
    }

    [Fact]
    public void A_bad_config_value_is_an_error_naming_its_key()
    {
        var json = Config.ToJson().Replace("\"prediction_type\": \"epsilon\"", "\"prediction_type\": \"noise\"", StringComparison.Ordinal);

        var error = Assert.Throws<SchedulerConfigException>(() => SchedulerConfig.Parse(json));

        Assert.Equal("prediction_type", error.Key);
        Assert.Contains("v_prediction", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_name_is_an_error_listing_the_valid_names()
    {
        var error = Assert.Throws<ArgumentException>(() => SchedulerFactory.Create(SchedulerName + "-x", Config));

        Assert.All(SchedulerFactory.Names, name => Assert.Contains(name, error.Message, StringComparison.Ordinal));
    }

    /// <summary>Whether the last step goes to the clean sample, so its output is that step's x̂_0.</summary>
    protected virtual bool LastStepLandsOnPrediction => false;

    [Fact]
    public void Predicting_the_original_sample_leaves_the_run_unchanged()
    {
        var plain = Run(Create(), seed: 21, inPlace: true);
        var predictions = new List<float[]>();

        var observed = Run(Create(), seed: 21, inPlace: true, predictions);

        Assert.Equal(plain, observed);
        Assert.Equal(ExpectedTimestepCount(10), predictions.Count);
        Assert.All(predictions, p => Assert.All(p, v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void The_last_step_to_a_clean_sample_returns_the_predicted_original()
    {
        var predictions = new List<float[]>();
        var result = Run(Create(), seed: 22, inPlace: true, predictions);

        var last = predictions[^1];
        var differences = result.Select((v, i) => Math.Abs(v - last[i])).Max();
        if (LastStepLandsOnPrediction)
        {
            Assert.InRange(differences, 0, 1e-4);
        }
        else
        {
            Assert.True(differences > 1e-4, $"{SchedulerName} should not end on x̂_0 with this config");
        }
    }

    /// <summary>diffusers' img2img start index: (n - min(int(n × strength), n)) × order.</summary>
    protected virtual int ExpectedStrengthStart(int steps, float strength) => steps - (int)(steps * (double)(decimal)strength);

    private IScheduler Create() => SchedulerFactory.Create(SchedulerName, Config);

    // Ten steps of the dummy model over a 4×64×64 latent drawn from the seed, the way a pipeline drives a scheduler.
    private static float[] Run(IScheduler scheduler, int seed, bool inPlace, List<float[]>? predictions = null)
    {
        scheduler.SetTimesteps(10);
        var generator = new TorchGenerator(seed);
        var sample = generator.Randn(LatentLength);
        var sigma = scheduler.InitNoiseSigma;
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] *= sigma;
        }

        var modelInput = new float[LatentLength];
        var output = new float[LatentLength];
        var next = new float[LatentLength];
        foreach (var t in scheduler.Timesteps)
        {
            scheduler.ScaleModelInput(sample, t, modelInput);
            DiffusersDummies.Model(modelInput, t, output);
            if (predictions is not null)
            {
                var predicted = new float[LatentLength];
                ((IOriginalSamplePredictor)scheduler).PredictOriginalSample(output, t, sample, predicted);
                predictions.Add(predicted);
            }

            if (inPlace)
            {
                scheduler.Step(output, t, sample, sample, generator);
            }
            else
            {
                scheduler.Step(output, t, sample, next, generator);
                (sample, next) = (next, sample);
            }
        }

        return sample;
    }
}

public sealed class PndmContractTests : SchedulerContractTests
{
    protected override string SchedulerName => "pndm";

    // skip_prk_steps repeats the second timestep.
    protected override int ExpectedTimestepCount(int steps) => steps + 1;
}

public sealed class PndmWithPrkContractTests : SchedulerContractTests
{
    protected override string SchedulerName => "pndm";

    protected override SchedulerConfig Config => base.Config with { SkipPrkSteps = false };

    // Twelve Runge-Kutta sub-steps over the last four timesteps, then the remaining n - 3 linear multistep ones.
    protected override int ExpectedTimestepCount(int steps) => 12 + steps - 3;
}

public sealed class DdimContractTests : SchedulerContractTests
{
    protected override string SchedulerName => "ddim";
}

public sealed class EulerContractTests : SchedulerContractTests
{
    protected override bool LastStepLandsOnPrediction => true;

    protected override string SchedulerName => "euler";
}

public sealed class EulerAncestralContractTests : SchedulerContractTests
{
    protected override bool LastStepLandsOnPrediction => true;

    protected override string SchedulerName => "euler-ancestral";

    protected override bool IsStochastic => true;
}

public sealed class LmsContractTests : SchedulerContractTests
{
    protected override string SchedulerName => "lms";
}

public sealed class DpmSolverContractTests : SchedulerContractTests
{
    protected override bool LastStepLandsOnPrediction => true;

    protected override string SchedulerName => "dpm++-2m";
}

public sealed class DpmSolverKarrasContractTests : SchedulerContractTests
{
    protected override bool LastStepLandsOnPrediction => true;

    protected override string SchedulerName => "dpm++-2m-karras";
}

public sealed class LcmContractTests : SchedulerContractTests
{
    protected override bool LastStepLandsOnPrediction => true;

    protected override string SchedulerName => "lcm";

    protected override bool IsStochastic => true;

    // LCM puts the strength into its schedule and always starts at index 0.
    protected override int ExpectedStrengthStart(int steps, float strength) => 0;
}

public sealed class DdpmContractTests : SchedulerContractTests
{
    protected override bool LastStepLandsOnPrediction => true;

    protected override string SchedulerName => "ddpm";

    protected override bool IsStochastic => true;
}
