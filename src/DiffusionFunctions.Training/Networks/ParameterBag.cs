using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DiffusionFunctions.Training.Networks;

/// <summary>
/// The learnable tensors of one model component by state-dict name (<c>down_blocks.0.resnets.0.conv1.weight</c>), created
/// on first use with a fan-in scaled normal draw from the global TorchSharp generator. The networks are written as
/// functions over a bag, so their names and shapes are the ones the ONNX graph builders declare and trained weights
/// drop into those builders unchanged.
/// </summary>
internal sealed class ParameterBag : IDisposable
{
    private readonly Dictionary<string, Parameter> tensors = new(StringComparer.Ordinal);
    private readonly List<string> order = [];

    public ParameterBag(string component) => Component = component;

    /// <summary>The model folder component (<c>unet</c>, <c>text_encoder</c>, ...).</summary>
    public string Component { get; }

    /// <summary>Names in creation order.</summary>
    public IReadOnlyList<string> Names => order;

    /// <summary>All tensors, in creation order.</summary>
    public IEnumerable<Parameter> Tensors => order.Select(n => tensors[n]);

    public Tensor this[string name] => tensors[name];

    public bool Contains(string name) => tensors.ContainsKey(name);

    /// <summary>Returns the tensor, creating it as <c>mean + std * N(0, 1)</c> on first use.</summary>
    public Tensor Get(string name, long[] shape, float std, float mean = 0f)
    {
        if (tensors.TryGetValue(name, out var existing))
        {
            if (!existing.shape.SequenceEqual(shape))
            {
                throw new InvalidOperationException($"{Component}: '{name}' was created as [{string.Join(", ", existing.shape)}] and is now asked for as [{string.Join(", ", shape)}].");
            }

            return existing;
        }

        using var scope = no_grad();
        using var initial = std == 0f ? full(shape, mean) : (randn(shape) * std) + mean;
        var parameter = new Parameter(initial.detach().clone(), requires_grad: true);
        parameter.DetachFromDisposeScope();
        tensors[name] = parameter;
        order.Add(name);
        return parameter;
    }

    /// <summary>Copies every value of <paramref name="source"/> into this bag's tensors of the same names.</summary>
    public void CopyFrom(ParameterBag source)
    {
        using var scope = no_grad();
        foreach (var name in source.order)
        {
            var from = source.tensors[name];
            if (tensors.TryGetValue(name, out var to))
            {
                to.copy_(from);
            }
            else
            {
                var clone = new Parameter(from.detach().clone(), requires_grad: from.requires_grad);
                clone.DetachFromDisposeScope();
                tensors[name] = clone;
                order.Add(name);
            }
        }
    }

    /// <summary>A detached copy with gradients off (the EMA shadow).</summary>
    public ParameterBag CloneFrozen()
    {
        var copy = new ParameterBag(Component);
        using var scope = no_grad();
        foreach (var name in order)
        {
            var frozen = new Parameter(tensors[name].detach().clone(), requires_grad: false);
            frozen.DetachFromDisposeScope();
            copy.tensors[name] = frozen;
            copy.order.Add(name);
        }

        return copy;
    }

    /// <summary>The values as float32, row-major in PyTorch layout.</summary>
    public float[] Values(string name) => tensors[name].detach().cpu().contiguous().data<float>().ToArray();

    /// <summary>Replaces a tensor's values (used to fold scales into exported weights).</summary>
    public void Set(string name, Tensor value)
    {
        using var scope = no_grad();
        tensors[name].copy_(value);
    }

    /// <summary>Number of learnable values.</summary>
    public long Count => tensors.Values.Sum(t => t.numel());

    /// <summary>Saves all tensors (name, shape, float32 values) to a simple binary checkpoint.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(order.Count);
        foreach (var name in order)
        {
            var t = tensors[name];
            writer.Write(name);
            writer.Write(t.shape.Length);
            foreach (var d in t.shape)
            {
                writer.Write(d);
            }

            var values = Values(name);
            var bytes = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            writer.Write(bytes);
        }
    }

    /// <summary>Loads a checkpoint written by <see cref="Save"/>.</summary>
    public static ParameterBag Load(string component, BinaryReader reader)
    {
        var bag = new ParameterBag(component);
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var rank = reader.ReadInt32();
            var shape = new long[rank];
            for (var d = 0; d < rank; d++)
            {
                shape[d] = reader.ReadInt64();
            }

            var n = (int)shape.Aggregate(1L, (a, b) => a * b);
            var bytes = reader.ReadBytes(n * 4);
            var values = new float[n];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            var loaded = new Parameter(tensor(values, shape), requires_grad: true);
            loaded.DetachFromDisposeScope();
            bag.tensors[name] = loaded;
            bag.order.Add(name);
        }

        return bag;
    }

    public void Dispose()
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }

        tensors.Clear();
        order.Clear();
    }
}
