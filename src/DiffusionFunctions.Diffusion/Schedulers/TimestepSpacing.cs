namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// Inference timesteps for each <c>timestep_spacing</c> (Lin et al. 2023, table 2), computed with numpy's arithmetic
/// (<c>np.linspace</c>, <c>np.arange</c> with a float step, round-half-to-even) so the arrays equal diffusers' exactly.
/// </summary>
internal static class TimestepSpacing
{
    /// <summary>
    /// Integer timesteps, descending, as DDPM/DDIM/PNDM compute them: linspace <c>np.linspace(0, T-1, n).round()</c>;
    /// leading <c>arange(n) * (T // n) + steps_offset</c>; trailing <c>round(arange(T, 0, -T/n)) - 1</c>.
    /// </summary>
    public static long[] Discrete(TimestepSpacingKind spacing, int numTrainTimesteps, int numInferenceSteps, int stepsOffset)
    {
        CheckSteps(numTrainTimesteps, numInferenceSteps);
        var result = new long[numInferenceSteps];
        switch (spacing)
        {
            case TimestepSpacingKind.Linspace:
                var points = NumpyLinspace(0, numTrainTimesteps - 1, numInferenceSteps);
                for (var i = 0; i < numInferenceSteps; i++)
                {
                    result[i] = (long)Math.Round(points[numInferenceSteps - 1 - i], MidpointRounding.ToEven);
                }

                return result;
            case TimestepSpacingKind.Leading:
                var ratio = numTrainTimesteps / numInferenceSteps;
                for (var i = 0; i < numInferenceSteps; i++)
                {
                    result[i] = ((long)(numInferenceSteps - 1 - i) * ratio) + stepsOffset;
                }

                return result;
            case TimestepSpacingKind.Trailing:
                return Trailing(numTrainTimesteps, numTrainTimesteps, numInferenceSteps);
            default:
                throw new SchedulerConfigException("timestep_spacing", $"unsupported value {spacing}");
        }
    }

    /// <summary>
    /// Float timesteps, descending, as the sigma samplers (Euler, Euler Ancestral, LMS) compute them: linspace is
    /// fractional (<c>np.linspace(0, T-1, n)</c> rounded to float32), leading and trailing are whole numbers.
    /// </summary>
    public static float[] Continuous(TimestepSpacingKind spacing, int numTrainTimesteps, int numInferenceSteps, int stepsOffset)
    {
        CheckSteps(numTrainTimesteps, numInferenceSteps);
        if (spacing == TimestepSpacingKind.Linspace)
        {
            var points = NumpyLinspace(0, numTrainTimesteps - 1, numInferenceSteps);
            var result = new float[numInferenceSteps];
            for (var i = 0; i < numInferenceSteps; i++)
            {
                result[i] = (float)points[numInferenceSteps - 1 - i];
            }

            return result;
        }

        return Discrete(spacing, numTrainTimesteps, numInferenceSteps, stepsOffset).Select(t => (float)t).ToArray();
    }

    /// <summary>
    /// DPM-Solver's integer timesteps, descending: linspace and leading are taken over n + 1 points with the last dropped,
    /// trailing as elsewhere (<c>scheduling_dpmsolver_multistep.py</c>). <paramref name="lastTimestep"/> is one past the
    /// highest timestep <c>lambda_min_clipped</c> keeps (<paramref name="numTrainTimesteps"/> when nothing is clipped).
    /// </summary>
    public static long[] DpmSolver(TimestepSpacingKind spacing, int numTrainTimesteps, int lastTimestep, int numInferenceSteps, int stepsOffset)
    {
        CheckSteps(numTrainTimesteps, numInferenceSteps);
        var result = new long[numInferenceSteps];
        switch (spacing)
        {
            case TimestepSpacingKind.Linspace:
                var points = NumpyLinspace(0, lastTimestep - 1, numInferenceSteps + 1);
                for (var i = 0; i < numInferenceSteps; i++)
                {
                    result[i] = (long)Math.Round(points[numInferenceSteps - i], MidpointRounding.ToEven);
                }

                return result;
            case TimestepSpacingKind.Leading:
                var ratio = lastTimestep / (numInferenceSteps + 1);
                for (var i = 0; i < numInferenceSteps; i++)
                {
                    result[i] = ((long)(numInferenceSteps - i) * ratio) + stepsOffset;
                }

                return result;
            case TimestepSpacingKind.Trailing:
                return Trailing(numTrainTimesteps, lastTimestep, numInferenceSteps);
            default:
                throw new SchedulerConfigException("timestep_spacing", $"unsupported value {spacing}");
        }
    }

    /// <summary><c>np.linspace(start, stop, num)</c> with its default endpoint: <c>i * ((stop - start) / (num - 1)) + start</c>, the last point exactly <paramref name="stop"/>.</summary>
    public static double[] NumpyLinspace(double start, double stop, int num, bool endpoint = true)
    {
        var result = new double[num];
        var div = endpoint ? num - 1 : num;
        if (div <= 0)
        {
            if (num > 0)
            {
                result[0] = start;
            }

            return result;
        }

        var step = (stop - start) / div;
        for (var i = 0; i < num; i++)
        {
            result[i] = (i * step) + start;
        }

        if (endpoint && num > 1)
        {
            result[^1] = stop;
        }

        return result;
    }

    // np.round(np.arange(start, 0, -T/n)) - 1: numpy sizes the range as ceil(start / step) and fills start + i * delta,
    // where delta is re-derived from the first two elements.
    private static long[] Trailing(int numTrainTimesteps, int start, int numInferenceSteps)
    {
        var stepRatio = (double)numTrainTimesteps / numInferenceSteps;
        var length = (int)Math.Ceiling((0.0 - start) / -stepRatio);
        var delta = (start + -stepRatio) - start;
        var result = new long[length];
        for (var i = 0; i < length; i++)
        {
            var value = i == 0 ? start : start + (i * delta);
            result[i] = (long)Math.Round(value, MidpointRounding.ToEven) - 1;
        }

        return result;
    }

    private static void CheckSteps(int numTrainTimesteps, int numInferenceSteps)
    {
        if (numInferenceSteps < 1 || numInferenceSteps > numTrainTimesteps)
        {
            throw new ArgumentOutOfRangeException(
                nameof(numInferenceSteps), numInferenceSteps, $"The number of inference steps must lie in [1, num_train_timesteps = {numTrainTimesteps}].");
        }
    }
}
