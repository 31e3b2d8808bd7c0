using DiffusionFunctions.TestSupport;

namespace DiffusionFunctions.Training.Tests.Api;

/// <summary>The API-level semantic tests share one <see cref="AzuriteFixture"/>; each test uses its own containers and queues.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
