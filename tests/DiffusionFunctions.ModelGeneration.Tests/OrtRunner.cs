using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.ModelGeneration.Tests;

/// <summary>Runs a generated model on ONNX Runtime's CPU provider with float inputs converted to the model's element types.</summary>
internal static class OrtRunner
{
    public static InferenceSession Open(string modelPath)
    {
        // One non-spinning thread per session: test classes run in parallel on a small shared machine, where ORT's
        // default spinning thread pools fight each other.
        using var options = new SessionOptions
        {
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return new InferenceSession(modelPath, options);
    }

    /// <summary>Creates an input value of the session's declared element type from doubles.</summary>
    public static OrtValue Input(InferenceSession session, string name, long[] shape, Func<int, double> value)
    {
        var type = session.InputMetadata[name].ElementDataType;
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        return type switch
        {
            TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, count).Select(i => (float)value(i)).ToArray(), shape),
            TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, count).Select(i => (Float16)(float)value(i)).ToArray(), shape),
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, count).Select(i => (long)value(i)).ToArray(), shape),
            TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, count).Select(i => (int)value(i)).ToArray(), shape),
            _ => throw new NotSupportedException($"Input '{name}' has element type {type}."),
        };
    }

    /// <summary>Runs the session and returns each output as (shape, float values); bool outputs become 0/1.</summary>
    public static Dictionary<string, (long[] Shape, float[] Values)> Run(InferenceSession session, IReadOnlyDictionary<string, OrtValue> inputs)
    {
        using var runOptions = new RunOptions();
        var outputNames = session.OutputNames.ToArray();
        using var outputs = session.Run(runOptions, inputs.Keys.ToArray(), inputs.Values.ToArray(), outputNames);
        var result = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
        for (var i = 0; i < outputNames.Length; i++)
        {
            var info = outputs[i].GetTensorTypeAndShape();
            float[] values = info.ElementDataType switch
            {
                TensorElementType.Float => outputs[i].GetTensorDataAsSpan<float>().ToArray(),
                TensorElementType.Float16 => outputs[i].GetTensorDataAsSpan<Float16>().ToArray().Select(h => (float)h).ToArray(),
                TensorElementType.Bool => outputs[i].GetTensorDataAsSpan<bool>().ToArray().Select(b => b ? 1f : 0f).ToArray(),
                _ => throw new NotSupportedException($"Output '{outputNames[i]}' has element type {info.ElementDataType}."),
            };
            result[outputNames[i]] = (info.Shape, values);
        }

        return result;
    }
}
