using DiffusionFunctions.Api;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// Function app #1: the HTTP API. Services: see DiffusionApiServiceCollectionExtensions.AddDiffusionApi.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ExceptionHandlingMiddleware>();
builder.Services.AddDiffusionApi(builder.Configuration);
builder.Build().Run();
