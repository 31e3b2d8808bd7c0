using DiffusionFunctions.ModelGeneration.Onnx;
using DiffusionFunctions.ModelGeneration.Weights;

namespace DiffusionFunctions.ModelGeneration.Layers;

/// <summary>
/// The basic layers of the Stable Diffusion networks, emitted as the operator patterns torch.onnx produces for them
/// (linear as MatMul + Add, GroupNorm as Reshape + InstanceNormalization + Reshape + Mul + Add, SiLU as Sigmoid * x).
/// Parameter names follow the diffusers / transformers state dicts.
/// </summary>
internal static class NeuralLayers
{
    /// <summary><c>x @ W^T + b</c> over the last axis; <c>{name}.weight</c> is <c>[out, in]</c>.</summary>
    public static string Linear(OnnxGraphBuilder g, string x, string name, long inFeatures, long outFeatures, bool bias = true, float gain = 1f)
    {
        var weight = g.Parameter($"{name}.weight", [outFeatures, inFeatures], WeightInit.FanIn(inFeatures, gain), ParameterLayout.TransposedMatrix);
        var y = g.Op("MatMul", [x, weight]);
        if (!bias)
        {
            return y;
        }

        var b = g.Parameter($"{name}.bias", [outFeatures], WeightInit.Bias);
        return g.Op("Add", [b, y]);
    }

    /// <summary>A 2-D convolution with symmetric padding; <c>{name}.weight</c> is <c>[out, in, k, k]</c>.</summary>
    public static string Conv2d(OnnxGraphBuilder g, string x, string name, long inChannels, long outChannels, int kernel, int stride = 1, int padding = 0, float gain = 1f) =>
        Conv2d(g, x, name, inChannels, outChannels, kernel, stride, [padding, padding, padding, padding], gain);

    /// <summary>A 2-D convolution with explicit ONNX pads <c>[top, left, bottom, right]</c>.</summary>
    public static string Conv2d(OnnxGraphBuilder g, string x, string name, long inChannels, long outChannels, int kernel, int stride, long[] pads, float gain = 1f)
    {
        var weight = g.Parameter($"{name}.weight", [outChannels, inChannels, kernel, kernel], WeightInit.FanIn(inChannels * kernel * kernel, gain));
        var b = g.Parameter($"{name}.bias", [outChannels], WeightInit.Bias);
        return g.Op(
            "Conv",
            [x, weight, b],
            OnnxAttribute.Ints("dilations", 1, 1),
            OnnxAttribute.Int("group", 1),
            OnnxAttribute.Ints("kernel_shape", kernel, kernel),
            OnnxAttribute.Ints("pads", pads),
            OnnxAttribute.Ints("strides", stride, stride));
    }

    /// <summary>GroupNorm over NCHW: the Reshape / InstanceNormalization / Reshape / Mul / Add form torch.onnx exports.</summary>
    public static string GroupNorm(OnnxGraphBuilder g, string x, string name, long channels, long groups, float epsilon)
    {
        if (channels % groups != 0)
        {
            throw new ArgumentException($"GroupNorm '{name}': {channels} channels do not split into {groups} groups.", nameof(groups));
        }

        var grouped = g.Op("Reshape", [x, g.Ints(0, groups, -1)]);
        var ones = g.ConstFloat(Enumerable.Repeat(1f, (int)groups).ToArray(), groups);
        var zeros = g.ConstFloat(new float[groups], groups);
        var normalized = g.Op("InstanceNormalization", [grouped, ones, zeros], OnnxAttribute.Float("epsilon", epsilon));
        var restored = g.Op("Reshape", [normalized, g.Op("Shape", [x])]);
        var gamma = g.Parameter($"{name}.weight", [channels], WeightInit.Gain, onnxDims: [channels, 1, 1]);
        var beta = g.Parameter($"{name}.bias", [channels], WeightInit.Bias, onnxDims: [channels, 1, 1]);
        return g.Op("Add", [g.Op("Mul", [restored, gamma]), beta]);
    }

    /// <summary>LayerNormalization over the last axis.</summary>
    public static string LayerNorm(OnnxGraphBuilder g, string x, string name, long features, float epsilon)
    {
        var gamma = g.Parameter($"{name}.weight", [features], WeightInit.Gain);
        var beta = g.Parameter($"{name}.bias", [features], WeightInit.Bias);
        return g.Op("LayerNormalization", [x, gamma, beta], OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", epsilon));
    }

    /// <summary>SiLU: <c>x * sigmoid(x)</c>.</summary>
    public static string Silu(OnnxGraphBuilder g, string x) => g.Op("Mul", [x, g.Op("Sigmoid", [x])]);

    /// <summary>CLIP's quick GELU: <c>x * sigmoid(1.702 x)</c>.</summary>
    public static string QuickGelu(OnnxGraphBuilder g, string x) =>
        g.Op("Mul", [x, g.Op("Sigmoid", [g.Op("Mul", [x, g.Scalar(1.702f)])])]);

    /// <summary>Exact GELU in the Erf form torch.onnx exports: <c>0.5 x (1 + erf(x / sqrt 2))</c>.</summary>
    public static string Gelu(OnnxGraphBuilder g, string x)
    {
        var erf = g.Op("Erf", [g.Op("Div", [x, g.Scalar(MathF.Sqrt(2f))])]);
        return g.Op("Mul", [g.Op("Mul", [x, g.Op("Add", [erf, g.Scalar(1f)])]), g.Scalar(0.5f)]);
    }

    /// <summary>Elementwise sum.</summary>
    public static string Add(OnnxGraphBuilder g, string a, string b) => g.Op("Add", [a, b]);
}
