namespace DiffusionFunctions.Deployment.Tests.Bicep;

/// <summary>
/// The CORS story in Azure (issue 14): the API function app's <c>cors.allowedOrigins</c> comes from the
/// <c>apiAllowedOrigins</c> parameter of main.bicep (empty by default), as <c>DiffusionFunctions:Api:AllowedOrigins</c>
/// does for the local host.
/// </summary>
[Collection(CompiledBicepCollection.Name)]
public sealed class CorsTests(CompiledBicep compiled)
{
    [Fact]
    public void The_api_apps_allowed_origins_come_from_a_parameter_that_defaults_to_none()
    {
        var parameter = compiled.Main.Json["parameters"]!["apiAllowedOrigins"]!;
        Assert.Equal("array", (string?)parameter["type"]);
        Assert.Empty(parameter["defaultValue"]!.AsArray());
        Assert.Equal("[parameters('apiAllowedOrigins')]", (string?)compiled.Main.ModuleDeployment("api")["properties"]!["parameters"]!["allowedOrigins"]!["value"]);

        var site = compiled.Main.Module("api").OfType("Microsoft.Web/sites").Single();
        var cors = site["properties"]!["siteConfig"]!["cors"]!;
        Assert.Equal("[parameters('allowedOrigins')]", (string?)cors["allowedOrigins"]);
        Assert.False((bool)cors["supportCredentials"]!);
    }
}
