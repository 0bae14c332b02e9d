using System.Net;
using BlazorRedis.Core.Connection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Connection;

public class RedisEndpointTests
{
    [Fact]
    public void Redis_url_wins_over_the_connection_string()
    {
        using var endpoint = RedisEndpoint.Resolve(
            new RedisConnectionOptions { Url = "redis://from-url:6390", ConnectionString = "from-cs:6391" }, NullLogger.Instance);

        Assert.Equal(RedisMode.External, endpoint.Mode);
        Assert.Equal("REDIS_URL", endpoint.Source);
        Assert.Equal("from-url", Assert.IsType<DnsEndPoint>(Assert.Single(endpoint.CreateOptions().EndPoints)).Host);
    }

    [Fact]
    public void Connection_string_is_parsed_with_stackexchange_syntax_and_never_aborts_on_connect_fail()
    {
        using var endpoint = RedisEndpoint.Resolve(
            new RedisConnectionOptions { ConnectionString = "cache:6385,password=pw,ssl=true,abortConnect=true" }, NullLogger.Instance);

        var options = endpoint.CreateOptions();
        Assert.Equal("ConnectionStrings:redis", endpoint.Source);
        Assert.True(options.Ssl);
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal("pw", options.Password);
        Assert.DoesNotContain("pw", endpoint.Description.Replace("password set", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cache:6379,nosuchoption=1")]
    [InlineData(",,,")]
    public void Bad_connection_strings_are_refused_naming_the_setting(string connectionString)
    {
        var ex = Assert.Throws<FormatException>(() =>
            RedisEndpoint.Resolve(new RedisConnectionOptions { ConnectionString = connectionString }, NullLogger.Instance));
        Assert.Contains("ConnectionStrings:redis", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("999999")]
    public void A_command_budget_out_of_range_is_refused_naming_the_setting(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:CommandTimeoutMs"] = value }).Build();
        using var provider = new ServiceCollection().AddRedisConnection(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisConnectionOptions>>().Value);

        Assert.Contains("Redis:CommandTimeoutMs", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_command_budget_is_one_second_unless_configured()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:CommandTimeoutMs"] = "250" }).Build();
        using var provider = new ServiceCollection().AddRedisConnection(configuration).BuildServiceProvider();

        Assert.Equal(250, provider.GetRequiredService<IOptions<RedisConnectionOptions>>().Value.CommandTimeoutMs);
        Assert.Equal(1000, new RedisConnectionOptions().CommandTimeoutMs);
    }

    [Fact]
    public void Nothing_configured_starts_an_embedded_server_that_the_endpoint_owns()
    {
        int pid;
        using (var endpoint = RedisEndpoint.Resolve(new RedisConnectionOptions(), NullLogger.Instance))
        {
            Assert.Equal(RedisMode.Embedded, endpoint.Mode);
            Assert.NotNull(endpoint.Embedded);
            Assert.True(endpoint.Embedded.IsRunning);
            pid = endpoint.Embedded.ServerProcessId;
        }

        Assert.False(ProcessProbe.IsAlive(pid));
    }

    [Fact]
    public void Missing_redis_server_binary_fails_with_one_line_naming_both_fixes()
    {
        var ex = Assert.Throws<RedisServerNotFoundException>(() => RedisEndpoint.Resolve(
            new RedisConnectionOptions { Embedded = { ServerPath = "/nonexistent/redis-server" } }, NullLogger.Instance));

        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("apt-get install -y redis-server", ex.Message, StringComparison.Ordinal);
        Assert.Contains("REDIS_URL", ex.Message, StringComparison.Ordinal);
    }
}
