using DiffusionFunctions.Api;
using DiffusionFunctions.Core.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Function app #1: the HTTP API. Services: see DiffusionApiServiceCollectionExtensions.AddDiffusionApi.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ExceptionHandlingMiddleware>();
builder.Services.AddDiffusionApi(builder.Configuration);
// Traces (the submit span's context travels in the queue message to the worker) and metrics; Azure Monitor when
// APPLICATIONINSIGHTS_CONNECTION_STRING is set.
builder.Services.AddDiffusionTelemetry(builder.Configuration, "diffusionfunctions-api").UseFunctionsWorkerDefaults();
builder.Logging.AddFilter("Azure", LogLevel.Warning);
builder.Build().Run();
