namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// One option of a command: <c>--name VALUE</c>, or a flag (<c>--name</c>, no value) when <paramref name="ValueName"/> is
/// <see langword="null"/>. The description and default are what <c>dfx COMMAND --help</c> prints.
/// </summary>
/// <param name="Name">The option name without the leading dashes.</param>
/// <param name="ValueName">The placeholder for the value in help (<c>N</c>, <c>DIR</c>); <see langword="null"/> for a flag.</param>
/// <param name="Description">What the option does, one line.</param>
/// <param name="Default">The default in words, or <see langword="null"/> when there is none to state.</param>
public sealed record OptionSpec(string Name, string? ValueName, string Description, string? Default = null)
{
    /// <summary>Whether the option is a flag without a value.</summary>
    public bool IsFlag => ValueName is null;

    /// <summary>A value option.</summary>
    public static OptionSpec Value(string name, string valueName, string description, string? defaultValue = null) =>
        new(name, valueName, description, defaultValue);

    /// <summary>A flag.</summary>
    public static OptionSpec Flag(string name, string description) => new(name, null, description);
}
