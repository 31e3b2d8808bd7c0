using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// A reusable floating-point tensor in managed memory (float32 or float16 as the model declares) with an <see cref="OrtValue"/>
/// over it: write float32 values in, run, read float32 values out, without allocating per step. Dispose to unpin the buffer.
/// </summary>
public sealed class FloatTensorBuffer : IDisposable
{
    private readonly float[]? _float32;
    private readonly Float16[]? _float16;

    /// <summary>Allocates a tensor of <paramref name="shape"/> and <paramref name="elementType"/> (float32 or float16).</summary>
    public FloatTensorBuffer(long[] shape, TensorElementType elementType)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Shape = shape;
        ElementType = elementType;
        Length = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        switch (elementType)
        {
            case TensorElementType.Float:
                _float32 = new float[Length];
                Value = OrtValue.CreateTensorValueFromMemory(_float32, shape);
                break;
            case TensorElementType.Float16:
                _float16 = new Float16[Length];
                Value = OrtValue.CreateTensorValueFromMemory(_float16, shape);
                break;
            default:
                throw new ArgumentException($"A float tensor buffer is float32 or float16, not {TensorTypes.Describe(elementType)}.", nameof(elementType));
        }
    }

    /// <summary>The tensor's shape.</summary>
    public long[] Shape { get; }

    /// <summary>float32 or float16.</summary>
    public TensorElementType ElementType { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The ONNX Runtime value over the buffer.</summary>
    public OrtValue Value { get; }

    /// <summary>Copies <paramref name="source"/> (exactly <see cref="Length"/> values) into the tensor, rounding to float16 if needed.</summary>
    public void Write(ReadOnlySpan<float> source)
    {
        if (source.Length != Length)
        {
            throw new ArgumentException($"Expected {Length} values, got {source.Length}.", nameof(source));
        }

        if (_float32 is not null)
        {
            source.CopyTo(_float32);
            return;
        }

        var halves = MemoryMarshal.Cast<Float16, Half>(_float16.AsSpan());
        for (var i = 0; i < source.Length; i++)
        {
            halves[i] = (Half)source[i];
        }
    }

    /// <summary>Copies the tensor into <paramref name="destination"/> as float32.</summary>
    public void Read(Span<float> destination) => CopyToFloat(Value, destination);

    /// <summary>Copies a float32 or float16 tensor value into <paramref name="destination"/> as float32.</summary>
    public static void CopyToFloat(OrtValue value, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(value);
        var type = value.GetTensorTypeAndShape().ElementDataType;
        if (type == TensorElementType.Float)
        {
            value.GetTensorDataAsSpan<float>().CopyTo(destination);
            return;
        }

        if (type != TensorElementType.Float16)
        {
            throw new InvalidOperationException($"Expected a float32 or float16 tensor, got {TensorTypes.Describe(type)}.");
        }

        var halves = MemoryMarshal.Cast<Float16, Half>(value.GetTensorDataAsSpan<Float16>());
        if (halves.Length > destination.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values; the tensor has {halves.Length}.", nameof(destination));
        }

        for (var i = 0; i < halves.Length; i++)
        {
            destination[i] = (float)halves[i];
        }
    }

    /// <summary>Reads a whole float32/float16 tensor value into a new array.</summary>
    public static float[] ToFloatArray(OrtValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var result = new float[checked((int)value.GetTensorTypeAndShape().ElementCount)];
        CopyToFloat(value, result);
        return result;
    }

    /// <inheritdoc />
    public void Dispose() => Value.Dispose();
}
