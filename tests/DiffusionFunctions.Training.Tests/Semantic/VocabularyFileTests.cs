using System.Text.Json;
using DiffusionFunctions.Training.Shapes;

namespace DiffusionFunctions.Training.Tests.Semantic;

/// <summary><c>models/tiny-shapes/vocabulary.json</c> (what <c>GET /api/models</c> publishes) lists exactly the words of the training captions.</summary>
public sealed class VocabularyFileTests
{
    [Fact]
    public void Vocabulary_file_lists_exactly_the_words_of_the_training_captions()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TinyShapesModelFixture.FolderPath, "vocabulary.json")));
        var listed = json.RootElement.GetProperty("words").EnumerateArray().Select(w => w.GetString()!).ToHashSet(StringComparer.Ordinal);

        var captions = TrainingScenes.Everything()
            .SelectMany(scene => scene.Caption.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(captions.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }
}
