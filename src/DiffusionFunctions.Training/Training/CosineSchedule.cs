namespace DiffusionFunctions.Training.Training;

/// <summary>Linear warm-up then cosine decay to <c>floor</c> x peak (Loshchilov and Hutter, SGDR).</summary>
internal static class CosineSchedule
{
    public static double LearningRate(int step, int totalSteps, double peak, int warmupSteps, double floor = 0.05)
    {
        if (step < warmupSteps)
        {
            return peak * (step + 1) / warmupSteps;
        }

        var progress = Math.Clamp((double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps), 0, 1);
        return peak * (floor + ((1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress))));
    }
}
