using System.Text.Json;
using BlazorRedis.App.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.Api;

public class ApiProblemsTests
{
    [Fact]
    public async Task A_timed_out_command_is_not_promised_to_have_changed_nothing()
    {
        var (status, retryAfter, detail) = await RenderAsync(new TimeoutException("The operation has timed out."));

        Assert.Equal(503, status);
        Assert.Equal("5", retryAfter);
        Assert.Contains("may or may not have been applied", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing was changed", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_never_sent_changed_nothing_and_says_so()
    {
        var (status, _, detail) = await RenderAsync(new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "No connection is available", null, CommandStatus.Unknown));

        Assert.Equal(503, status);
        Assert.Contains("nothing was changed", detail, StringComparison.Ordinal);
    }

    private static async Task<(int Status, string? RetryAfter, string Detail)> RenderAsync(Exception failure)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        using var body = new MemoryStream();
        context.Response.Body = body;

        await ApiProblems.Unavailable(context, failure).ExecuteAsync(context);

        var json = JsonDocument.Parse(body.ToArray());
        return (context.Response.StatusCode, context.Response.Headers.RetryAfter.ToString(), json.RootElement.GetProperty("detail").GetString()!);
    }
}
