using System.Globalization;

namespace DiffusionFunctions.LocalRunner;

/// <summary>Command-line options of the local run.</summary>
internal sealed record LocalRunOptions
{
    /// <summary>The API's port in <c>--serve</c> mode (the Functions host's default); the worker's is 7072 under <c>func</c>.</summary>
    public const int DefaultServePort = 7071;

    public string Prompt { get; init; } = "a yellow star on a blue background";

    public int Steps { get; init; } = 25;

    public int Size { get; init; } = 64;

    public long Seed { get; init; } = 42;

    public string OutputDirectory { get; init; } = "out";

    public string? ModelPath { get; init; }

    /// <summary><c>--models</c>: several models, one in-process worker each; the first is the default. Null: one model.</summary>
    public IReadOnlyList<LocalModel>? Models { get; init; }

    public bool ForceInProcess { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Keep the API up until Ctrl-C (SIGINT) or SIGTERM instead of running one sample job.</summary>
    public bool Serve { get; init; }

    /// <summary>The API's port in <c>--serve</c> mode (0: a free one; the run prints it).</summary>
    public int Port { get; init; } = DefaultServePort;

    /// <summary>Stop when standard input closes (for a parent process that holds the pipe; not in the usage).</summary>
    public bool StopWhenStandardInputCloses { get; init; }

    /// <summary>Origins allowed to call the API from a browser (CORS), comma-separated; <c>*</c> for any.</summary>
    public string? AllowedOrigins { get; init; }

    public const string Usage = """
        Usage: infra/scripts/run-local.sh [options]
               (or: dotnet run --project src/DiffusionFunctions.LocalRunner -c Release -- [options])
          --serve               keep the API up on 127.0.0.1:7071 (playground at /playground) until Ctrl-C,
                                instead of running one sample job
          --port N              the API's port with --serve (default 7071; 0 picks a free one)
          --allowed-origins L   origins allowed to call the API from a browser (CORS), comma-separated, or *
                                (default: none beyond the API's own origin)
          --prompt TEXT         the sample prompt (default: a yellow star on a blue background)
          --steps N             denoising steps (default 25)
          --size N              width and height in pixels, a multiple of 8 (default 64; 512 for SD 1.5)
          --seed N              seed (default 42)
          --model DIR           model folder (default: the shipped models/tiny-shapes)
          --models N=DIR,...    several models, one worker each on its own queue (in-process); the first is the
                                default, requests pick one with "model" (for example shapes=models/tiny-shapes,sd15=models/sd15-onnx)
          --out DIR             where the PNG lands (default out/)
          --in-process          do not use 'func' even when it is installed
          --timeout SEC         give up after this many seconds (default 600; the start-up only with --serve)
          -h, --help            this help
        """;

    /// <summary>
    /// Parses <paramref name="args"/>. Returns the options, or null with the exit code to use: 0 after <c>--help</c> (usage
    /// on stdout), 2 after a wrong option (a message naming it, and the usage, on stderr).
    /// </summary>
    public static LocalRunOptions? Parse(string[] args, out int exitCode)
    {
        exitCode = 0;
        var options = new LocalRunOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Int(int min, int max) => ParseNumber(name, Next(), min, max);
            try
            {
                switch (name)
                {
                    case "-h" or "--help":
                        Console.WriteLine(Usage);
                        return null;
                    case "--prompt": options = options with { Prompt = Next() }; break;
                    case "--steps": options = options with { Steps = Int(1, 1000) }; break;
                    case "--size": options = options with { Size = Int(8, 4096) }; break;
                    case "--seed":
                        var seed = Next();
                        options = options with
                        {
                            Seed = long.TryParse(seed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s
                                : throw new ArgumentException($"--seed must be a whole number, got '{seed}'."),
                        };
                        break;
                    case "--model": options = options with { ModelPath = Next() }; break;
                    case "--models": options = options with { Models = ParseModels(Next()) }; break;
                    case "--out": options = options with { OutputDirectory = Next() }; break;
                    case "--in-process": options = options with { ForceInProcess = true }; break;
                    case "--timeout": options = options with { Timeout = TimeSpan.FromSeconds(Int(1, 86_400)) }; break;
                    case "--serve": options = options with { Serve = true }; break;
                    case "--port": options = options with { Port = Int(0, 65_535) }; break;
                    case "--stop-when-stdin-closes": options = options with { StopWhenStandardInputCloses = true }; break;
                    case "--allowed-origins": options = options with { AllowedOrigins = Next() }; break;
                    default: throw new ArgumentException($"unknown option '{name}'.");
                }
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine("local-run: " + ex.Message);
                Console.Error.WriteLine(Usage);
                exitCode = 2;
                return null;
            }
        }

        if (options.Models is not null && options.ModelPath is not null)
        {
            Console.Error.WriteLine("local-run: give either --model or --models, not both.");
            Console.Error.WriteLine(Usage);
            exitCode = 2;
            return null;
        }

        return options;
    }

    private static List<LocalModel> ParseModels(string value)
    {
        var models = new List<LocalModel>();
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? item[..equals] : string.Empty;
            if (!Core.Routing.ModelListOptionsValidator.IsValidName(name) || equals == item.Length - 1)
            {
                throw new ArgumentException($"--models takes NAME=DIR pairs, comma-separated, each NAME {Core.Routing.ModelListOptionsValidator.NameRule}; got '{item}'.");
            }

            if (models.Any(m => m.Name == name))
            {
                throw new ArgumentException($"--models names '{name}' twice.");
            }

            models.Add(new LocalModel(name, item[(equals + 1)..]));
        }

        return models.Count > 0 ? models : throw new ArgumentException("--models needs at least one NAME=DIR.");
    }

    private static int ParseNumber(string name, string value, int min, int max)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, got '{value}'.");
}
