using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DiffusionFunctions.Diffusion.Imaging;

/// <summary>
/// The generation parameters as the common Stable Diffusion web UIs store them in a PNG <c>parameters</c> text chunk:
/// <code>
/// a cat
/// Negative prompt: blurry
/// Steps: 25, Sampler: Euler a, Schedule type: Uniform, CFG scale: 7.5, Seed: 123, Size: 512x512, Model: tiny
/// </code>
/// The negative prompt line is left out when there is none; values holding a comma, colon, newline or quote are JSON-quoted
/// (non-ASCII characters kept), as the web UIs do. Schedule type is written for samplers that have one, Denoising strength
/// for img2img and inpainting, Eta DDIM where the sampler needs it.
/// </summary>
public sealed record WebUiParameters
{
    /// <summary>The text chunk keyword the web UIs read.</summary>
    public const string ChunkKeyword = "parameters";

    /// <summary>The prompt (may span several lines).</summary>
    public required string Prompt { get; init; }

    /// <summary>The negative prompt; empty when none.</summary>
    public string NegativePrompt { get; init; } = "";

    /// <summary>Denoising steps.</summary>
    public required int Steps { get; init; }

    /// <summary>The sampler's display name (see <see cref="WebUiSamplerNames"/>).</summary>
    public required string Sampler { get; init; }

    /// <summary>The sigma schedule ("Uniform", "Karras"); empty for samplers without one.</summary>
    public string ScheduleType { get; init; } = "";

    /// <summary>DDIM's η, written as <c>Eta DDIM</c> when set.</summary>
    public double? EtaDdim { get; init; }

    /// <summary>Classifier-free guidance scale.</summary>
    public required double CfgScale { get; init; }

    /// <summary>The seed of this image.</summary>
    public required long Seed { get; init; }

    /// <summary>Image width in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Image height in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>The model's name.</summary>
    public string Model { get; init; } = "";

    /// <summary>Img2img / inpainting strength, when the image started from an init image.</summary>
    public double? DenoisingStrength { get; init; }

    /// <summary>Formats the parameters as the web UIs' text.</summary>
    public string ToText()
    {
        var builder = new StringBuilder();
        builder.Append(Prompt).Append('\n');
        if (NegativePrompt.Length > 0)
        {
            builder.Append("Negative prompt: ").Append(NegativePrompt).Append('\n');
        }

        var fields = new List<(string Key, string Value)>
        {
            ("Steps", Steps.ToString(CultureInfo.InvariantCulture)),
            ("Sampler", Sampler),
        };
        if (ScheduleType.Length > 0)
        {
            fields.Add(("Schedule type", ScheduleType));
        }

        fields.AddRange(
        [
            ("CFG scale", CfgScale.ToString("0.0##", CultureInfo.InvariantCulture)),
            ("Seed", Seed.ToString(CultureInfo.InvariantCulture)),
            ("Size", string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}")),
        ]);
        if (Model.Length > 0)
        {
            fields.Add(("Model", Model));
        }

        if (DenoisingStrength is { } strength)
        {
            fields.Add(("Denoising strength", strength.ToString("0.0##", CultureInfo.InvariantCulture)));
        }

        if (EtaDdim is { } eta)
        {
            fields.Add(("Eta DDIM", eta.ToString("0.0##", CultureInfo.InvariantCulture)));
        }

        builder.AppendJoin(", ", fields.Select(f => f.Key + ": " + Quote(f.Value)));
        return builder.ToString();
    }

    /// <summary>Parses the web UIs' text; returns <see langword="null"/> when the last line is not a parameter list with Steps, Sampler, CFG scale, Seed and Size.</summary>
    public static WebUiParameters? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var fields = ParseFields(lines[^1]);
        if (fields is null || lines.Length < 2)
        {
            return null;
        }

        var promptLines = new List<string>();
        var negativeLines = new List<string>();
        var inNegative = false;
        foreach (var line in lines[..^1])
        {
            if (!inNegative && line.StartsWith("Negative prompt: ", StringComparison.Ordinal))
            {
                inNegative = true;
                negativeLines.Add(line["Negative prompt: ".Length..]);
            }
            else
            {
                (inNegative ? negativeLines : promptLines).Add(line);
            }
        }

        if (!fields.TryGetValue("Steps", out var steps) || !fields.TryGetValue("Sampler", out var sampler)
            || !fields.TryGetValue("CFG scale", out var cfg) || !fields.TryGetValue("Seed", out var seed)
            || !fields.TryGetValue("Size", out var size))
        {
            return null;
        }

        var sizeParts = size.Split('x');
        if (sizeParts.Length != 2
            || !int.TryParse(steps, NumberStyles.Integer, CultureInfo.InvariantCulture, out var stepCount)
            || !double.TryParse(cfg, NumberStyles.Float, CultureInfo.InvariantCulture, out var cfgScale)
            || !long.TryParse(seed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seedValue)
            || !int.TryParse(sizeParts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(sizeParts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var height))
        {
            return null;
        }

        double? strength = fields.TryGetValue("Denoising strength", out var s)
            && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        double? etaDdim = fields.TryGetValue("Eta DDIM", out var e)
            && double.TryParse(e, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsedEta) ? parsedEta : null;
        return new WebUiParameters
        {
            Prompt = string.Join('\n', promptLines),
            NegativePrompt = string.Join('\n', negativeLines),
            Steps = stepCount,
            Sampler = sampler,
            ScheduleType = fields.GetValueOrDefault("Schedule type", ""),
            EtaDdim = etaDdim,
            CfgScale = cfgScale,
            Seed = seedValue,
            Width = width,
            Height = height,
            Model = fields.GetValueOrDefault("Model", ""),
            DenoisingStrength = strength,
        };
    }

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",:\"\n\r") >= 0 ? JsonSerializer.Serialize(value, QuoteOptions) : value;

    // "Key: value, Key: "quoted, value", ..." -> dictionary; null when the line has no "Key: value" pairs.
    private static Dictionary<string, string>? ParseFields(string line)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < line.Length)
        {
            var colon = line.IndexOf(": ", i, StringComparison.Ordinal);
            if (colon < 0)
            {
                return null;
            }

            var key = line[i..colon].Trim();
            var valueStart = colon + 2;
            string value;
            if (valueStart < line.Length && line[valueStart] == '"')
            {
                var end = valueStart + 1;
                while (end < line.Length && line[end] != '"')
                {
                    end += line[end] == '\\' ? 2 : 1;
                }

                if (end >= line.Length)
                {
                    return null;
                }

                value = JsonSerializer.Deserialize<string>(line[valueStart..(end + 1)])!;
                i = end + 1;
            }
            else
            {
                var comma = line.IndexOf(", ", valueStart, StringComparison.Ordinal);
                var end = comma < 0 ? line.Length : comma;
                value = line[valueStart..end];
                i = end;
            }

            result[key] = value;
            while (i < line.Length && (line[i] == ',' || line[i] == ' '))
            {
                i++;
            }
        }

        return result.Count > 0 ? result : null;
    }
}
