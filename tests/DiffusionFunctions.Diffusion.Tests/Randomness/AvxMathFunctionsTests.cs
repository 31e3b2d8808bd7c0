using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DiffusionFunctions.Diffusion.Randomness;

namespace DiffusionFunctions.Diffusion.Tests.Randomness;

/// <summary>
/// The scalar fallback of the Box-Muller math (used where AVX2/FMA is missing) gives the same bits as the eight-lane path
/// that the torch goldens exercise, over every input torch can feed it, and stays close to the exact functions.
/// </summary>
public sealed class AvxMathFunctionsTests
{
    [AvxFact]
    public void Scalar_and_vector_log_and_sincos_agree_bit_for_bit()
    {
        var lanes = new float[8];
        for (var k = 0; k < (1 << 24); k += 8 * 37)
        {
            // u1 = 1 - k/2^24 covers (0, 1]; theta = 2π k/2^24 covers [0, 2π).
            for (var lane = 0; lane < 8; lane++)
            {
                lanes[lane] = (k + (lane * 37)) * (1.0f / (1 << 24));
            }

            var u = Vector256.Create(lanes);
            var log = AvxMathFunctions.Log(Avx.Subtract(Vector256.Create(1.0f), u));
            AvxMathFunctions.SinCos(Avx.Multiply(Vector256.Create((float)(2.0 * Math.PI)), u), out var sin, out var cos);
            for (var lane = 0; lane < 8; lane++)
            {
                var x = lanes[lane];
                AvxMathFunctions.SinCos((float)(2.0 * Math.PI) * x, out var s, out var c);
                Assert.Equal(BitConverter.SingleToInt32Bits(AvxMathFunctions.Log(1.0f - x)), BitConverter.SingleToInt32Bits(log[lane]));
                Assert.Equal(BitConverter.SingleToInt32Bits(s), BitConverter.SingleToInt32Bits(sin[lane]));
                Assert.Equal(BitConverter.SingleToInt32Bits(c), BitConverter.SingleToInt32Bits(cos[lane]));
            }
        }
    }

    [Theory]
    [InlineData(1.0f)]
    [InlineData(0.5f)]
    [InlineData(0.7071f)]
    [InlineData(1e-7f)]
    [InlineData(0.999999f)]
    public void Log_is_within_two_ulps_of_the_exact_logarithm(float x)
    {
        var expected = (float)Math.Log(x);
        var actual = AvxMathFunctions.Log(x);

        Assert.InRange(Math.Abs(actual - expected), 0, 2 * Math.Max(float.Epsilon, Math.Abs(MathF.BitIncrement(expected) - expected)));
    }

    [Theory]
    [InlineData(0.0f)]
    [InlineData(0.3f)]
    [InlineData(1.5707964f)]
    [InlineData(3.1415927f)]
    [InlineData(4.5f)]
    [InlineData(6.2831855f)]
    public void SinCos_is_close_to_the_exact_functions(float x)
    {
        AvxMathFunctions.SinCos(x, out var sin, out var cos);

        Assert.InRange(Math.Abs(sin - Math.Sin(x)), 0, 3e-7);
        Assert.InRange(Math.Abs(cos - Math.Cos(x)), 0, 3e-7);
    }
}

/// <summary>A fact that is skipped, with the reason shown, on CPUs without AVX2 and FMA.</summary>
internal sealed class AvxFactAttribute : FactAttribute
{
    public AvxFactAttribute()
    {
        if (!(Avx2.IsSupported && Fma.IsSupported))
        {
            Skip = "No AVX2/FMA on this CPU: only the scalar path exists (the torch golden tests cover it).";
        }
    }
}
