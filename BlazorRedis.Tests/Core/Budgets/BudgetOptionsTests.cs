using BlazorRedis.Core;
using BlazorRedis.Core.Budgets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Budgets;

public class BudgetOptionsTests
{
    [Fact]
    public void Large_demo_data_lives_an_hour_by_default_and_as_configured()
    {
        Assert.Equal(60, Bind([]).LargeDemoDataMinutes);
        Assert.Equal(30, Bind(new() { ["Budgets:LargeDemoDataMinutes"] = "30" }).LargeDemoDataMinutes);
    }

    [Theory]
    [InlineData("9")] // shorter than a lesson's exercise, and than the HyperLogLog's exact set
    [InlineData("1441")] // longer than a day: longer than the learner keys it was meant to cut short
    public void A_large_demo_data_life_out_of_range_is_refused_with_a_message_naming_the_setting(string minutes)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Budgets:LargeDemoDataMinutes"] = minutes }));

        Assert.Contains("Budgets:LargeDemoDataMinutes must be between 10 and 1440", error.Message, StringComparison.Ordinal);
    }

    private static BudgetOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddBlazorRedisCore(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<BudgetOptions>>().Value;
    }
}
