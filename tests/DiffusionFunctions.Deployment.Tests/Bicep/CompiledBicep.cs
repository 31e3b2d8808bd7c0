namespace DiffusionFunctions.Deployment.Tests.Bicep;

/// <summary>bicep/main.bicep compiled once for all the template tests (the CLI takes seconds per file).</summary>
public sealed class CompiledBicep
{
    internal ArmTemplate Main { get; } = new(BicepCli.Build(RepositoryPaths.File("bicep", "main.bicep")));

    internal string MainText => ArmTemplate.Text(Main.Json);
}

[CollectionDefinition(Name)]
public sealed class CompiledBicepCollection : ICollectionFixture<CompiledBicep>
{
    public const string Name = "compiled bicep";
}
