using System.Text.Json;
using Azure;
using DiffusionFunctions.Api.Problems;
using DiffusionFunctions.Core.Generation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DiffusionFunctions.Api.Tests;

public sealed class ExceptionProblemMapperTests
{
    [Fact]
    public void Storage_failure_is_a_503_storage_unavailable_with_the_trace_id()
    {
        var problem = ExceptionProblemMapper.Map(new RequestFailedException(500, "InternalError"), "trace-1");

        Assert.Equal(ProblemTypes.StorageUnavailable, problem.Type);
        Assert.Equal(503, problem.Status);
        Assert.Equal("trace-1", problem.Extensions["traceId"]);
    }

    [Fact]
    public void Storage_failure_inside_an_aggregate_is_still_a_503()
    {
        var problem = ExceptionProblemMapper.Map(new AggregateException(new RequestFailedException(503, "ServerBusy")), "t");

        Assert.Equal(ProblemTypes.StorageUnavailable, problem.Type);
    }

    [Fact]
    public void Unexpected_failure_is_a_500_internal_that_does_not_leak_the_message()
    {
        var problem = ExceptionProblemMapper.Map(new InvalidOperationException("connection string AccountKey=secret"), "trace-2");

        Assert.Equal(ProblemTypes.Internal, problem.Type);
        Assert.Equal(500, problem.Status);
        Assert.DoesNotContain("secret", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_body_rejected_by_the_server_is_a_413()
    {
        var problem = ExceptionProblemMapper.Map(new BadHttpRequestException("too big", StatusCodes.Status413PayloadTooLarge), "t");

        Assert.Equal(ProblemTypes.PayloadTooLarge, problem.Type);
        Assert.Equal(413, problem.Status);
    }

    [Fact]
    public void Validation_problem_serializes_as_rfc7807_with_an_errors_dictionary()
    {
        var errors = new ValidationErrors();
        errors.Add("width", "width must be a multiple of 8, got 500.");
        var problem = Assert.IsType<ValidationProblemDetails>(ProblemResults.Validation(errors).Value);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(problem, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

        Assert.Equal(ProblemTypes.Validation, json.RootElement.GetProperty("type").GetString());
        Assert.Equal(400, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("width must be a multiple of 8, got 500.", json.RootElement.GetProperty("errors").GetProperty("width")[0].GetString());
        Assert.Contains("width", json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_job_record_is_a_500_with_its_own_type_and_no_detail_from_the_record()
    {
        var problem = ExceptionProblemMapper.Map(
            new Core.Jobs.JobRecordUnreadableException("0123456789abcdef0123456789abcdef", "'x' is an invalid start of a value. LineNumber: 0"), "t");

        Assert.Equal(ProblemTypes.JobRecordUnreadable, problem.Type);
        Assert.Equal(500, problem.Status);
        Assert.DoesNotContain("invalid start", problem.Detail, StringComparison.Ordinal);
    }
}
