using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DiffusionFunctions.Diffusion.Randomness;

/// <summary>
/// Reproduces PyTorch's CPU generator: <c>torch.Generator("cpu").manual_seed(seed)</c> followed by <c>torch.randn(n)</c> in
/// float32 gives the same numbers as <see cref="FillNormal"/> over <c>n</c> elements, and successive calls continue the
/// stream as successive <c>randn</c> calls on one generator do. The one seeded generator behind initial latents, ancestral
/// noise and VAE sampling. Not thread-safe.
/// </summary>
/// <remarks>
/// Follows <c>aten/src/ATen/CPUGeneratorImpl.cpp</c> (mt19937, <c>random64</c> = two draws, high word first),
/// <c>aten/src/ATen/native/cpu/DistributionKernels.cpp</c> (<c>normal_kernel</c>: tensors of at least 16 float elements
/// take <c>normal_fill</c>, smaller ones <c>at::normal_distribution&lt;double&gt;</c>) and
/// <c>aten/src/ATen/core/DistributionsHelper.h</c> / <c>TransformationHelper.h</c> for the uniform and Box-Muller arithmetic.
/// </remarks>
public sealed class TorchGenerator : INoiseSource
{
    private const int ChunkSize = 16;
    private const int HalfChunk = 8;
    private const float UniformFloatScale = 1.0f / (1 << 24);
    private const double UniformDoubleScale = 1.0 / (1L << 53);
    private const float TwoPi = (float)(2.0 * Math.PI);

    private readonly MersenneTwister19937 _engine;
    private double? _nextDoubleNormal;

    /// <summary>Creates a generator as <c>torch.Generator("cpu").manual_seed(seed)</c>; negative seeds wrap as in PyTorch.</summary>
    public TorchGenerator(long seed)
        : this(unchecked((ulong)seed))
    {
    }

    /// <summary>Creates a generator as <c>torch.Generator("cpu").manual_seed(seed)</c> for a seed up to 2^64 - 1.</summary>
    public TorchGenerator(ulong seed)
    {
        InitialSeed = seed;
        _engine = new MersenneTwister19937(seed);
    }

    /// <summary>The seed, as <c>Generator.initial_seed()</c> reports it.</summary>
    public ulong InitialSeed { get; }

    /// <summary>Draws a new float32 tensor of <paramref name="count"/> standard normal values (one <c>torch.randn(count)</c> call).</summary>
    public float[] Randn(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new float[count];
        FillNormal(result);
        return result;
    }

    /// <summary>Fills <paramref name="destination"/> as one <c>torch.randn</c> call of that many float32 elements (any shape, contiguous).</summary>
    public void FillNormal(Span<float> destination)
    {
        if (destination.Length >= ChunkSize)
        {
            FillNormalVectorised(destination);
        }
        else
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = (float)NextDoubleNormal();
            }
        }
    }

    /// <summary>The next 32-bit output of the engine (<c>generator.random()</c>).</summary>
    internal uint NextUInt32() => _engine.NextUInt32();

    /// <summary>The next 64-bit output: two engine draws, the first as the high word (<c>random64</c>).</summary>
    internal ulong NextUInt64()
    {
        ulong hi = _engine.NextUInt32();
        ulong lo = _engine.NextUInt32();
        return (hi << 32) | lo;
    }

    // normal_fill: every element first gets a 24-bit uniform float in [0, 1); then each block of 16 becomes 8 Box-Muller
    // pairs (u1 from the first 8, u2 from the last 8); a ragged tail redraws 16 fresh uniforms over the last 16 elements.
    private void FillNormalVectorised(Span<float> data)
    {
        FillUniform(data);
        for (var i = 0; i + ChunkSize <= data.Length; i += ChunkSize)
        {
            BoxMuller16(data.Slice(i, ChunkSize));
        }

        if (data.Length % ChunkSize != 0)
        {
            var tail = data[^ChunkSize..];
            FillUniform(tail);
            BoxMuller16(tail);
        }
    }

    // The engine's words are written into the float buffer itself, then turned into (u & 0xFFFFFF) / 2^24 in place.
    private void FillUniform(Span<float> data)
    {
        var words = MemoryMarshal.Cast<float, uint>(data);
        _engine.Fill(words);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (words[i] & 0xFFFFFF) * UniformFloatScale;
        }
    }

    // normal_fill_16_AVX2: u1 = 1 - first eight (so log never sees 0), u2 = last eight, theta in float32 with the
    // float constant 2*pi, and the Cephes log/sincos of avx_mathfun.h; mean 0 and std 1 make the final fmadd exact.
    // The eight-lane path and the scalar path perform the same IEEE operations and give the same bits.
    private static void BoxMuller16(Span<float> data)
    {
        if (Avx2.IsSupported && Fma.IsSupported)
        {
            ref var first = ref MemoryMarshal.GetReference(data);
            var u1 = Avx.Subtract(Vector256.Create(1.0f), Vector256.LoadUnsafe(ref first));
            var u2 = Vector256.LoadUnsafe(ref first, HalfChunk);
            var radius = Avx.Sqrt(Avx.Multiply(Vector256.Create(-2.0f), AvxMathFunctions.Log(u1)));
            AvxMathFunctions.SinCos(Avx.Multiply(Vector256.Create(TwoPi), u2), out var sin, out var cos);
            Avx.Multiply(radius, cos).StoreUnsafe(ref first);
            Avx.Multiply(radius, sin).StoreUnsafe(ref first, HalfChunk);
            return;
        }

        for (var j = 0; j < HalfChunk; j++)
        {
            var u1 = 1.0f - data[j];
            var u2 = data[j + HalfChunk];
            var radius = MathF.Sqrt(-2.0f * AvxMathFunctions.Log(u1));
            var theta = TwoPi * u2;
            AvxMathFunctions.SinCos(theta, out var sin, out var cos);
            data[j] = radius * cos;
            data[j + HalfChunk] = radius * sin;
        }
    }

    private double NextUniformDouble() => (NextUInt64() & ((1UL << 53) - 1)) * UniformDoubleScale;

    // at::normal_distribution<double>: returns the cached second value of the last Box-Muller pair if there is one.
    private double NextDoubleNormal()
    {
        if (_nextDoubleNormal is { } cached)
        {
            _nextDoubleNormal = null;
            return cached;
        }

        var u1 = NextUniformDouble();
        var u2 = NextUniformDouble();
        // torch 2.x writes log1p(-u2), 1.x log(1 - u2): with u2 a multiple of 2^-53, 1 - u2 is exact, so both agree.
        var r = Math.Sqrt(-2.0 * Math.Log(1.0 - u2));
        var theta = 2.0 * Math.PI * u1;
        _nextDoubleNormal = r * Math.Sin(theta);
        return r * Math.Cos(theta);
    }
}
