using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// One sub-model of a model folder (<c>unet/model.onnx</c> ...): its <see cref="InferenceSession"/>, created once and reused,
/// and the input and output tensors its metadata declares. Owns the session; dispose to release it.
/// </summary>
public sealed class OnnxModelPart : IDisposable
{
    private OnnxModelPart(string partName, string filePath, InferenceSession session)
    {
        PartName = partName;
        FilePath = filePath;
        Session = session;
        Inputs = session.InputMetadata.Select(kv => ToSpec(kv.Key, kv.Value)).ToList();
        Outputs = session.OutputMetadata.Select(kv => ToSpec(kv.Key, kv.Value)).ToList();
    }

    /// <summary>The sub-folder name: <c>text_encoder</c>, <c>unet</c>, <c>vae_decoder</c>, <c>vae_encoder</c>, <c>safety_checker</c>.</summary>
    public string PartName { get; }

    /// <summary>Full path of the <c>model.onnx</c> file.</summary>
    public string FilePath { get; }

    /// <summary>The path as messages show it: <c>unet/model.onnx</c>.</summary>
    public string DisplayPath => PartName + "/model.onnx";

    /// <summary>The session (thread-safe for concurrent runs).</summary>
    public InferenceSession Session { get; }

    /// <summary>Declared inputs in model order.</summary>
    public IReadOnlyList<TensorSpec> Inputs { get; }

    /// <summary>Declared outputs in model order.</summary>
    public IReadOnlyList<TensorSpec> Outputs { get; }

    /// <summary>Creates the session for <paramref name="filePath"/>; external weight files beside it are found by ONNX Runtime.</summary>
    /// <exception cref="ModelFolderException">The file is missing or ONNX Runtime cannot load it.</exception>
    internal static OnnxModelPart Load(string partName, string filePath, SessionOptions options)
    {
        if (!File.Exists(filePath))
        {
            throw new ModelFolderException($"{partName}/model.onnx is missing (looked for {filePath}).");
        }

        try
        {
            return new OnnxModelPart(partName, filePath, new InferenceSession(filePath, options));
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelFolderException($"{partName}/model.onnx could not be loaded by ONNX Runtime: {ex.Message}", ex);
        }
    }

    /// <summary>The input named <paramref name="name"/>, checked for element type and rank.</summary>
    /// <exception cref="ModelFolderException">No such input, or the wrong element type or rank; the message names file and tensor.</exception>
    internal TensorSpec RequireInput(string name, int[] ranks, params TensorElementType[] types) =>
        Require(Inputs, "input", name, ranks, types);

    /// <summary>The output named <paramref name="name"/>, checked for element type and rank.</summary>
    /// <exception cref="ModelFolderException">No such output, or the wrong element type or rank.</exception>
    internal TensorSpec RequireOutput(string name, int[] ranks, params TensorElementType[] types) =>
        Require(Outputs, "output", name, ranks, types);

    /// <summary>The output named <paramref name="name"/> if declared.</summary>
    internal TensorSpec? FindOutput(string name) => Outputs.FirstOrDefault(o => o.Name == name);

    /// <summary>Refuses inputs the engine would not feed.</summary>
    /// <exception cref="ModelFolderException">An input other than <paramref name="known"/> is declared.</exception>
    internal void RejectUnknownInputs(params string[] known)
    {
        var extra = Inputs.FirstOrDefault(i => !known.Contains(i.Name, StringComparer.Ordinal));
        if (extra is not null)
        {
            throw new ModelFolderException(
                $"{DisplayPath}: unexpected input '{extra.Name}'; the engine feeds only {string.Join(", ", known.Select(k => "'" + k + "'"))}.");
        }
    }

    /// <inheritdoc />
    public void Dispose() => Session.Dispose();

    private TensorSpec Require(IReadOnlyList<TensorSpec> specs, string kind, string name, int[] ranks, TensorElementType[] types)
    {
        var spec = specs.FirstOrDefault(s => s.Name == name)
            ?? throw new ModelFolderException(
                $"{DisplayPath}: no {kind} '{name}' (the model's {kind}s are {string.Join(", ", specs.Select(s => "'" + s.Name + "'"))}).");
        if (!types.Contains(spec.ElementType))
        {
            throw new ModelFolderException(
                $"{DisplayPath}: {kind} '{name}' is {TensorTypes.Describe(spec.ElementType)}; expected {string.Join(" or ", types.Select(TensorTypes.Describe))}.");
        }

        if (!ranks.Contains(spec.Rank))
        {
            throw new ModelFolderException(
                $"{DisplayPath}: {kind} '{name}' has {spec.Rank} dimensions; expected {string.Join(" or ", ranks)}.");
        }

        return spec;
    }

    private static TensorSpec ToSpec(string name, NodeMetadata metadata)
    {
        if (!metadata.IsTensor)
        {
            return new TensorSpec(name, TensorElementType.DataTypeMax, [], []);
        }

        return new TensorSpec(name, metadata.ElementDataType, metadata.Dimensions.ToArray(), metadata.SymbolicDimensions.ToArray());
    }
}
