using System.Text;
using System.Text.Json;
using DiffusionFunctions.Core.Generation;
using Microsoft.Extensions.Options;

namespace DiffusionFunctions.Core.Workflows.Batches;

/// <summary>
/// Reads batch items: a JSON object with the fields of a generation request (read by the same strict
/// <see cref="GenerationRequestJsonReader"/>, images excluded) plus an optional <c>labels</c> object that is kept as it is,
/// then judged by <see cref="WorkflowItemValidator"/>. Builds the batch's <see cref="WorkflowRunDefinition"/>.
/// </summary>
public sealed class BatchItemReader(WorkflowItemValidator validator, IOptions<BatchOptions> options, TimeProvider time)
{
    /// <summary>The field that carries an item's labels.</summary>
    public const string LabelsField = "labels";

    private static readonly JsonDocumentOptions LineOptions = new() { MaxDepth = 16 };

    /// <summary>One item from its JSON.</summary>
    public WorkflowItem ReadItem(string runId, int index, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            var errors = new ValidationErrors();
            errors.Add(GenerationRequestJsonReader.BodyField, $"The item must be a JSON object, got {element.ValueKind.ToString().ToLowerInvariant()}.");
            return WorkflowItem.Refused(index, WorkflowItemRefusal.FromValidation(errors, malformed: true));
        }

        JsonElement? labels = null;
        var labelErrors = new ValidationErrors();
        using var rest = new MemoryStream();
        using (var writer = new Utf8JsonWriter(rest))
        {
            writer.WriteStartObject();
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals(LabelsField))
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        labelErrors.Add(LabelsField, "labels must be a JSON object.");
                    }
                    else if (Encoding.UTF8.GetByteCount(property.Value.GetRawText()) > options.Value.MaxLabelBytes)
                    {
                        labelErrors.Add(LabelsField, $"labels must be at most {options.Value.MaxLabelBytes} bytes of JSON.");
                    }
                    else
                    {
                        labels = property.Value.Clone();
                    }

                    continue;
                }

                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        if (!labelErrors.IsEmpty)
        {
            return WorkflowItem.Refused(index, WorkflowItemRefusal.FromValidation(labelErrors));
        }

        var read = GenerationRequestJsonReader.Read(rest.ToArray(), allowImages: false);
        if (read.Request is null || !read.Errors.IsEmpty)
        {
            return WorkflowItem.Refused(index, WorkflowItemRefusal.FromValidation(read.Errors, read.IsMalformed), labels);
        }

        var verdict = validator.Validate(read.Request);
        return verdict.Refusal is { } refusal
            ? WorkflowItem.Refused(index, refusal, labels)
            : WorkflowItem.Accepted(runId, index, verdict.Parameters!, labels);
    }

    /// <summary>One item from a JSONL line (a line that is not JSON is a refused item).</summary>
    public WorkflowItem ReadLine(string runId, int index, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            using var document = JsonDocument.Parse(line, LineOptions);
            return ReadItem(runId, index, document.RootElement);
        }
        catch (JsonException ex)
        {
            var errors = new ValidationErrors();
            errors.Add(GenerationRequestJsonReader.BodyField, $"The line is not valid JSON: {ex.Message.Split(". ")[0]}.");
            return WorkflowItem.Refused(index, WorkflowItemRefusal.FromValidation(errors, malformed: true));
        }
    }

    /// <summary>The non-blank lines of a JSONL text, in order (a trailing newline or blank lines add no items).</summary>
    public static IReadOnlyList<string> SplitLines(string jsonl)
    {
        ArgumentNullException.ThrowIfNull(jsonl);
        return [.. jsonl.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !string.IsNullOrWhiteSpace(l))];
    }

    /// <summary>The definition of a batch run of <paramref name="items"/>.</summary>
    public WorkflowRunDefinition Define(string runId, IReadOnlyList<WorkflowItem> items, string? callbackUrl, string source, IReadOnlyDictionary<string, string>? properties = null)
        => new()
        {
            Id = runId,
            Kind = BatchOptions.Kind,
            CreatedAt = time.GetUtcNow(),
            Source = source,
            CallbackUrl = callbackUrl,
            Properties = properties ?? new Dictionary<string, string>(),
            Items = items,
        };
}
