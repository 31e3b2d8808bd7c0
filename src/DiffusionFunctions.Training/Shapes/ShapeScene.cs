using System.Text;

namespace DiffusionFunctions.Training.Shapes;

/// <summary>
/// One tiny-shapes scene: a shape of one colour on a plain background of another, with a size and position, and
/// whether the caption says them.
/// </summary>
public sealed record ShapeScene(
    ShapeKind Shape,
    NamedColour Foreground,
    NamedColour Background,
    ShapeSize Size = ShapeSize.Medium,
    ShapePosition Position = ShapePosition.Centre,
    bool SayPosition = false)
{
    /// <summary>The caption, e.g. "a small red star in the top left on a white background".</summary>
    public string Caption
    {
        get
        {
            var text = new StringBuilder();
            var first = Size switch
            {
                ShapeSize.Small => "small",
                ShapeSize.Large => "large",
                _ => Foreground.Name,
            };
            text.Append(WithArticle(first));
            if (Size != ShapeSize.Medium)
            {
                text.Append(' ').Append(Foreground.Name);
            }

            text.Append(' ').Append(Shape.Word());
            if (Position != ShapePosition.Centre || SayPosition)
            {
                text.Append(" in the ").Append(Position.Word());
            }

            text.Append(" on ").Append(WithArticle(Background.Name)).Append(" background");
            return text.ToString();
        }
    }

    /// <summary>The (foreground, shape, background) combination this scene belongs to.</summary>
    public SceneCombination Combination => new(Foreground.Name, Shape, Background.Name);

    /// <summary>The word with the article the captions give it: "a red", "an orange".</summary>
    public static string WithArticle(string word)
    {
        ArgumentException.ThrowIfNullOrEmpty(word);
        return ("aeiou".Contains(word[0], StringComparison.Ordinal) ? "an " : "a ") + word;
    }
}

/// <summary>A foreground colour x shape x background colour combination (size and position aside).</summary>
public readonly record struct SceneCombination(string Foreground, ShapeKind Shape, string Background)
{
    /// <inheritdoc />
    public override string ToString() => $"{Foreground} {Shape.Word()} on {Background}";
}
