namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>Which ONNX Runtime execution provider the engine asks for.</summary>
public enum ExecutionProviderKind
{
    /// <summary>CUDA when it loads, otherwise CPU (with one warning).</summary>
    Auto = 0,

    /// <summary>CUDA; when it cannot load (ORT GPU 1.31 needs CUDA 13 and cuDNN 9) the engine logs one warning and runs on CPU.</summary>
    Cuda = 1,

    /// <summary>The CPU provider only.</summary>
    Cpu = 2,
}
