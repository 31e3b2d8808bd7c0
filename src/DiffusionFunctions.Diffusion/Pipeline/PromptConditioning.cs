using DiffusionFunctions.Diffusion.Onnx;
using DiffusionFunctions.Diffusion.Prompting;

namespace DiffusionFunctions.Diffusion.Pipeline;

/// <summary>
/// The UNet's text states for every sampling step of one run: the prompt and the negative prompt are scheduled
/// (<see cref="PromptSchedule"/>), each distinct text is tokenised and encoded once, and a step's states are the batch
/// [negative × count, prompt × count] (diffusers' <c>torch.cat([neg, pos])</c>; the prompt alone without guidance). Every
/// text is padded with empty chunks to the longest text's chunk count, so all steps share one sequence length.
/// </summary>
internal sealed class PromptConditioning
{
    private readonly PromptSchedule _positive;
    private readonly PromptSchedule? _negative;
    private readonly Dictionary<string, float[]> _encoded;
    private readonly Dictionary<(int Negative, int Positive), float[]> _batches = [];
    private readonly int _count;

    private PromptConditioning(PromptSchedule positive, PromptSchedule? negative, Dictionary<string, float[]> encoded, int count)
    {
        _positive = positive;
        _negative = negative;
        _encoded = encoded;
        _count = count;
    }

    /// <summary>Positions per text (chunks × 77).</summary>
    public int SequenceLength { get; private init; }

    /// <summary>The text encoder's hidden width.</summary>
    public int HiddenSize { get; private init; }

    /// <summary>Prompt tokens of the longest prompt text (without special tokens).</summary>
    public int PromptTokenCount { get; private init; }

    /// <summary>How many texts were encoded (each distinct text once).</summary>
    public int EncodedTextCount => _encoded.Count;

    /// <summary>Warnings from both schedules, for the job.</summary>
    public IReadOnlyList<string> Warnings => [.. _positive.Warnings, .. _negative?.Warnings ?? []];

    /// <summary>Schedules, tokenises and encodes the prompts of <paramref name="settings"/>.</summary>
    public static PromptConditioning Create(StableDiffusionModel model, OrtRunScope scope, GenerationSettings settings, bool guidance)
    {
        var tokenizer = model.Tokenizer;
        var positive = PromptSchedule.Create(settings.Prompt, settings.Steps, "prompt");
        var negative = guidance ? PromptSchedule.Create(settings.NegativePrompt, settings.Steps, "negative prompt") : null;
        var texts = positive.DistinctTexts.Concat(negative?.DistinctTexts ?? []).Distinct(StringComparer.Ordinal).ToList();
        var tokenized = texts.ToDictionary(t => t, t => PromptTokenizer.Tokenize(tokenizer, t, model.Options.PromptCommaBacktrack), StringComparer.Ordinal);
        var chunks = tokenized.Values.Max(p => p.ChunkCount);
        var hidden = 0;
        var encoded = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (text, prompt) in tokenized)
        {
            encoded[text] = PromptEncoder.Encode(model.TextEncoder, scope, PromptTokenizer.PadToChunks(tokenizer, prompt, chunks), out hidden);
        }

        return new PromptConditioning(positive, negative, encoded, settings.Count)
        {
            SequenceLength = chunks * tokenizer.MaxLength,
            HiddenSize = hidden,
            PromptTokenCount = positive.DistinctTexts.Max(t => tokenized[t].TokenCount),
        };
    }

    /// <summary>The batch of text states for sampling step <paramref name="stepIndex"/> (0-based); the same array while the texts stay the same.</summary>
    public float[] StatesAt(int stepIndex)
    {
        var key = (_negative?.EntryIndexAt(stepIndex) ?? -1, _positive.EntryIndexAt(stepIndex));
        if (_batches.TryGetValue(key, out var batch))
        {
            return batch;
        }

        var rows = new List<float[]>();
        if (_negative is not null)
        {
            rows.AddRange(Enumerable.Repeat(_encoded[_negative.Entries[key.Item1].Text], _count));
        }

        rows.AddRange(Enumerable.Repeat(_encoded[_positive.Entries[key.Item2].Text], _count));
        batch = new float[rows.Count * rows[0].Length];
        for (var r = 0; r < rows.Count; r++)
        {
            rows[r].CopyTo(batch, r * rows[r].Length);
        }

        _batches[key] = batch;
        return batch;
    }
}
