namespace DiffusionFunctions.Diffusion.Schedulers;

/// <summary>The noise levels of Karras et al. 2022 ("Elucidating the Design Space…", eq. 5) with ρ = 7, as diffusers' <c>_convert_to_karras</c>.</summary>
internal static class KarrasSigmas
{
    private const double Rho = 7.0;

    /// <summary><paramref name="count"/> sigmas from <paramref name="sigmaMax"/> down to <paramref name="sigmaMin"/>, evenly spaced in σ^(1/ρ).</summary>
    public static double[] Create(double sigmaMin, double sigmaMax, int count)
    {
        var ramp = TimestepSpacing.NumpyLinspace(0, 1, count);
        var minInvRho = Math.Pow(sigmaMin, 1 / Rho);
        var maxInvRho = Math.Pow(sigmaMax, 1 / Rho);
        var sigmas = new double[count];
        for (var i = 0; i < count; i++)
        {
            sigmas[i] = Math.Pow(maxInvRho + (ramp[i] * (minInvRho - maxInvRho)), Rho);
        }

        return sigmas;
    }
}
