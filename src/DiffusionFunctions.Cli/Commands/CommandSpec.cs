namespace DiffusionFunctions.Cli.Commands;

/// <summary>What one dfx command accepts and how <c>--help</c> describes it.</summary>
/// <param name="Name">The command words (<c>generate</c>, <c>model inspect</c>).</param>
/// <param name="Summary">One line: what the command does.</param>
/// <param name="Arguments">Positional arguments in usage form (<c>DIR</c>), or empty.</param>
/// <param name="Options">The accepted options, in help order.</param>
/// <param name="Notes">Extra help lines printed after the options (examples, the list of schedulers).</param>
public sealed record CommandSpec(string Name, string Summary, string Arguments, IReadOnlyList<OptionSpec> Options, IReadOnlyList<string> Notes)
{
    /// <summary>The option called <paramref name="name"/>, or <see langword="null"/>.</summary>
    public OptionSpec? Find(string name) => Options.FirstOrDefault(o => o.Name == name);

    /// <summary>The usage line: <c>dfx NAME ARGS [options]</c>.</summary>
    public string Usage => $"dfx {Name}{(Arguments.Length > 0 ? " " + Arguments : "")} [options]";
}
