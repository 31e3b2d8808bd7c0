using DiffusionFunctions.Core.Telemetry;
using DiffusionFunctions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Function app #2: the GPU worker. Services: see DiffusionWorkerServiceCollectionExtensions.AddDiffusionWorker.
// The model loads once when the host starts (DiffusionModelHost); host.json runs one message at a time per instance.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication(); // GET /api/health: the engine's readiness (WorkerHealthFunction)
builder.Services.AddDiffusionWorker(builder.Configuration);
// Traces (one per job, continued from the API's submit through the queue message) and metrics; Azure Monitor when
// APPLICATIONINSIGHTS_CONNECTION_STRING is set.
builder.Services.AddDiffusionTelemetry(builder.Configuration, "diffusionfunctions-worker").UseFunctionsWorkerDefaults();
// The Azure SDK logs every storage request and response at Information (about 15 lines a job, under the function's
// category in the host's log); host.json cannot filter them, so the worker keeps only their warnings and errors.
builder.Logging.AddFilter("Azure", LogLevel.Warning);
builder.Build().Run();
