using System.Text.RegularExpressions;

namespace DiffusionFunctions.Deployment.Tests.Image;

/// <summary>A Dockerfile read into stages of instructions (continuation lines joined, comments dropped).</summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<Stage> stages) => Stages = stages;

    public IReadOnlyList<Stage> Stages { get; }

    public Stage FinalStage => Stages[^1];

    public static Dockerfile Load() => Parse(RepositoryPaths.ReadText("infra", "worker", "Dockerfile"));

    public static Dockerfile Parse(string text)
    {
        var stages = new List<Stage>();
        var logical = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (logical.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                logical += line[..^1] + " ";
                continue;
            }

            logical += line;
            var instruction = Instruction.Parse(logical.Trim());
            logical = string.Empty;
            if (instruction.Keyword == "FROM")
            {
                stages.Add(new Stage(instruction.Arguments));
            }
            else if (stages.Count > 0)
            {
                stages[^1].Instructions.Add(instruction);
            }
        }

        return new Dockerfile(stages);
    }

    internal sealed record Instruction(string Keyword, string Arguments)
    {
        public static Instruction Parse(string line)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            return space < 0 ? new(line.ToUpperInvariant(), string.Empty) : new(line[..space].ToUpperInvariant(), line[(space + 1)..].Trim());
        }
    }

    internal sealed partial class Stage(string from)
    {
        /// <summary>The FROM arguments: the image, and "AS name" when given.</summary>
        public string From { get; } = from;

        public string Image => From.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

        public List<Instruction> Instructions { get; } = [];

        public IEnumerable<Instruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

        /// <summary>Every ENV assignment of the stage, in order (both the "K=V K2=V2" and the "K V" forms).</summary>
        public IEnumerable<KeyValuePair<string, string>> EnvAssignments()
        {
            foreach (var env in All("ENV"))
            {
                var pairs = Assignment().Matches(env.Arguments);
                if (pairs.Count == 0)
                {
                    var space = env.Arguments.IndexOf(' ', StringComparison.Ordinal);
                    yield return KeyValuePair.Create(env.Arguments[..space], env.Arguments[(space + 1)..].Trim());
                    continue;
                }

                foreach (Match pair in pairs)
                {
                    yield return KeyValuePair.Create(pair.Groups[1].Value, pair.Groups[2].Value.Trim('"'));
                }
            }
        }

        public string? Env(string name) => EnvAssignments().LastOrDefault(p => p.Key == name).Value;

        [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(""[^""]*""|\S+)")]
        private static partial Regex Assignment();
    }
}
