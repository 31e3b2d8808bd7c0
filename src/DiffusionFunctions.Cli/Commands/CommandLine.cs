using System.Globalization;

namespace DiffusionFunctions.Cli.Commands;

/// <summary>
/// The parsed arguments of one command: positional words and <c>--name value</c> / <c>--name=value</c> options, each checked
/// against the options the command accepts. Reading a value converts and range-checks it, throwing <see cref="UsageException"/>.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string> _options;
    private readonly HashSet<string> _flags;

    private CommandLine(CommandSpec command, List<string> positionals, Dictionary<string, string> options, HashSet<string> flags)
    {
        Command = command;
        Positionals = positionals;
        _options = options;
        _flags = flags;
    }

    /// <summary>The command these arguments are for.</summary>
    public CommandSpec Command { get; }

    /// <summary>Arguments that are not options, in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>
    /// Parses <paramref name="args"/> for <paramref name="command"/>: every option must be one it accepts; value options need
    /// a value, flags take none.
    /// </summary>
    /// <exception cref="UsageException">An unknown, repeated or value-less option, or a flag given a value.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args, CommandSpec command)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(command);
        var positionals = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positionals.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[2..equals] : arg[2..];
            var spec = command.Find(name)
                ?? throw new UsageException($"unknown option --{name}; valid options: {string.Join(", ", command.Options.Select(o => "--" + o.Name))} (see 'dfx {command.Name} --help').");
            if (spec.IsFlag)
            {
                if (equals > 0)
                {
                    throw new UsageException($"option --{name} takes no value.");
                }

                if (!flags.Add(name))
                {
                    throw new UsageException($"option --{name} is given twice.");
                }

                continue;
            }

            string value;
            if (equals > 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"option --{name} needs a value ({spec.ValueName}).");
            }

            if (!options.TryAdd(name, value))
            {
                throw new UsageException($"option --{name} is given twice.");
            }
        }

        return new CommandLine(command, positionals, options, flags);
    }

    /// <summary>Whether the flag <c>--name</c> was given.</summary>
    public bool Has(string name) => _flags.Contains(name);

    /// <exception cref="UsageException">Any positional argument (for commands that take none).</exception>
    public void RefusePositionals()
    {
        if (Positionals.Count > 0)
        {
            throw new UsageException($"unexpected argument '{Positionals[0]}' (see 'dfx {Command.Name} --help').");
        }
    }

    /// <summary>The value of <c>--name</c> as one of <paramref name="choices"/> (case-insensitive, returned as listed), or <see langword="null"/>.</summary>
    /// <exception cref="UsageException">Another value; the message lists the choices.</exception>
    public string? GetChoice(string name, IReadOnlyList<string> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var text = Get(name);
        if (text is null)
        {
            return null;
        }

        return choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase))
            ?? throw new UsageException($"option --{name} must be one of {string.Join(", ", choices)}, not '{text}'.");
    }

    /// <summary>The value of <c>--name</c>: a side length that is a multiple of <paramref name="multiple"/> within [min, max], or <see langword="null"/>.</summary>
    /// <exception cref="UsageException">Not an integer, out of range or not a multiple.</exception>
    public int? GetSide(string name, int min, int max, int multiple)
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max || value % multiple != 0)
        {
            throw new UsageException($"option --{name} must be a multiple of {multiple} from {min} to {max}, not '{text}'.");
        }

        return value;
    }

    /// <summary>The value of <c>--name</c>, or <see langword="null"/>.</summary>
    public string? Get(string name) => _options.GetValueOrDefault(name);

    /// <summary>The value of <c>--name</c>.</summary>
    /// <exception cref="UsageException">The option is missing.</exception>
    public string Require(string name) => Get(name) ?? throw new UsageException($"option --{name} is required.");

    /// <summary>The integer value of <c>--name</c> within [<paramref name="min"/>, <paramref name="max"/>], or <see langword="null"/>.</summary>
    public int? GetInt(string name, int min, int max)
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"option --{name} must be an integer from {min} to {max}, not '{text}'.");
        }

        return value;
    }

    /// <summary>The 64-bit integer value of <c>--name</c>, or <see langword="null"/>.</summary>
    public long? GetLong(string name)
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"option --{name} must be an integer, not '{text}'.");
    }

    /// <summary>The number value of <c>--name</c> within [<paramref name="min"/>, <paramref name="max"/>], or <see langword="null"/>.</summary>
    public double? GetDouble(string name, double min, double max)
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= min && value <= max))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"option --{name} must be a number from {min} to {max}, not '{text}'."));
        }

        return value;
    }

    /// <summary>The value of <c>--name</c> as one of <paramref name="choices"/> (case-insensitive), or <see langword="null"/>.</summary>
    public TEnum? GetEnum<TEnum>(string name, IReadOnlyDictionary<string, TEnum> choices)
        where TEnum : struct
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }

        foreach (var (key, value) in choices)
        {
            if (string.Equals(key, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new UsageException($"option --{name} must be one of {string.Join(", ", choices.Keys)}, not '{text}'.");
    }
}
