namespace DiffusionFunctions.ModelGeneration;

/// <summary>How the UNet's <c>timestep</c> input is declared; exporters differ and pipelines must handle all of them.</summary>
public enum TimestepForm
{
    /// <summary>int64 <c>[batch]</c>, as the older diffusers conversion script exported it.</summary>
    Int64Batch,

    /// <summary>float32 <c>[steps]</c>, as Optimum exports fp32 models.</summary>
    Float32Batch,

    /// <summary>float16 <c>[steps]</c>, as Optimum's fp16 export.</summary>
    Float16Batch,

    /// <summary>A rank-0 float tensor (in the graph's float precision), as some newer exports declare it.</summary>
    Scalar,
}
