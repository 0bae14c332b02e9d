using System.Net;
using BlazorRedis.Core.Connection;

namespace BlazorRedis.Tests.Core.Connection;

public class RedisUrlParserTests
{
    [Fact]
    public void Host_and_port_become_one_endpoint_with_abort_on_connect_fail_off()
    {
        var options = RedisUrlParser.Parse("redis://cache.internal:6380");

        var endpoint = Assert.IsType<DnsEndPoint>(Assert.Single(options.EndPoints));
        Assert.Equal("cache.internal", endpoint.Host);
        Assert.Equal(6380, endpoint.Port);
        Assert.False(options.AbortOnConnectFail);
        Assert.False(options.Ssl);
        Assert.Null(options.Password);
    }

    [Fact]
    public void Missing_port_defaults_to_6379()
    {
        var options = RedisUrlParser.Parse("redis://localhost");
        Assert.Equal(6379, Assert.IsType<DnsEndPoint>(Assert.Single(options.EndPoints)).Port);
    }

    [Fact]
    public void User_password_and_database_are_read_and_percent_decoded()
    {
        var options = RedisUrlParser.Parse("redis://alice:p%40ss%3Aword@10.1.2.3:6379/3");

        Assert.Equal("alice", options.User);
        Assert.Equal("p@ss:word", options.Password);
        Assert.Equal(3, options.DefaultDatabase);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), Assert.IsType<IPEndPoint>(Assert.Single(options.EndPoints)).Address);
    }

    [Fact]
    public void Password_without_user_is_accepted_in_both_spellings()
    {
        Assert.Equal("secret", RedisUrlParser.Parse("redis://:secret@host:6379").Password);
        Assert.Null(RedisUrlParser.Parse("redis://:secret@host:6379").User);
        Assert.Equal("secret", RedisUrlParser.Parse("redis://secret@host:6379").Password);
    }

    [Fact]
    public void Rediss_turns_on_tls_with_the_host_name_for_certificate_checks()
    {
        var options = RedisUrlParser.Parse("rediss://default:pw@redis.example.com:6380/0");

        Assert.True(options.Ssl);
        Assert.Equal("redis.example.com", options.SslHost);
        Assert.Equal("default", options.User);
    }

    [Fact]
    public void Ipv6_host_is_supported()
    {
        var options = RedisUrlParser.Parse("redis://[::1]:6400");
        var endpoint = Assert.IsType<IPEndPoint>(Assert.Single(options.EndPoints));
        Assert.Equal(IPAddress.IPv6Loopback, endpoint.Address);
        Assert.Equal(6400, endpoint.Port);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("http://localhost:6379", "must start with redis://")]
    [InlineData("localhost:6379", "must start with redis://")]
    [InlineData("redis://", "not a valid URL")]
    [InlineData("redis://host:99999", "not a valid URL")]
    [InlineData("redis://host:6379/abc", "database")]
    [InlineData("redis://host:6379/-1", "database")]
    [InlineData("redis://host:6379/0?ssl=true", "not supported")]
    public void Bad_urls_are_refused_with_a_reason(string url, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => RedisUrlParser.Parse(url));
        Assert.Contains(reason, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("redis://user:hunter2@host:6379/abc")]
    [InlineData("redis://user:hunter2@host:6379/0?x=1")]
    [InlineData("rediss://user:hunter2@:6379")]
    public void Errors_never_echo_the_password(string url)
    {
        var ex = Assert.Throws<FormatException>(() => RedisUrlParser.Parse(url));
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Description_names_endpoint_tls_and_database_but_not_the_password()
    {
        var text = RedisUrlParser.Describe(RedisUrlParser.Parse("rediss://bob:hunter2@redis.example.com:6380/2"));

        Assert.Contains("redis.example.com:6380", text, StringComparison.Ordinal);
        Assert.Contains("TLS", text, StringComparison.Ordinal);
        Assert.Contains("db 2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_endpoints_separated_by_commas_share_the_first_ones_scheme_and_credentials()
    {
        var options = RedisUrlParser.Parse("rediss://:pw@node-a:7000, node-b:7001,rediss://:pw@node-c:7002");

        Assert.Equal(["node-a:7000", "node-b:7001", "node-c:7002"], options.EndPoints.Cast<DnsEndPoint>().Select(e => $"{e.Host}:{e.Port}"));
        Assert.True(options.Ssl);
        Assert.Equal("pw", options.Password);
        Assert.Contains("node-b:7001", RedisUrlParser.Describe(options), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis://a:7000,,b:7001", "empty endpoint")]
    [InlineData("redis://a:7000,a:7000", "twice")]
    [InlineData("redis://:hunter2@a:7000,redis://:other@b:7001", "differ")]
    [InlineData("redis://a:7000,rediss://b:7001", "differ")]
    [InlineData("redis://a:7000,b:99999", "not a valid URL")]
    public void A_bad_list_of_endpoints_is_refused_with_a_reason_and_no_password(string url, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => RedisUrlParser.Parse(url));
        Assert.Contains(reason, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }
}
