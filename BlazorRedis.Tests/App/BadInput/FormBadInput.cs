using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.BadInput;

/// <summary>One bad form submission: the page, what is typed where, and the button pressed.</summary>
/// <param name="Page">The demo's slug.</param>
/// <param name="Fields">data-testid of a field → the text typed into it.</param>
/// <param name="Button">data-testid of the button.</param>
public sealed record FormBadInputCase(string Page, (string Field, string Value)[] Fields, string Button);

/// <summary>Helpers the form suites share.</summary>
internal static class FormBadInput
{
    public static readonly string OneMb = new('x', 1_000_000);

    /// <summary>The page's message, or a field's own validation text (MudBlazor numeric fields refuse text themselves).</summary>
    public const string ErrorElements = "[data-testid='form-error'], .mud-input-error";

    /// <summary>A case whose field refuses the value as it is typed: no button is pressed.</summary>
    public const string FieldOnly = "";

    /// <summary>Every key under one learner's prefix (SCAN).</summary>
    public static async Task<HashSet<string>> LearnerKeysAsync(RedisServerFixture redis, RedisKeyspace keys, LearnerId learner)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in redis.Multiplexer.GetServers()[0].KeysAsync(pattern: RedisKeyspace.PrefixPattern(keys.ForLearner(learner).Prefix)))
        {
            found.Add(key.ToString());
        }

        return found;
    }

    public static FormBadInputCase Case(string page, string button, params (string, string)[] fields) => new(page, fields, button);
}
