namespace DiffusionFunctions.LocalRunner.Tests;

/// <summary>
/// One <c>--serve</c> process shared by the README, CORS and browser tests (starting one costs Azurite and a model load).
/// It allows one foreign origin, to show the CORS setting at work.
/// </summary>
public sealed class ServeFixture : IAsyncLifetime
{
    public const string ForeignOrigin = "http://playground.example.test:8080";

    private ServeProcess? _serve;

    internal ServeProcess Serve => _serve ?? throw new InvalidOperationException("The serve process has not started.");

    public async Task InitializeAsync() => _serve = await ServeProcess.StartAsync("--allowed-origins", ForeignOrigin);

    public async Task DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServeCollection : ICollectionFixture<ServeFixture>
{
    public const string Name = "local serve";
}
