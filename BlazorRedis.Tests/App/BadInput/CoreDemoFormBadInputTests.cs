using BlazorRedis.App.Components.Pages.DataStructures;
using BlazorRedis.App.Components.Pages.DataStructures.Hashes;
using BlazorRedis.App.Components.Pages.DataStructures.Lists;
using BlazorRedis.App.Components.Pages.DataStructures.Sets;
using BlazorRedis.App.Components.Pages.DataStructures.SortedSets;
using BlazorRedis.App.Components.Pages.DataStructures.Strings;
using BlazorRedis.Core.Hashes;
using BlazorRedis.Core.Lists;
using BlazorRedis.Core.Sets;
using BlazorRedis.Core.SortedSets;
using BlazorRedis.Core.Strings;
using BlazorRedis.Tests.App.Components.DataStructures;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static BlazorRedis.Tests.App.BadInput.FormBadInput;

namespace BlazorRedis.Tests.App.BadInput;

/// <summary>Bad values in the strings, hashes, sets, lists and sorted-sets forms: a message on the page, no key written.</summary>
public class CoreDemoFormBadInputTests : DemoPageTestContext
{
    private static readonly Dictionary<string, FormBadInputCase> CaseTable = new(StringComparer.Ordinal)
    {
        ["strings CRLF in value"] = Case("strings", "set", ("key-name", "motto"), ("key-value", "a\r\nSET evil 1")),
        ["strings empty key name"] = Case("strings", "set", ("key-name", ""), ("key-value", "v")),
        ["strings whitespace key name"] = Case("strings", "set", ("key-name", "   "), ("key-value", "v")),
        ["strings 1 MB key name"] = Case("strings", "set", ("key-name", OneMb), ("key-value", "v")),
        ["strings 1 MB value"] = Case("strings", "set", ("key-name", "motto"), ("key-value", OneMb)),
        ["strings MSET line without equals"] = Case("strings", "mset", ("mset-lines", "color=blue\nnonsense")),
        ["strings negative token TTL"] = Case("strings", "issue-token", ("token-seconds", "-1")),
        ["strings zero token TTL"] = Case("strings", "issue-token", ("token-seconds", "0")),
        ["strings huge token TTL"] = Case("strings", "issue-token", ("token-seconds", "99999999999")),
        ["strings token TTL not a number"] = Case("strings", "issue-token", ("token-seconds", "soon")),
        ["hashes braces in field name"] = Case("hashes", "hset", ("field-name", "a{b}"), ("field-value", "1")),
        ["hashes CRLF in field name"] = Case("hashes", "hset", ("field-name", "a\r\nb"), ("field-value", "1")),
        // Numeric fields refuse text themselves (MudNumericField shows its own error under the field); nothing is sent.
        ["hashes increment not a number"] = Case("hashes", FieldOnly, ("incr-by", "abc")),
        ["hashes increment beyond long"] = Case("hashes", FieldOnly, ("incr-by", "99999999999999999999")),
        ["sets control character in tag"] = Case("sets", "sadd-1", ("tags", "ok, bad\u0007tag")),
        ["sets empty tags"] = Case("sets", "sadd-1", ("tags", "")),
        ["lists whitespace job name"] = Case("lists", "push-job", ("job-name", "   ")),
        ["lists 1 MB job name"] = Case("lists", "push-job", ("job-name", OneMb)),
        ["lists CRLF in job name"] = Case("lists", "push-job", ("job-name", "job\r\nFLUSHALL")),
        ["sorted sets whitespace player"] = Case("sorted-sets", "zadd", ("player", " "), ("score", "10")),
        ["sorted sets NaN score"] = Case("sorted-sets", "zadd", ("player", "Amy"), ("score", "NaN")),
        ["sorted sets Infinity score"] = Case("sorted-sets", "zadd", ("player", "Amy"), ("score", "Infinity")),
        ["sorted sets score not a number"] = Case("sorted-sets", FieldOnly, ("score", "ten")),
        ["sorted sets points not a number"] = Case("sorted-sets", FieldOnly, ("points", "abc")),
    };

    public CoreDemoFormBadInputTests(RedisServerFixture redis)
        : base(redis)
    {
        Services.AddSingleton<IStringsDemo>(new StringsDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor));
        Services.AddSingleton<IHashesDemo>(new HashesDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor));
        Services.AddSingleton<ISetsDemo>(new SetsDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor));
        Services.AddSingleton<IListsDemo>(new ListsDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor, TimeProvider.System));
        Services.AddSingleton<ISortedSetsDemo>(new SortedSetsDemoService(redis.Multiplexer, redis.Tracer, Keys, Janitor, Options.Create(new LeaderboardOptions())));
    }

    public static TheoryData<string> Cases => new(CaseTable.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task A_bad_form_value_shows_a_message_and_writes_no_key(string name)
    {
        var @case = CaseTable[name];
        return @case.Page switch
        {
            "strings" => SubmitAsync<StringsDemo>(@case),
            "hashes" => SubmitAsync<HashesDemo>(@case),
            "sets" => SubmitAsync<SetsDemo>(@case),
            "lists" => SubmitAsync<ListsDemo>(@case),
            _ => SubmitAsync<SortedSetsDemo>(@case),
        };
    }

    private async Task SubmitAsync<T>(FormBadInputCase @case)
        where T : DemoPageBase
    {
        var cut = RenderDemo<T>();
        var before = await LearnerKeysAsync(Redis, Keys, Learner.Id);
        foreach (var (field, value) in @case.Fields)
        {
            Type(cut, field, value);
        }

        if (@case.Button != FieldOnly)
        {
            Click(cut, @case.Button);
        }

        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll(ErrorElements), e => !string.IsNullOrWhiteSpace(e.TextContent)), Patience);
        var after = await LearnerKeysAsync(Redis, Keys, Learner.Id);
        Assert.Empty(after.Except(before));
    }
}
