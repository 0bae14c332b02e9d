using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

/// <summary>One axe-core finding: the rule, its impact, and up to five of the nodes it found (with why).</summary>
public sealed record AxeViolation(string Id, string? Impact, string Help, int NodeCount, IReadOnlyList<AxeViolationNode> Nodes)
{
    /// <summary>What every page must be free of.</summary>
    public bool IsSeriousOrCritical => Impact is "serious" or "critical";

    public override string ToString() => $"{Id} [{Impact}] {Help} ({string.Join(", ", Nodes.Take(3).Select(n => n.Target))})";
}

/// <summary>A node a rule flagged: its CSS path and the checks' messages.</summary>
public sealed record AxeViolationNode(string Target, string Why);

/// <summary>
/// axe-core (the version Deque.AxeCore.Commons bundles) run inside the page with <c>axe.run</c>, every rule axe enables
/// by default, violations only. Deque.AxeCore.Playwright's <c>RunAxe</c> gives the same violations for a page without
/// frames, but opens a fresh browser page for every scan to merge frame results (about 2.5 s a page here, against
/// 0.1–0.4 s for the rules themselves); the app has no frames, and a scan that meets one fails rather than skip it.
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() => new BundledAxeScriptProvider().GetScript());

    // resultTypes limits the node details returned for passes, incomplete and inapplicable rules; every rule still runs
    // and violations come back whole.
    private const string Run = """
        async (scope) => {
          const root = scope ?? document;
          const frames = root.querySelectorAll('iframe, frame').length;
          if (frames > 0) {
            return { frames, violations: [] };
          }
          const result = await axe.run(root, { resultTypes: ['violations'] });
          return {
            frames,
            violations: result.violations.map(v => ({
              id: v.id,
              impact: v.impact ?? null,
              help: v.help,
              nodeCount: v.nodes.length,
              nodes: v.nodes.slice(0, 5).map(n => ({
                target: n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(', '),
                why: [...n.any, ...n.all, ...n.none].map(c => c.message).join('; '),
              })),
            })),
          };
        }
        """;

    /// <summary>
    /// Stops every transition and animation on <paramref name="page"/>: colours mid-transition (a button fading from
    /// disabled to enabled) are not what anyone reads, so a scan sees the end state.
    /// </summary>
    public static Task StopTransitionsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { transition: none !important; animation: none !important; }" });
    }

    /// <summary>Fails with every serious or critical violation on <paramref name="page"/>.</summary>
    public static async Task AssertNoSeriousAsync(IPage page) => AssertNoSerious(await ScanAsync(page));

    /// <summary>Fails with every serious or critical violation inside <paramref name="scope"/>.</summary>
    public static async Task AssertNoSeriousAsync(ILocator scope) => AssertNoSerious(await ScanAsync(scope));

    private static void AssertNoSerious(IReadOnlyList<AxeViolation> violations)
    {
        var serious = violations.Where(v => v.IsSeriousOrCritical).Select(v => v.ToString()).ToList();
        Assert.True(serious.Count == 0, "axe: " + string.Join("\n", serious));
    }

    /// <summary>The violations on the whole of <paramref name="page"/>.</summary>
    public static async Task<IReadOnlyList<AxeViolation>> ScanAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await InjectAsync(page);
        return Read(await page.EvaluateAsync<JsonElement>(Run, null), page.Url);
    }

    /// <summary>The violations inside <paramref name="scope"/> (one element).</summary>
    public static async Task<IReadOnlyList<AxeViolation>> ScanAsync(ILocator scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await InjectAsync(scope.Page);
        return Read(await scope.EvaluateAsync<JsonElement>(Run), scope.Page.Url);
    }

    private static async Task InjectAsync(IPage page)
    {
        // Evaluated rather than added as a <script> tag, which would be one more node on the page being scanned.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Source.Value);
        }
    }

    private static List<AxeViolation> Read(JsonElement result, string url)
    {
        var frames = result.GetProperty("frames").GetInt32();
        Assert.True(frames == 0, $"{url} has {frames} frame(s), which this scan does not enter; scan them with Deque.AxeCore.Playwright's RunAxe.");
        return [.. result.GetProperty("violations").EnumerateArray().Select(v => new AxeViolation(
            v.GetProperty("id").GetString()!,
            v.GetProperty("impact").GetString(),
            v.GetProperty("help").GetString()!,
            v.GetProperty("nodeCount").GetInt32(),
            [.. v.GetProperty("nodes").EnumerateArray().Select(n => new AxeViolationNode(n.GetProperty("target").GetString()!, n.GetProperty("why").GetString()!))]))];
    }
}
