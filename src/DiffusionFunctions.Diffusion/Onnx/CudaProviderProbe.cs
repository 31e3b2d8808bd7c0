using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace DiffusionFunctions.Diffusion.Onnx;

/// <summary>
/// Says why ONNX Runtime's CUDA provider did not load, in one line naming the missing library. ONNX Runtime's own
/// exception says only "Failed to load shared library"; the dynamic loader knows which dependency was missing, so this
/// loads <c>libonnxruntime_providers_cuda.so</c> the same way and reads the loader's message.
/// </summary>
internal static partial class CudaProviderProbe
{
    /// <summary>The CUDA provider library ONNX Runtime GPU loads on Linux.</summary>
    public const string ProviderLibrary = "libonnxruntime_providers_cuda.so";

    /// <summary>
    /// One line for <paramref name="failure"/>: the missing library and who needs it when the loader names one
    /// (<c>libcublasLt.so.13: cannot open shared object file</c>), otherwise the first line of ONNX Runtime's message.
    /// </summary>
    public static string Explain(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var loaderMessage = LoadProviderLibrary() ?? failure.Message;
        var missing = MissingLibrary().Match(loaderMessage);
        if (missing.Success)
        {
            return $"{missing.Groups["library"].Value} could not be loaded (needed by {ProviderLibrary}: {missing.Groups["why"].Value}); "
                + "ONNX Runtime GPU 1.31 needs the CUDA 13 runtime and cuDNN 9 libraries on LD_LIBRARY_PATH";
        }

        var firstLine = FirstLine(loaderMessage);
        return File.Exists(ProviderPath()) || loaderMessage != failure.Message
            ? firstLine
            : $"{ProviderLibrary} is not beside the application ({firstLine})";
    }

    /// <summary>The loader's message when the provider library does not load; null when it loads (or is not on Linux).</summary>
    private static string? LoadProviderLibrary()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var path = ProviderPath();
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var handle = NativeLibrary.Load(path);
            NativeLibrary.Free(handle);
            return null;
        }
        catch (DllNotFoundException ex)
        {
            return ex.Message;
        }
        catch (BadImageFormatException ex)
        {
            return ex.Message;
        }
    }

    private static string ProviderPath()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, ProviderLibrary);
        return File.Exists(beside)
            ? beside
            : Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64", "native", ProviderLibrary);
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    [GeneratedRegex(@"(?<library>lib[\w.+-]+\.so(?:\.\d+)*): (?<why>cannot open shared object file[^\r\n]*)", RegexOptions.CultureInvariant)]
    private static partial Regex MissingLibrary();
}
