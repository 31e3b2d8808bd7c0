using System.Text;
using System.Text.Json;

namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>Writes <see cref="SchedulerConfig"/> back out with diffusers' key names.</summary>
internal static class SchedulerConfigWriter
{
    public static string Write(SchedulerConfig config)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            if (config.ClassName is not null)
            {
                writer.WriteString("_class_name", config.ClassName);
            }

            writer.WriteNumber("num_train_timesteps", config.NumTrainTimesteps);
            WriteOptional(writer, "beta_start", config.BetaStart);
            WriteOptional(writer, "beta_end", config.BetaEnd);
            if (config.BetaSchedule is { } schedule)
            {
                writer.WriteString("beta_schedule", SchedulerConfigReader.JsonName(schedule));
            }

            if (config.TrainedBetas is { } trained)
            {
                writer.WriteStartArray("trained_betas");
                foreach (var beta in trained)
                {
                    writer.WriteNumberValue(beta);
                }

                writer.WriteEndArray();
            }

            writer.WriteString("prediction_type", SchedulerConfigReader.JsonName(config.PredictionType));
            if (config.TimestepSpacing is { } spacing)
            {
                writer.WriteString("timestep_spacing", SchedulerConfigReader.JsonName(spacing));
            }

            writer.WriteNumber("steps_offset", config.StepsOffset);
            writer.WriteBoolean("use_karras_sigmas", config.UseKarrasSigmas);
            if (config.SetAlphaToOne is { } setAlphaToOne)
            {
                writer.WriteBoolean("set_alpha_to_one", setAlphaToOne);
            }

            if (config.ClipSample is { } clipSample)
            {
                writer.WriteBoolean("clip_sample", clipSample);
            }

            writer.WriteNumber("clip_sample_range", config.ClipSampleRange);
            writer.WriteString("interpolation_type", SchedulerConfigReader.JsonName(config.InterpolationType));
            writer.WriteString("final_sigmas_type", SchedulerConfigReader.JsonName(config.FinalSigmasType));
            writer.WriteBoolean("skip_prk_steps", config.SkipPrkSteps);
            writer.WriteNumber("original_inference_steps", config.OriginalInferenceSteps);
            writer.WriteNumber("timestep_scaling", config.TimestepScaling);
            writer.WriteNumber("solver_order", config.SolverOrder);
            writer.WriteBoolean("lower_order_final", config.LowerOrderFinal);
            writer.WriteBoolean("euler_at_final", config.EulerAtFinal);
            writer.WriteString("variance_type", SchedulerConfigReader.JsonName(config.VarianceType));
            writer.WriteString("algorithm_type", config.AlgorithmType);
            writer.WriteString("solver_type", config.SolverType);
            writer.WriteBoolean("rescale_betas_zero_snr", config.RescaleBetasZeroSnr);
            writer.WriteBoolean("use_lu_lambdas", config.UseLuLambdas);
            if (!double.IsNegativeInfinity(config.LambdaMinClipped))
            {
                writer.WriteNumber("lambda_min_clipped", config.LambdaMinClipped);
            }

            foreach (var (key, value) in config.OtherKeys)
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteOptional(Utf8JsonWriter writer, string key, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(key, v);
        }
    }
}
