using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DiffusionFunctions.Core.Telemetry;

/// <summary>OpenTelemetry for both function apps.</summary>
public static class DiffusionTelemetryServiceCollectionExtensions
{
    /// <summary>The Application Insights connection string setting (no secret: it names the resource; auth is Entra ID).</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The client id of the user-assigned identity that authenticates to Application Insights (optional).</summary>
    public const string ClientIdSetting = "AZURE_CLIENT_ID";

    /// <summary>
    /// Registers OpenTelemetry tracing (the job spans and the engine's phase spans) and metrics (the job meter) for the
    /// service named <paramref name="serviceName"/>, exported to Azure Monitor when <see cref="ConnectionStringSetting"/>
    /// is set, authenticating with the app's managed identity (<see cref="ClientIdSetting"/> picks a user-assigned one),
    /// never with an instrumentation key alone. The app adds its host's instrumentation to the returned builder
    /// (<c>UseFunctionsWorkerDefaults()</c> in the function apps).
    /// </summary>
    public static OpenTelemetryBuilder AddDiffusionTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing.AddSource(DiffusionTelemetry.SourceName, DiffusionTelemetry.EngineSourceName))
            .WithMetrics(metrics => metrics.AddMeter(DiffusionTelemetry.SourceName));
        var connectionString = configuration[ConnectionStringSetting];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            var clientId = configuration[ClientIdSetting];
            builder.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                options.Credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
            });
        }

        return builder;
    }
}
