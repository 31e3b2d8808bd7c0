using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace DiffusionFunctions.LocalRunner;

/// <summary>
/// The in-process host's browser side: the static playground (<c>wwwroot/playground</c>, copied beside the binaries) at
/// <c>/playground/</c> (and <c>/</c> redirecting there), and CORS for the API from the origins in
/// <see cref="AllowedOriginsSetting"/> (comma-separated, or <c>*</c>; none by default: the playground is same-origin).
/// The Functions host's equivalent is <c>Host.CORS</c> in local.settings.json, and the function app's
/// <c>cors.allowedOrigins</c> in Azure (<c>bicep/modules/api.bicep</c>, parameter <c>allowedOrigins</c>).
/// </summary>
internal static class LocalWeb
{
    public const string AllowedOriginsSetting = "DiffusionFunctions:Api:AllowedOrigins";

    /// <summary>Response headers a browser script may read (the API's contract puts job state in them too).</summary>
    private static readonly string[] ExposedHeaders = ["Location", "Retry-After", "Preference-Applied", "Idempotent-Replayed"];

    public static string PlaygroundFolder => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    public static IReadOnlyList<string> AllowedOrigins(IConfiguration configuration)
        => (configuration[AllowedOriginsSetting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static void AddServices(WebApplicationBuilder builder)
    {
        var origins = AllowedOrigins(builder.Configuration);
        if (origins.Count == 0)
        {
            return;
        }

        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            _ = origins.Contains("*") ? policy.AllowAnyOrigin() : policy.WithOrigins([.. origins]);
            policy.AllowAnyHeader().AllowAnyMethod().WithExposedHeaders(ExposedHeaders);
        }));
    }

    public static void Use(WebApplication app)
    {
        if (AllowedOrigins(app.Configuration).Count > 0)
        {
            app.UseCors();
        }

        if (!Directory.Exists(Path.Combine(PlaygroundFolder, "playground")))
        {
            return;
        }

        var files = new PhysicalFileProvider(PlaygroundFolder);
        app.MapGet("/", () => Results.Redirect("/playground/"));
        // "/playground" (no slash) is redirected to "/playground/" by the default-files middleware; an endpoint for it would
        // also match "/playground/" (routing ignores a trailing slash) and redirect forever.
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
    }
}
