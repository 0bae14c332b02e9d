using BlazorRedis.Core.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.RateLimiting;

public class RateLimitingOptionsTests
{
    [Fact]
    public void Defaults_are_ten_requests_per_ten_seconds_failing_open()
    {
        var options = Bind([]);

        Assert.Equal(10, options.PermitLimit);
        Assert.Equal(10, options.WindowSeconds);
        Assert.True(options.FailOpen);
    }

    [Theory]
    [InlineData("RateLimiting:PermitLimit", "0")]
    [InlineData("RateLimiting:WindowSeconds", "-5")]
    public void A_bad_setting_is_refused_with_a_message_naming_it(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static RateLimitingOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddRedisRateLimiting(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
    }
}
