using DiffusionFunctions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// Function app #2: the GPU worker. Services: see DiffusionWorkerServiceCollectionExtensions.AddDiffusionWorker.
// The model loads once when the host starts (DiffusionModelHost); host.json runs one message at a time per instance.
var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddDiffusionWorker(builder.Configuration);
builder.Build().Run();
