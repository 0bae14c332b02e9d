using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BlazorRedis.Bench;

/// <summary>
/// Issue 15's yardstick with nothing of ours in it, for bench/libraries.sh: a bare ASP.NET Core server (the slim
/// builder, no middleware, no logging) whose two endpoints answer the same bytes, the app's own product reply.
/// <c>GET /memory</c> answers them from memory; <c>GET /redis</c> from one raw Redis GET. What the first gains over the
/// second is the most any in-process cache can gain over a Redis read on the machine, whatever the app around it does.
/// </summary>
internal static class BareServer
{
    public static async Task RunAsync(int port, string redis, string replyFile)
    {
        var reply = await File.ReadAllBytesAsync(replyFile);
        await using var mux = await ConnectionMultiplexer.ConnectAsync(redis);
        var db = mux.GetDatabase();
        RedisKey key = "br:bench:bare";
        await db.StringSetAsync(key, reply);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapGet("/memory", () => Results.Bytes(reply, "application/json"));
        app.MapGet("/redis", async () => await db.StringGetAsync(key) is { IsNull: false } value
            ? Results.Bytes((byte[])value!, "application/json")
            : Results.NotFound());
        await app.RunAsync($"http://127.0.0.1:{port}");
    }
}
