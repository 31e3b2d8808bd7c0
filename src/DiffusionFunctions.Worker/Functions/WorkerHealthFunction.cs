using DiffusionFunctions.Worker.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DiffusionFunctions.Worker.Functions;

/// <summary>
/// <c>GET /api/health</c> on the worker (anonymous; the platform's readiness probe): 200 once the model is loaded and
/// warmed up, with the device actually in use, the model and the start-up times; 503 while loading or warming up, or
/// when start-up failed. The isolated worker's own start-up logs never reach the Functions host's log, so this (with
/// the exported telemetry and each job's <c>device</c>) is how a GPU replica running on the CPU gets noticed.
/// </summary>
public sealed class WorkerHealthFunction(EngineReadiness readiness)
{
    /// <summary>Reports the engine's readiness.</summary>
    [Function(nameof(WorkerHealth))]
    public IActionResult WorkerHealth([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        var report = readiness.Report;
        var body = new WorkerHealthReport(
            report.State switch
            {
                EngineReadinessState.Ready => "ready",
                EngineReadinessState.WarmingUp => "warming-up",
                EngineReadinessState.Loading => "loading",
                _ => "failed",
            },
            report.Device,
            report.Model,
            report.LoadMilliseconds,
            report.WarmUpMilliseconds);
        return new ObjectResult(body)
        {
            StatusCode = report.State == EngineReadinessState.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
        };
    }
}

/// <summary>The worker's health body. Start-up errors are not shown here (they are in the logs and telemetry).</summary>
/// <param name="Status"><c>ready</c>, <c>loading</c>, <c>warming-up</c> or <c>failed</c>.</param>
/// <param name="Device">The provider in use (<c>cuda:0</c>, <c>cpu</c>) once loaded.</param>
/// <param name="Model">The model's name once loaded.</param>
/// <param name="LoadMilliseconds">Model load time.</param>
/// <param name="WarmUpMilliseconds">Warm-up time (null when skipped).</param>
public sealed record WorkerHealthReport(string Status, string? Device, string? Model, long? LoadMilliseconds, long? WarmUpMilliseconds);
