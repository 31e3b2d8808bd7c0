using DiffusionFunctions.Diffusion.Families;
using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Prompting;

namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>
/// The UNet's text conditioning for every sampling step of one run: the prompt and the negative prompt are scheduled
/// (<see cref="PromptSchedule"/>), each distinct text is tokenised (once per text encoder) and encoded once by the model's
/// <see cref="ModelFamily"/>, and a step's states are the batch [negative × count, prompt × count] (diffusers'
/// <c>torch.cat([neg, pos])</c>; the prompt alone without guidance), with the pooled embeddings (SDXL) batched the same way.
/// Every text is padded with empty chunks to the longest text's chunk count, so all steps share one sequence length. An
/// empty negative prompt is zeros when the family says so (SDXL's <c>force_zeros_for_empty_prompt</c>).
/// </summary>
internal sealed class PromptConditioning
{
    private readonly PromptSchedule _positive;
    private readonly PromptSchedule? _negative;
    private readonly Dictionary<string, EncodedText> _encoded;
    private readonly EncodedText? _zeroNegative;
    private readonly Dictionary<(int Negative, int Positive), (float[] States, float[]? Pooled)> _batches = [];
    private readonly int _count;

    private PromptConditioning(PromptSchedule positive, PromptSchedule? negative, Dictionary<string, EncodedText> encoded, EncodedText? zeroNegative, int count)
    {
        _positive = positive;
        _negative = negative;
        _encoded = encoded;
        _zeroNegative = zeroNegative;
        _count = count;
    }

    /// <summary>Positions per text (chunks × 77).</summary>
    public int SequenceLength { get; private init; }

    /// <summary>The text states' width (SDXL: both encoders' widths together).</summary>
    public int HiddenSize { get; private init; }

    /// <summary>Prompt tokens of the longest prompt text (without special tokens).</summary>
    public int PromptTokenCount { get; private init; }

    /// <summary>How many texts were encoded (each distinct text once).</summary>
    public int EncodedTextCount => _encoded.Count;

    /// <summary>Whether the negative rows are zeros (an empty negative prompt under <c>force_zeros_for_empty_prompt</c>).</summary>
    public bool NegativeIsZeros => _zeroNegative is not null;

    /// <summary>Warnings from both schedules, for the job.</summary>
    public IReadOnlyList<string> Warnings => [.. _positive.Warnings, .. _negative?.Warnings ?? []];

    /// <summary>Schedules, tokenises and encodes the prompts of <paramref name="settings"/>.</summary>
    public static PromptConditioning Create(StableDiffusionModel model, OrtRunScope scope, GenerationSettings settings, bool guidance)
    {
        var family = model.Family;
        var positive = PromptSchedule.Create(settings.Prompt, settings.Steps, "prompt");
        var zeros = guidance && family.ZerosForEmptyNegativePrompt && settings.NegativePrompt.Length == 0;
        var negative = guidance && !zeros ? PromptSchedule.Create(settings.NegativePrompt, settings.Steps, "negative prompt") : null;
        var texts = positive.DistinctTexts.Concat(negative?.DistinctTexts ?? []).Distinct(StringComparer.Ordinal).ToList();
        var tokenized = texts.ToDictionary(
            t => t,
            t => model.Tokenizers.Select(tokenizer => PromptTokenizer.Tokenize(tokenizer, t, model.Options.PromptCommaBacktrack)).ToList(),
            StringComparer.Ordinal);
        var chunks = tokenized.Values.SelectMany(p => p).Max(p => p.ChunkCount);
        var encoded = new Dictionary<string, EncodedText>(StringComparer.Ordinal);
        foreach (var (text, prompts) in tokenized)
        {
            var padded = prompts.Select((p, i) => PromptTokenizer.PadToChunks(model.Tokenizers[i], p, chunks)).ToList();
            encoded[text] = family.Encode(model, scope, padded);
        }

        var first = encoded.Values.First();
        return new PromptConditioning(positive, negative, encoded, zeros ? first.Zeros() : null, settings.Count)
        {
            SequenceLength = chunks * model.Tokenizer.MaxLength,
            HiddenSize = first.HiddenSize,
            PromptTokenCount = positive.DistinctTexts.Max(t => tokenized[t][0].TokenCount),
        };
    }

    /// <summary>The batch of text states for sampling step <paramref name="stepIndex"/> (0-based); the same array while the texts stay the same.</summary>
    public float[] StatesAt(int stepIndex) => BatchAt(stepIndex).States;

    /// <summary>The batch of pooled embeddings for step <paramref name="stepIndex"/> (SDXL's <c>text_embeds</c>), or null.</summary>
    public float[]? PooledAt(int stepIndex) => BatchAt(stepIndex).Pooled;

    private (float[] States, float[]? Pooled) BatchAt(int stepIndex)
    {
        var key = (_negative?.EntryIndexAt(stepIndex) ?? -1, _positive.EntryIndexAt(stepIndex));
        if (_batches.TryGetValue(key, out var batch))
        {
            return batch;
        }

        var rows = new List<EncodedText>();
        if (_zeroNegative is not null)
        {
            rows.AddRange(Enumerable.Repeat(_zeroNegative, _count));
        }
        else if (_negative is not null)
        {
            rows.AddRange(Enumerable.Repeat(_encoded[_negative.Entries[key.Item1].Text], _count));
        }

        rows.AddRange(Enumerable.Repeat(_encoded[_positive.Entries[key.Item2].Text], _count));
        batch = (Concat(rows.Select(r => r.States).ToList()), rows[0].Pooled is null ? null : Concat(rows.Select(r => r.Pooled!).ToList()));
        _batches[key] = batch;
        return batch;
    }

    private static float[] Concat(List<float[]> rows)
    {
        var result = new float[rows.Count * rows[0].Length];
        for (var r = 0; r < rows.Count; r++)
        {
            rows[r].CopyTo(result, r * rows[r].Length);
        }

        return result;
    }
}
