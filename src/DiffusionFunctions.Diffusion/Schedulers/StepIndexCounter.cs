namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>
/// diffusers' <c>step_index</c> / <c>begin_index</c> bookkeeping for samplers that walk a sigma array: the index is found
/// from the first timestep passed (the second match when a timestep repeats, so img2img never skips a sigma) unless
/// the pipeline set a begin index, and advances by one per step.
/// </summary>
internal sealed class StepIndexCounter
{
    /// <summary>The index of the next step, once known.</summary>
    public int? StepIndex { get; private set; }

    /// <summary>The index the pipeline starts from (img2img), if set.</summary>
    public int? BeginIndex { get; private set; }

    /// <summary>Forgets both indices (after <c>set_timesteps</c>).</summary>
    public void Reset()
    {
        StepIndex = null;
        BeginIndex = null;
    }

    /// <summary>Sets the begin index (<c>set_begin_index</c>).</summary>
    public void SetBeginIndex(int beginIndex) => BeginIndex = beginIndex;

    /// <summary>The current step index, initialising it from <paramref name="timestep"/> on the first call.</summary>
    public int Current(IReadOnlyList<float> timesteps, float timestep)
    {
        StepIndex ??= BeginIndex ?? IndexForTimestep(timesteps, timestep);
        return StepIndex.Value;
    }

    /// <summary>Moves to the next step.</summary>
    public void Advance() => StepIndex = (StepIndex ?? throw new InvalidOperationException("No step has been taken.")) + 1;

    /// <summary>The schedule index <c>add_noise</c> uses for <paramref name="timestep"/> (diffusers' three cases).</summary>
    public int IndexForNoise(IReadOnlyList<float> timesteps, float timestep) =>
        BeginIndex is null ? IndexForTimestep(timesteps, timestep) : StepIndex ?? BeginIndex.Value;

    /// <summary>The position of <paramref name="timestep"/> in <paramref name="timesteps"/> (the second when it repeats).</summary>
    /// <exception cref="ArgumentException">The timestep is not in the schedule.</exception>
    public static int IndexForTimestep(IReadOnlyList<float> timesteps, float timestep)
    {
        var first = -1;
        for (var i = 0; i < timesteps.Count; i++)
        {
            if (timesteps[i] == timestep)
            {
                if (first >= 0)
                {
                    return i;
                }

                first = i;
            }
        }

        return first >= 0
            ? first
            : throw new ArgumentException($"Timestep {timestep} is not one of the scheduler's timesteps; pass a value from Timesteps.", nameof(timestep));
    }
}
