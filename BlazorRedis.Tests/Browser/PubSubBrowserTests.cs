using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

public class PubSubBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_message_published_in_one_browser_appears_in_another_browsers_subscriber_panel()
    {
        var publisher = await browser.OpenAsync("/pubsub");
        var subscriber = await browser.OpenAsync("/pubsub");
        await Assertions.Expect(subscriber.GetByTestId("panel-state")).ToHaveTextAsync(["online", "online", "online"]);
        await Assertions.Expect(publisher.GetByTestId("panel-state")).ToHaveTextAsync(["online", "online", "online"]);
        var message = "order " + Guid.NewGuid().ToString("N")[..8];

        await publisher.GetByTestId("publish-channel").FillAsync("orders.created");
        await publisher.GetByTestId("publish-message").FillAsync(message);
        await publisher.GetByTestId("publish-message").PressAsync("Tab");
        await publisher.GetByTestId("publish").ClickAsync();

        var otherBrowsersPanel = subscriber.Locator("[data-testid=panel][data-name='orders.*']");
        await Assertions.Expect(otherBrowsersPanel.GetByTestId("feed-message")).ToHaveTextAsync(message);
        await Assertions.Expect(subscriber.Locator("[data-testid=panel][data-name='orders.created']").GetByTestId("feed-message")).ToHaveTextAsync(message);
        await Assertions.Expect(subscriber.Locator("[data-testid=panel][data-name='payments.*']").GetByTestId("feed-message")).ToHaveCountAsync(0);
        await Assertions.Expect(publisher.GetByTestId("receivers")).ToContainTextAsync("(integer) 2");
        await Assertions.Expect(publisher.GetByTestId("trace-operation")).ToContainTextAsync("Publish");
        await subscriber.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "pubsub-subscriber.png"), FullPage = true });

        // The other browser's late reader finds the same message in the journal stream.
        await subscriber.GetByTestId("read-group").ClickAsync();
        await Assertions.Expect(subscriber.GetByTestId("entries")).ToContainTextAsync(message);
        await publisher.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "pubsub-publisher.png"), FullPage = true });
    }
}
