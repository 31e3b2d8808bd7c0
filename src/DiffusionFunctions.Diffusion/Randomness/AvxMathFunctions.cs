using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DiffusionFunctions.Diffusion.Randomness;

/// <summary>
/// Scalar float32 replicas of the Cephes-based <c>log256_ps</c> and <c>sincos256_ps</c> that PyTorch's AVX2 <c>normal_fill</c>
/// uses (<c>aten/src/ATen/native/cpu/avx_mathfun.h</c>, after Julien Pommier's <c>sse_mathfun</c>). Reproducing their exact
/// operation order, rather than calling <see cref="MathF"/>, is what makes large <c>randn</c> draws bit-identical to torch
/// on x86 CPUs; <see cref="MathF.Log(float)"/> differs from them in the last bit for some inputs.
/// </summary>
/// <remarks>
/// GCC builds PyTorch's AVX2 kernels with <c>-mfma</c> and contracts each multiply that feeds an add into a fused
/// multiply-add, so the polynomials here use <see cref="MathF.FusedMultiplyAdd(float, float, float)"/> where the compiled
/// code does. Checked against 400,000 values from torch 1.13's AVX2 build: the fused polynomial steps (log and sincos
/// Horner chains, <c>y*z + e*q1</c>, <c>c*z - z/2</c>, <c>s*x + x</c>) are each needed for a bit-exact match; fusing the
/// range reduction and the last two log additions, as GCC also does, changes none of those values.
/// </remarks>
internal static class AvxMathFunctions
{
    private const float SqrtHalf = (float)0.707106781186547524;
    private const float LogP0 = (float)7.0376836292E-2;
    private const float LogP1 = (float)-1.1514610310E-1;
    private const float LogP2 = (float)1.1676998740E-1;
    private const float LogP3 = (float)-1.2420140846E-1;
    private const float LogP4 = (float)1.4249322787E-1;
    private const float LogP5 = (float)-1.6668057665E-1;
    private const float LogP6 = (float)2.0000714765E-1;
    private const float LogP7 = (float)-2.4999993993E-1;
    private const float LogP8 = (float)3.3333331174E-1;
    private const float LogQ1 = (float)-2.12194440e-4;
    private const float LogQ2 = (float)0.693359375;

    private const float MinusDp1 = (float)-0.78515625;
    private const float MinusDp2 = (float)-2.4187564849853515625e-4;
    private const float MinusDp3 = (float)-3.77489497744594108e-8;
    private const float SinP0 = (float)-1.9515295891E-4;
    private const float SinP1 = (float)8.3321608736E-3;
    private const float SinP2 = (float)-1.6666654611E-1;
    private const float CosP0 = (float)2.443315711809948E-005;
    private const float CosP1 = (float)-1.388731625493765E-003;
    private const float CosP2 = (float)4.166664568298827E-002;
    private const float FourOverPi = (float)1.27323954473516;

    /// <summary>Natural logarithm of a positive normal float, as the compiled <c>log256_ps</c> computes it.</summary>
    public static float Log(float x)
    {
        x = Math.Max(x, BitConverter.Int32BitsToSingle(0x00800000));
        var bits = BitConverter.SingleToInt32Bits(x);
        var exponent = (bits >>> 23) - 0x7f;
        x = BitConverter.Int32BitsToSingle((bits & ~0x7f800000) | BitConverter.SingleToInt32Bits(0.5f));
        var e = exponent + 1.0f;

        var below = x < SqrtHalf;
        var tmp = below ? x : 0.0f;
        x -= 1.0f;
        e -= below ? 1.0f : 0.0f;
        x += tmp;

        var z = x * x;
        var y = LogP0;
        y = MathF.FusedMultiplyAdd(y, x, LogP1);
        y = MathF.FusedMultiplyAdd(y, x, LogP2);
        y = MathF.FusedMultiplyAdd(y, x, LogP3);
        y = MathF.FusedMultiplyAdd(y, x, LogP4);
        y = MathF.FusedMultiplyAdd(y, x, LogP5);
        y = MathF.FusedMultiplyAdd(y, x, LogP6);
        y = MathF.FusedMultiplyAdd(y, x, LogP7);
        y = MathF.FusedMultiplyAdd(y, x, LogP8);
        y *= x;
        y = MathF.FusedMultiplyAdd(y, z, e * LogQ1);
        y = MathF.FusedMultiplyAdd(-z, 0.5f, y);
        x += y;
        return MathF.FusedMultiplyAdd(e, LogQ2, x);
    }

    /// <summary>Sine and cosine of a non-negative float, as <c>sincos256_ps</c> computes them.</summary>
    public static void SinCos(float x, out float sin, out float cos)
    {
        var signSin = BitConverter.SingleToInt32Bits(x) & unchecked((int)0x80000000);
        x = MathF.Abs(x);

        var j = (int)(x * FourOverPi);
        j = (j + 1) & ~1;
        var y = (float)j;

        var swapSignSin = (j & 4) << 29;
        var sinPolynomial = (j & 2) == 0;
        var signCos = (~(j - 2) & 4) << 29;
        signSin ^= swapSignSin;

        x = MathF.FusedMultiplyAdd(y, MinusDp1, x);
        x = MathF.FusedMultiplyAdd(y, MinusDp2, x);
        x = MathF.FusedMultiplyAdd(y, MinusDp3, x);

        var z = x * x;
        var c = MathF.FusedMultiplyAdd(CosP0, z, CosP1);
        c = MathF.FusedMultiplyAdd(c, z, CosP2);
        c *= z;
        c = MathF.FusedMultiplyAdd(c, z, -(z * 0.5f));
        c += 1.0f;

        var s = MathF.FusedMultiplyAdd(SinP0, z, SinP1);
        s = MathF.FusedMultiplyAdd(s, z, SinP2);
        s *= z;
        s = MathF.FusedMultiplyAdd(s, x, x);

        var sinValue = sinPolynomial ? s : c;
        var cosValue = sinPolynomial ? c : s;
        sin = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(sinValue) ^ signSin);
        cos = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(cosValue) ^ signCos);
    }

    /// <summary><see cref="Log(float)"/> on eight lanes with AVX2 + FMA; the same operations, so the same bits.</summary>
    public static Vector256<float> Log(Vector256<float> x)
    {
        var one = Vector256.Create(1.0f);
        x = Avx.Max(x, Vector256.Create(BitConverter.Int32BitsToSingle(0x00800000)));
        var bits = x.AsInt32();
        var exponent = Avx2.Subtract(Avx2.ShiftRightLogical(bits, 23), Vector256.Create(0x7f));
        x = Avx2.Or(Avx2.And(bits, Vector256.Create(~0x7f800000)), Vector256.Create(0.5f).AsInt32()).AsSingle();
        var e = Avx.Add(Avx.ConvertToVector256Single(exponent), one);

        var below = Avx.Compare(x, Vector256.Create(SqrtHalf), FloatComparisonMode.OrderedLessThanSignaling);
        var tmp = Avx.And(x, below);
        x = Avx.Subtract(x, one);
        e = Avx.Subtract(e, Avx.And(one, below));
        x = Avx.Add(x, tmp);

        var z = Avx.Multiply(x, x);
        var y = Vector256.Create(LogP0);
        y = Fma.MultiplyAdd(y, x, Vector256.Create(LogP1));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(LogP2));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(LogP3));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(LogP4));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(LogP5));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(LogP6));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(LogP7));
        y = Fma.MultiplyAdd(y, x, Vector256.Create(LogP8));
        y = Avx.Multiply(y, x);
        y = Fma.MultiplyAdd(y, z, Avx.Multiply(e, Vector256.Create(LogQ1)));
        y = Fma.MultiplyAddNegated(z, Vector256.Create(0.5f), y);
        x = Avx.Add(x, y);
        return Fma.MultiplyAdd(e, Vector256.Create(LogQ2), x);
    }

    /// <summary><see cref="SinCos(float, out float, out float)"/> on eight lanes with AVX2 + FMA.</summary>
    public static void SinCos(Vector256<float> x, out Vector256<float> sin, out Vector256<float> cos)
    {
        var signMask = Vector256.Create(unchecked((int)0x80000000)).AsSingle();
        var signSin = Avx.And(x, signMask).AsInt32();
        x = Avx.AndNot(signMask, x);

        var j = Avx.ConvertToVector256Int32WithTruncation(Avx.Multiply(x, Vector256.Create(FourOverPi)));
        j = Avx2.And(Avx2.Add(j, Vector256.Create(1)), Vector256.Create(~1));
        var y = Avx.ConvertToVector256Single(j);

        var swapSignSin = Avx2.ShiftLeftLogical(Avx2.And(j, Vector256.Create(4)), 29);
        var sinPolynomial = Avx2.CompareEqual(Avx2.And(j, Vector256.Create(2)), Vector256<int>.Zero).AsSingle();
        var signCos = Avx2.ShiftLeftLogical(Avx2.AndNot(Avx2.Subtract(j, Vector256.Create(2)), Vector256.Create(4)), 29);
        signSin = Avx2.Xor(signSin, swapSignSin);

        x = Fma.MultiplyAdd(y, Vector256.Create(MinusDp1), x);
        x = Fma.MultiplyAdd(y, Vector256.Create(MinusDp2), x);
        x = Fma.MultiplyAdd(y, Vector256.Create(MinusDp3), x);

        var z = Avx.Multiply(x, x);
        var c = Fma.MultiplyAdd(Vector256.Create(CosP0), z, Vector256.Create(CosP1));
        c = Fma.MultiplyAdd(c, z, Vector256.Create(CosP2));
        c = Avx.Multiply(c, z);
        c = Fma.MultiplyAdd(c, z, Avx.Xor(Avx.Multiply(z, Vector256.Create(0.5f)), signMask));
        c = Avx.Add(c, Vector256.Create(1.0f));

        var s = Fma.MultiplyAdd(Vector256.Create(SinP0), z, Vector256.Create(SinP1));
        s = Fma.MultiplyAdd(s, z, Vector256.Create(SinP2));
        s = Avx.Multiply(s, z);
        s = Fma.MultiplyAdd(s, x, x);

        var sinValue = Avx.BlendVariable(c, s, sinPolynomial);
        var cosValue = Avx.BlendVariable(s, c, sinPolynomial);
        sin = Avx.Xor(sinValue, signSin.AsSingle());
        cos = Avx.Xor(cosValue, signCos.AsSingle());
    }
}
