using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.Hosting.Tests;

/// <summary>
/// The hosted checks share the process's Azurite (<see cref="AzuriteFixture"/>) and run one at a time: each starts both
/// function apps, and two such runs at once on a small CI machine would only slow each other past their deadlines.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostingCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Hosted function apps";
}
