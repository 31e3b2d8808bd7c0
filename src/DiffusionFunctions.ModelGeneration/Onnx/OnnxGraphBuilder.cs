using System.Runtime.InteropServices;
using DiffusionFunctions.ModelGeneration.Weights;
using Onnx;

namespace DiffusionFunctions.ModelGeneration.Onnx;

/// <summary>
/// Appends nodes, inputs, outputs and initializers to one ONNX graph. Parameters are declared by PyTorch name and
/// shape; their values come from an <see cref="IWeightProvider"/> and go straight to an <see cref="IInitializerStore"/>.
/// Without a provider the builder runs in shape-only mode: it records parameter counts and writes no data, which is how
/// the size of the full-width presets is computed without materialising them.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly string component;
    private readonly IWeightProvider? weights;
    private readonly IInitializerStore? store;
    private readonly CancellationToken cancellationToken;
    private readonly HashSet<string> parameterNames = new(StringComparer.Ordinal);
    private int nodeCounter;

    public OnnxGraphBuilder(string component, FloatPrecision precision, IWeightProvider? weights, IInitializerStore? store, CancellationToken cancellationToken = default)
    {
        this.component = component;
        Precision = precision;
        this.weights = weights;
        this.store = store;
        this.cancellationToken = cancellationToken;
        Graph = new GraphProto { Name = component };
    }

    public GraphProto Graph { get; }

    public FloatPrecision Precision { get; }

    /// <summary>The ONNX element type of float activations and weights.</summary>
    public int FloatType => Precision == FloatPrecision.Float16 ? OnnxElementType.Float16 : OnnxElementType.Float;

    /// <summary>The number of learnable values declared so far.</summary>
    public long ParameterCount { get; private set; }

    /// <summary>The parameters declared so far, in order.</summary>
    public List<ParameterSpec> Parameters { get; } = [];

    /// <summary>Declares a graph input. Dims are <see cref="long"/>/<see cref="int"/> (fixed) or <see cref="string"/> (symbolic).</summary>
    public string Input(string name, int elementType, params object[] dims)
    {
        Graph.Input.Add(ValueInfo(name, elementType, dims));
        return name;
    }

    /// <summary>Declares a graph output named <paramref name="name"/> carrying <paramref name="value"/>.</summary>
    public void Output(string value, string name, int elementType, params object[] dims)
    {
        if (value != name)
        {
            AddNode("Identity", [value], [name], []);
        }

        Graph.Output.Add(ValueInfo(name, elementType, dims));
    }

    /// <summary>Adds a single-output node and returns its output name.</summary>
    public string Op(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        Ops(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs.</summary>
    public string[] Ops(string opType, IReadOnlyList<string> inputs, int outputCount, params AttributeProto[] attributes)
    {
        var id = nodeCounter++;
        var outputs = new string[outputCount];
        for (var i = 0; i < outputCount; i++)
        {
            outputs[i] = $"/{opType}_{id}_output_{i}";
        }

        AddNode(opType, inputs, outputs, attributes, $"/{opType}_{id}");
        return outputs;
    }

    /// <summary>Declares a learnable parameter and returns the initializer name (the state-dict name).</summary>
    public string Parameter(ParameterSpec spec, ParameterLayout layout = ParameterLayout.AsIs, long[]? onnxDims = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();
        if (!parameterNames.Add(spec.Name))
        {
            throw new InvalidOperationException($"Parameter '{spec.Name}' is declared twice in {component}.");
        }

        ParameterCount += spec.ElementCount;
        Parameters.Add(spec);
        var dims = onnxDims ?? (layout == ParameterLayout.TransposedMatrix ? [spec.Shape[1], spec.Shape[0]] : [.. spec.Shape]);
        if (weights is null)
        {
            return spec.Name;
        }

        var values = weights.GetWeights(spec);
        if (values.LongLength != spec.ElementCount)
        {
            throw new InvalidOperationException(
                $"The weight provider returned {values.LongLength} values for '{spec.Name}' in {component}; its shape [{string.Join(", ", spec.Shape)}] needs {spec.ElementCount}.");
        }

        if (layout == ParameterLayout.TransposedMatrix)
        {
            values = Transpose(values, (int)spec.Shape[0], (int)spec.Shape[1]);
        }

        var tensor = new TensorProto { Name = spec.Name, DataType = FloatType };
        tensor.Dims.AddRange(dims);
        store!.Store(tensor, ToBytes(values, Precision));
        Graph.Initializer.Add(tensor);
        return spec.Name;
    }

    /// <summary>Declares a parameter of this builder's component by name, PyTorch shape and initialisation.</summary>
    public string Parameter(string name, long[] shape, WeightInit init, ParameterLayout layout = ParameterLayout.AsIs, long[]? onnxDims = null) =>
        Parameter(new ParameterSpec(component, name, shape, init), layout, onnxDims);

    /// <summary>A constant float tensor in the graph's float precision.</summary>
    public string ConstFloat(float[] values, params long[] dims) => Constant(ToBytes(values, Precision), FloatType, dims);

    /// <summary>A constant float32 tensor regardless of precision (Resize scales, timestep frequencies).</summary>
    public string ConstFloat32(float[] values, params long[] dims) => Constant(ToBytes(values, FloatPrecision.Float32), OnnxElementType.Float, dims);

    /// <summary>A constant int64 tensor (shapes, axes, indices).</summary>
    public string ConstInt64(long[] values, params long[] dims) =>
        Constant(MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), OnnxElementType.Int64, dims);

    /// <summary>A one-dimensional int64 constant.</summary>
    public string Ints(params long[] values) => ConstInt64(values, values.Length);

    /// <summary>A float scalar constant in the graph's precision.</summary>
    public string Scalar(float value) => ConstFloat([value]);

    private string Constant(byte[] data, int elementType, long[] dims)
    {
        var name = $"/Constant_{nodeCounter++}";
        if (weights is null)
        {
            return name;
        }

        var tensor = new TensorProto { Name = name, DataType = elementType };
        tensor.Dims.AddRange(dims);
        tensor.RawData = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(data);
        Graph.Initializer.Add(tensor);
        return name;
    }

    private void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, AttributeProto[] attributes, string? name = null)
    {
        var node = new NodeProto { OpType = opType, Name = name ?? $"/{opType}_{nodeCounter++}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
    }

    private static ValueInfoProto ValueInfo(string name, int elementType, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string param => new TensorShapeProto.Types.Dimension { DimParam = param },
                int value => new TensorShapeProto.Types.Dimension { DimValue = value },
                long value => new TensorShapeProto.Types.Dimension { DimValue = value },
                _ => throw new ArgumentException($"Unsupported dimension '{dim}' for '{name}'.", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }

    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = values[(r * columns) + c];
            }
        }

        return result;
    }

    private static byte[] ToBytes(float[] values, FloatPrecision precision)
    {
        if (precision == FloatPrecision.Float32)
        {
            return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        }

        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = (Half)values[i];
        }

        return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
    }
}
