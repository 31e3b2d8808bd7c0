using System.Globalization;

namespace DiffusionFunctions.LocalRunner;

/// <summary>Command-line options of the local run.</summary>
internal sealed record LocalRunOptions
{
    public string Prompt { get; init; } = "a yellow star on a blue background";

    public int Steps { get; init; } = 25;

    public int Size { get; init; } = 64;

    public long Seed { get; init; } = 42;

    public string OutputDirectory { get; init; } = "out";

    public string? ModelPath { get; init; }

    public bool ForceInProcess { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public const string Usage = """
        Usage: dotnet run --project src/DiffusionFunctions.LocalRunner -- [options]
          --prompt TEXT     the sample prompt (default: a yellow star on a blue background)
          --steps N         denoising steps (default 25)
          --size N          width and height in pixels, a multiple of 8 (default 64; 512 for SD 1.5)
          --seed N          seed (default 42)
          --model DIR       model folder (default: the shipped models/tiny-shapes)
          --out DIR         where the PNG lands (default out/)
          --in-process      do not use 'func' even when it is installed
          --timeout SEC     give up after this many seconds (default 600)
        """;

    /// <summary>Parses <paramref name="args"/>; null with a message on stderr when they are wrong.</summary>
    public static LocalRunOptions? Parse(string[] args)
    {
        var options = new LocalRunOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            try
            {
                options = args[i] switch
                {
                    "--prompt" => options with { Prompt = Next() },
                    "--steps" => options with { Steps = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--size" => options with { Size = int.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--seed" => options with { Seed = long.Parse(Next(), CultureInfo.InvariantCulture) },
                    "--model" => options with { ModelPath = Next() },
                    "--out" => options with { OutputDirectory = Next() },
                    "--in-process" => options with { ForceInProcess = true },
                    "--timeout" => options with { Timeout = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                    "-h" or "--help" => throw new ArgumentException(""),
                    _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
                };
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
            {
                if (ex.Message.Length > 0)
                {
                    Console.Error.WriteLine("local-run: " + ex.Message);
                }

                Console.Error.WriteLine(Usage);
                return null;
            }
        }

        return options;
    }
}
