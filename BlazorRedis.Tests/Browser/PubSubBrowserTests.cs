using BlazorRedis.Core.PubSub;
using BlazorRedis.Tests.Core.PubSub;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task A_40_KB_message_typed_in_the_page_is_published_exactly_as_typed()
    {
        // Over the circuit's old 32 KB incoming limit: the field's change event was dropped, and the click then
        // published the message that was in the field before.
        var ct = TestContext.Current.CancellationToken;
        var channel = "big-" + Guid.NewGuid().ToString("N")[..8];
        var (handler, inbox) = RedisPubSubServiceTests.Inbox();
        await using var sub = (await browser.App.Services.GetRequiredService<IPubSubService>().SubscribeAsync(channel, isPattern: false, handler)).Value;
        var page = await browser.OpenAsync("/pubsub");
        await Assertions.Expect(page.GetByTestId("panel-state")).ToHaveTextAsync(["online", "online", "online"]);
        var typed = string.Concat(Enumerable.Range(0, 4000).Select(i => $"line {i:D4}\n"));
        Assert.InRange(typed.Length, 40_000, PubSubValidation.MaxMessageBytes);

        await page.GetByTestId("publish-channel").FillAsync(channel);
        // The field's value set at once and its change sent, as after a paste: typing 40,000 characters key by key (or
        // Playwright's fill of that much) takes longer than the test's patience.
        await page.GetByTestId("publish-message").EvaluateAsync(
            "(el, text) => { el.value = text; el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true })); }",
            typed);
        await page.GetByTestId("publish").ClickAsync();

        var got = await inbox.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromMilliseconds(BrowserFixture.PatienceMs), ct);
        Assert.Equal(typed, got.Message);
        await Assertions.Expect(page.GetByTestId("receivers")).ToContainTextAsync("(integer) 1");
    }
}
