using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

/// <summary>
/// Remembers every text that elements matching a CSS selector showed, even for a moment. A state the page only
/// passes through (a progress line, the first step of a story) can come and go between two polls of a wait when
/// a busy machine delivers several render batches at once; this records it from inside the page instead.
/// </summary>
internal static class PageHistory
{
    private const string Watch = """
        selector => {
            const seen = (window.__brSeen ??= {})[selector] = [];
            const note = node => {
                if (node.nodeType !== Node.ELEMENT_NODE) {
                    return;
                }
                if (node.matches(selector)) {
                    seen.push(node.textContent);
                }
                node.querySelectorAll(selector).forEach(e => seen.push(e.textContent));
            };
            document.querySelectorAll(selector).forEach(e => seen.push(e.textContent));
            new MutationObserver(records => {
                for (const r of records) {
                    const owner = (r.target.nodeType === Node.ELEMENT_NODE ? r.target : r.target.parentElement)?.closest(selector);
                    if (r.type === 'characterData') {
                        if (owner) {
                            seen.push(r.oldValue ?? '', owner.textContent);
                        }
                        continue;
                    }
                    if (owner) {
                        seen.push(owner.textContent);
                        r.removedNodes.forEach(n => seen.push(n.textContent ?? ''));
                    }
                    r.addedNodes.forEach(note);
                    r.removedNodes.forEach(note);
                }
            }).observe(document.body, { subtree: true, childList: true, characterData: true, characterDataOldValue: true });
        }
        """;

    /// <summary>Starts recording what elements matching <paramref name="cssSelector"/> show (call before the action).</summary>
    public static Task WatchAsync(IPage page, string cssSelector) => page.EvaluateAsync(Watch, cssSelector);

    /// <summary>Every text such an element showed since <see cref="WatchAsync"/>, oldest first; empty if none appeared.</summary>
    public static Task<string[]> SeenAsync(IPage page, string cssSelector) =>
        page.EvaluateAsync<string[]>("selector => window.__brSeen?.[selector] ?? []", cssSelector);
}
