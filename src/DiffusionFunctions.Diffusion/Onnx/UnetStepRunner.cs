using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// Runs the UNet once per denoising step for one generation, over buffers allocated once: the latent input, the timestep in
/// the model's element type and shape, the text states, and the noise prediction.
/// </summary>
/// <remarks>
/// With IOBinding the text states are bound once for the whole loop (ONNX Runtime copies a host tensor to the session's device
/// at bind time, so on CUDA they cross the bus once), the latent input and timestep are re-bound each step, and the output is
/// bound to the pre-allocated host buffer. The same code runs on CPU, where binding is zero-copy, so tests exercise it.
/// </remarks>
internal sealed class UnetStepRunner : IDisposable
{
    private static readonly string[] OutputNames = [UnetModel.OutSampleName];

    private readonly UnetModel _unet;
    private readonly FloatTensorBuffer _sample;
    private readonly FloatTensorBuffer _textStates;
    private readonly FloatTensorBuffer _output;
    private readonly FloatTensorBuffer? _floatTimestep;
    private readonly long[]? _int64Timestep;
    private readonly OrtValue _timestepValue;
    private readonly OrtIoBinding? _binding;
    private readonly FloatTensorBuffer? _textEmbeds;
    private readonly FloatTensorBuffer? _timeIds;
    private readonly FloatTensorBuffer? _timestepCond;
    private readonly string[] _inputNames;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;

    public UnetStepRunner(UnetModel unet, int batch, int latentHeight, int latentWidth, ReadOnlySpan<float> textStates, int sequenceLength, int hiddenSize, bool useIoBinding)
        : this(unet, batch, latentHeight, latentWidth, textStates, sequenceLength, hiddenSize, UnetAddedInputs.None, useIoBinding)
    {
    }

    public UnetStepRunner(UnetModel unet, int batch, int latentHeight, int latentWidth, ReadOnlySpan<float> textStates, int sequenceLength, int hiddenSize, UnetAddedInputs added, bool useIoBinding)
    {
        _unet = unet;
        Batch = batch;
        _sample = new FloatTensorBuffer([batch, unet.InChannels, latentHeight, latentWidth], unet.SampleType);
        _output = new FloatTensorBuffer([batch, 4, latentHeight, latentWidth], unet.SampleType);
        _textStates = new FloatTensorBuffer([batch, sequenceLength, hiddenSize], unet.TextStatesType);
        _textStates.Write(textStates);

        long[] timestepShape = unet.TimestepIsScalar ? [] : [unet.TimestepFixedLength ?? batch];
        if (unet.TimestepType == TensorElementType.Int64)
        {
            _int64Timestep = new long[unet.TimestepIsScalar ? 1 : timestepShape[0]];
            _timestepValue = OrtValue.CreateTensorValueFromMemory(_int64Timestep, timestepShape);
        }
        else
        {
            _floatTimestep = new FloatTensorBuffer(timestepShape, unet.TimestepType);
            _timestepValue = _floatTimestep.Value;
        }

        _textEmbeds = Added(unet.TextEmbeds, added.TextEmbeds, batch);
        _timeIds = Added(unet.TimeIds, added.TimeIds, batch);
        _timestepCond = Added(unet.TimestepCond, added.TimestepCond, batch);
        var names = new List<string> { UnetModel.SampleName, UnetModel.TimestepName, UnetModel.EncoderHiddenStatesName };
        var values = new List<OrtValue> { _sample.Value, _timestepValue, _textStates.Value };
        foreach (var (name, buffer) in new[] { (UnetModel.TextEmbedsName, _textEmbeds), (UnetModel.TimeIdsName, _timeIds), (UnetModel.TimestepCondName, _timestepCond) })
        {
            if (buffer is not null)
            {
                names.Add(name);
                values.Add(buffer.Value);
            }
        }

        _inputNames = [.. names];
        _inputValues = [.. values];
        _outputValues = [_output.Value];
        if (useIoBinding)
        {
            _binding = unet.Part.Session.CreateIoBinding();
            for (var i = 2; i < _inputNames.Length; i++)
            {
                _binding.BindInput(_inputNames[i], _inputValues[i]);
            }

            _binding.BindOutput(UnetModel.OutSampleName, _output.Value);
        }
    }

    /// <summary>The batch the UNet runs on each step (2 × images under classifier-free guidance, else the image count).</summary>
    public int Batch { get; }

    /// <summary>
    /// Receives a copy of every input (name → shape and float32 values; the timestep included) just before each UNet run, when
    /// set: how tests see exactly what the UNet is fed (batch size, text_embeds, time_ids, timestep_cond). Null costs nothing.
    /// </summary>
    public Action<IReadOnlyDictionary<string, UnetInputRecord>>? Observer { get; init; }

    /// <summary>UNet runs so far.</summary>
    public int Calls { get; private set; }

    /// <summary>Whether this runner uses IOBinding.</summary>
    public bool UsesIoBinding => _binding is not null;

    /// <summary>
    /// Replaces the text states (a prompt schedule switching texts between steps); with IOBinding they are bound again, so on
    /// CUDA they cross the bus once per switch, not once per step.
    /// </summary>
    public void SetTextStates(ReadOnlySpan<float> textStates, float[]? textEmbeds = null)
    {
        _textStates.Write(textStates);
        _binding?.BindInput(UnetModel.EncoderHiddenStatesName, _textStates.Value);
        if (_textEmbeds is not null && textEmbeds is not null)
        {
            _textEmbeds.Write(textEmbeds);
            _binding?.BindInput(UnetModel.TextEmbedsName, _textEmbeds.Value);
        }
    }

    /// <summary>Number of latent input values (batch × in-channels × h × w).</summary>
    public int SampleLength => _sample.Length;

    /// <summary>Runs the UNet on <paramref name="modelInput"/> at <paramref name="timestep"/>; writes the prediction [batch, 4, h, w].</summary>
    public void Run(OrtRunScope scope, ReadOnlySpan<float> modelInput, float timestep, Span<float> noisePrediction)
    {
        _sample.Write(modelInput);
        if (_int64Timestep is not null)
        {
            // diffusers' ONNX pipeline: np.array([t], dtype=timestep_dtype) — integer types truncate.
            Array.Fill(_int64Timestep, (long)timestep);
        }
        else
        {
            Span<float> values = stackalloc float[_floatTimestep!.Length];
            values.Fill(timestep);
            _floatTimestep.Write(values);
        }

        if (Observer is { } observer)
        {
            var inputs = new Dictionary<string, UnetInputRecord>(StringComparer.Ordinal);
            for (var i = 0; i < _inputNames.Length; i++)
            {
                var value = _inputValues[i];
                var shape = value.GetTensorTypeAndShape().Shape;
                var values = value.GetTensorTypeAndShape().ElementDataType == TensorElementType.Int64
                    ? [.. value.GetTensorDataAsSpan<long>().ToArray().Select(v => (float)v)]
                    : FloatTensorBuffer.ToFloatArray(value);
                inputs[_inputNames[i]] = new UnetInputRecord(shape, values);
            }

            observer(inputs);
        }

        if (_binding is not null)
        {
            _binding.BindInput(UnetModel.SampleName, _sample.Value);
            _binding.BindInput(UnetModel.TimestepName, _timestepValue);
            scope.Invoke(options => _unet.Part.Session.RunWithBinding(options, _binding));
            _binding.SynchronizeBoundOutputs();
        }
        else
        {
            scope.Invoke(options => _unet.Part.Session.Run(options, _inputNames, _inputValues, OutputNames, _outputValues));
        }

        _output.Read(noisePrediction);
        Calls++;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _binding?.Dispose();
        _sample.Dispose();
        _output.Dispose();
        _textStates.Dispose();
        _textEmbeds?.Dispose();
        _timeIds?.Dispose();
        _timestepCond?.Dispose();
        if (_floatTimestep is not null)
        {
            _floatTimestep.Dispose();
        }
        else
        {
            _timestepValue.Dispose();
        }
    }

    private static FloatTensorBuffer? Added(TensorSpec? spec, float[]? values, int batch)
    {
        if (spec is null)
        {
            return null;
        }

        if (values is null || values.Length % batch != 0)
        {
            throw new InvalidOperationException($"unet/model.onnx input '{spec.Name}' needs {batch} rows of values.");
        }

        var buffer = new FloatTensorBuffer([batch, values.Length / batch], spec.ElementType);
        buffer.Write(values);
        return buffer;
    }
}
