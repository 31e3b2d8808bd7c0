using DiffusionFunctions.Api.Problems;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Api.Tests;

internal static class ProblemAssert
{
    /// <summary>Asserts <paramref name="result"/> is an application/problem+json result with the status, type and field.</summary>
    public static ProblemDetails IsProblem(IActionResult result, int status, string type, string? field)
    {
        var objectResult = Assert.IsType<ObjectResult>(result);
        Assert.Equal(status, objectResult.StatusCode);
        Assert.Contains(ProblemResults.ContentType, objectResult.ContentTypes);
        var problem = Assert.IsAssignableFrom<ProblemDetails>(objectResult.Value);
        Assert.Equal(type, problem.Type);
        Assert.Equal(status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        if (field is not null)
        {
            if (problem is ValidationProblemDetails validation)
            {
                Assert.Contains(field, validation.Errors.Keys);
                Assert.Contains(field, problem.Detail, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(field, problem.Extensions["field"]);
            }
        }

        return problem;
    }

    /// <summary>Asserts a 400 validation problem with an error on <paramref name="field"/>.</summary>
    public static ValidationProblemDetails Validation(IActionResult result, string field)
        => Assert.IsType<ValidationProblemDetails>(IsProblem(result, 400, ProblemTypes.Validation, field));
}
