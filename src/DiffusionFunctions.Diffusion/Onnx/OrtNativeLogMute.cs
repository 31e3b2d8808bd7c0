using Microsoft.ML.OnnxRuntime;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// Silences ONNX Runtime's process-wide native log (which writes to stderr, in colour) while the CUDA provider is probed: a
/// CPU-only machine would otherwise print ONNX Runtime's raw "Failed to load library libonnxruntime_providers_cuda.so" error
/// before the engine's own one-line fallback warning, which says the same thing with the missing library named. The level
/// in force before the first mute is restored when the last one ends.
/// </summary>
internal static class OrtNativeLogMute
{
    private static readonly Lock Gate = new();
    private static int _depth;
    private static OrtLoggingLevel _previous;

    /// <summary>Raises the native log level to fatal until the returned scope is disposed.</summary>
    public static Scope Begin()
    {
        lock (Gate)
        {
            var env = OrtEnv.Instance();
            if (_depth++ == 0)
            {
                _previous = env.EnvLogLevel;
                env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            }
        }

        return default;
    }

    /// <summary>Ends one mute.</summary>
    public readonly struct Scope : IDisposable
    {
        /// <inheritdoc />
        public void Dispose()
        {
            lock (Gate)
            {
                if (_depth > 0 && --_depth == 0)
                {
                    OrtEnv.Instance().EnvLogLevel = _previous;
                }
            }
        }
    }
}
