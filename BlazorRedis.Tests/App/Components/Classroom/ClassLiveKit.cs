using BlazorRedis.App.Components.Layout;
using BlazorRedis.Core.Classroom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.Classroom;

/// <summary>Waits for a learner's <see cref="ClassLive"/> to be fully attached to their class.</summary>
public static class ClassLiveKit
{
    /// <summary>
    /// Attached means both of its class-event subscriptions are live: <see cref="ClassLive"/>'s own, and that of the class
    /// channel card it renders once it knows the class. Waiting for one of them only is a race: the card's comes a moment
    /// later, so a check that lands after it sees two.
    /// </summary>
    public static void WaitUntilAttached(IRenderedComponent<ClassLive> cut, IServiceProvider services, string code, TimeSpan wait) =>
        cut.WaitForAssertion(() =>
        {
            Assert.NotEmpty(cut.FindAll("[data-testid=chat-card]"));
            Assert.Equal(2, services.GetRequiredService<ClassEventHub>().SubscriberCount(code));
        }, wait);
}
