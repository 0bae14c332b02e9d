using BlazorRedis.App.Components.Pages.DataStructures.Geo;
using BlazorRedis.Core.Geo;
using BlazorRedis.Tests.Infrastructure;
using Bunit;

namespace BlazorRedis.Tests.App.Components.DataStructures;

public class GeoDemoPageTests(RedisServerFixture redis) : DemoPageTestContext(redis)
{
    [Fact]
    public void Running_the_scenario_again_tells_the_same_story() => AssertTheScenarioTellsTheSameStoryTwice(RenderPage());

    [Fact]
    public Task On_a_full_server_the_trace_shows_the_whole_story() => AssertTheWholeStoryIsShownOnAFullServerAsync(RenderPage());

    private IRenderedComponent<GeoDemo> RenderPage() =>
        Loaded(RenderWithProviders<GeoDemo>(p => p.Add(x => x.StepDelay, TimeSpan.Zero)));

    [Fact]
    public void The_scenario_plots_the_cafes_and_the_search_circle_with_the_hits_nearest_first()
    {
        var cut = RenderPage();

        cut.Find("[data-testid='run-scenario']").Click();

        WaitForScenario(cut);
        Assert.Equal(10, cut.FindAll("[data-testid='geo-point']").Count);
        Assert.Equal("3", cut.Find("[data-testid='geo-radius']").GetAttribute("data-radius-km"));
        var hits = cut.FindAll("[data-testid='hit']").Select(h => h.TextContent).ToList();
        Assert.NotEmpty(hits);
        Assert.Equal(hits.Count, cut.FindAll("[data-testid='geo-point'][data-hit='true']").Count);
        Assert.Contains("GEORADIUS", cut.Find("[data-testid='legacy']").TextContent, StringComparison.Ordinal);
        Assert.Contains(cut.FindAll("[data-testid='trace-row']"), r => r.TextContent.Contains("GEOSEARCH", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("200", "12.97", "Longitude must be between -180 and 180")]
    [InlineData("77.59", "86", "Latitude must be between")]
    [InlineData("abc", "12.97", "Longitude must be a number")]
    [InlineData("NaN", "12.97", "not NaN")]
    // On main: no range for text, and "Longitude and latitude must be numbers" for 1e309.
    [InlineData("abc", "12.97", "Longitude must be a number between -180 and 180 degrees")]
    [InlineData("1e309", "12.97", "Longitude must be a number between -180 and 180 degrees")]
    [InlineData("77.59", "", "Latitude must be a number between -85.05112878 and 85.05112878 degrees")]
    [InlineData("77.59", "-1e309", "Latitude must be a number between -85.05112878 and 85.05112878 degrees")]
    public async Task Invalid_coordinates_show_a_message_and_write_nothing(string lon, string lat, string message)
    {
        var cut = RenderPage();

        InputIn(cut.Find("[data-testid='cafe-lon']")).Input(lon);
        InputIn(cut.Find("[data-testid='cafe-lat']")).Input(lat);
        cut.Find("[data-testid='geoadd']").Click();

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
        Assert.Equal(0, await KeyCountAsync("geo"));
    }

    [Fact]
    public void A_bad_radius_shows_a_message()
    {
        var cut = RenderPage();

        InputIn(cut.Find("[data-testid='radius']")).Input("-2");
        cut.Find("[data-testid='search-point']").Click();

        cut.WaitForAssertion(() => Assert.Contains("radius must be a number of kilometres above 0", cut.Find("[data-testid='form-error']").TextContent, StringComparison.Ordinal), Patience);
    }
}

public class GeoPlotTests : MudTestContext
{
    [Fact]
    public void Plots_every_cafe_highlights_the_hits_and_draws_the_radius()
    {
        var search = new GeoSearchResult(77.6010, 12.9755, 2, BengaluruCafes.Koshys, [new(BengaluruCafes.Koshys, 0), new("Indian Coffee House", 0.43)], "GEORADIUSBYMEMBER k Koshy's 2 km WITHDIST ASC");

        var cut = Render<GeoPlot>(p => p.Add(x => x.Cafes, BengaluruCafes.All).Add(x => x.Search, search));

        Assert.Equal(10, cut.FindAll("[data-testid='geo-point']").Count);
        Assert.Equal([BengaluruCafes.Koshys, "Indian Coffee House"], cut.FindAll("[data-testid='geo-point'][data-hit='true']").Select(g => g.GetAttribute("data-name")));
        var radius = double.Parse(cut.Find("[data-testid='geo-radius']").GetAttribute("r")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(radius > 20, $"radius {radius}px");
        Assert.Contains("0.43 km", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Points_keep_their_geography_east_is_right_and_north_is_up()
    {
        var cut = Render<GeoPlot>(p => p.Add(x => x.Cafes, BengaluruCafes.All));

        double Cx(string name) => double.Parse(cut.Find($"[data-name=\"{name}\"] circle").GetAttribute("cx")!, System.Globalization.CultureInfo.InvariantCulture);
        double Cy(string name) => double.Parse(cut.Find($"[data-name=\"{name}\"] circle").GetAttribute("cy")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Cx("Toit") > Cx("CTR"));
        Assert.True(Cy("CTR") < Cy("Maiyas"));
        Assert.Empty(cut.FindAll("[data-testid='geo-radius']"));
    }

    [Fact]
    public void Says_so_when_the_map_is_empty()
    {
        var cut = Render<GeoPlot>(p => p.Add(x => x.Cafes, []));

        Assert.NotNull(cut.Find("[data-testid='geo-empty']"));
    }
}
