using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlazorRedis.Core.Connection;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Api;

/// <summary>The real app on Kestrel with a 50 ms database, shared by the product API tests.</summary>
public sealed class CachingAppFixture(RedisServerFixture redis) : IAsyncLifetime
{
    public const int LatencyMs = 50;

    public BlazorRedisAppFactory Factory { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Factory = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?> { ["Catalog:DatabaseLatencyMs"] = LatencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture) }).Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}

public class ProductsApiTests(CachingAppFixture app, RedisServerFixture redis) : IClassFixture<CachingAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct))!;

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    // {"name": used to say "The value of name has the wrong type": the body was never JSON, no value was read.
    [Theory]
    [InlineData("POST", "/api/products", """{"name":""")]
    [InlineData("PUT", "/api/products/1", """{"name":"Lamp","price":""")]
    [InlineData("POST", "/api/products", """{"name":"Lamp",""")]
    [InlineData("POST", "/api/products", """{"name":nope}""")]
    public async Task A_cut_off_or_malformed_body_says_the_json_is_incomplete_or_malformed_not_a_wrong_type(string method, string path, string body)
    {
        using var client = app.Factory.CreateHttpClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(body) }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await JsonAsync(response)).GetProperty("errors");
        var message = Assert.Single(errors.EnumerateObject()).Value[0].GetString()!;
        Assert.Contains("incomplete or malformed", message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong type", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_still_names_its_field()
    {
        using var client = app.Factory.CreateHttpClient();

        using var response = await client.PostAsync("/api/products", Body("""{"name":"Lamp","price":1,"category":"home","stock":"5"}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var stock = (await JsonAsync(response)).GetProperty("errors").GetProperty("stock")[0].GetString();
        Assert.Contains("wrong type", stock, StringComparison.Ordinal);
    }

    [Fact]
    public async Task First_get_comes_from_the_database_and_the_second_from_the_cache()
    {
        using var client = app.Factory.CreateHttpClient();

        var first = await JsonAsync(await client.GetAsync("/api/products/11", Ct));
        var second = await JsonAsync(await client.GetAsync("/api/products/11", Ct));

        Assert.Equal("database", first.GetProperty("source").GetString());
        Assert.True(first.GetProperty("responseTimeMs").GetDouble() >= CachingAppFixture.LatencyMs - 5);
        Assert.Equal(11, first.GetProperty("data").GetProperty("id").GetInt32());
        Assert.Equal("cache", second.GetProperty("source").GetString());
        Assert.Equal(first.GetProperty("data").GetProperty("name").GetString(), second.GetProperty("data").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Get_after_put_reads_the_database_with_the_new_data()
    {
        using var client = app.Factory.CreateHttpClient();
        await client.GetAsync("/api/products/12", Ct);
        Assert.Equal("cache", (await JsonAsync(await client.GetAsync("/api/products/12", Ct))).GetProperty("source").GetString());

        var put = await client.PutAsync("/api/products/12", Body("""{"name":"Updated by PUT","price":9.99,"category":"toys","stock":4}"""), Ct);
        var after = await JsonAsync(await client.GetAsync("/api/products/12", Ct));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Contains((await JsonAsync(put)).GetProperty("invalidatedKeys").EnumerateArray(), k => k.GetString()!.EndsWith("{cache}:product:12", StringComparison.Ordinal));
        Assert.Equal("database", after.GetProperty("source").GetString());
        Assert.Equal("Updated by PUT", after.GetProperty("data").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Get_after_the_ttl_reads_the_database_again()
    {
        await using var factory = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Catalog:DatabaseLatencyMs"] = "20",
            ["Caching:DefaultTtlSeconds"] = "1",
        }).Start();
        using var client = factory.CreateHttpClient();
        await client.GetAsync("/api/products/3", Ct);

        await Task.Delay(TimeSpan.FromSeconds(2.2), Ct);
        var after = await JsonAsync(await client.GetAsync("/api/products/3", Ct));

        Assert.Equal("database", after.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Bypass_cache_always_reads_the_database()
    {
        using var client = app.Factory.CreateHttpClient();
        await client.GetAsync("/api/products/13", Ct);

        var bypassed = await JsonAsync(await client.GetAsync("/api/products/13?bypassCache=true", Ct));

        Assert.Equal("database", bypassed.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Unknown_product_is_a_404_problem()
    {
        using var client = app.Factory.CreateHttpClient();

        var response = await client.GetAsync("/api/products/987654", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public async Task Non_numeric_id_is_a_400_with_a_field_error(string id)
    {
        using var client = app.Factory.CreateHttpClient();

        var response = await client.GetAsync($"/api/products/{id}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Post_creates_a_product_and_drops_the_cached_list()
    {
        using var client = app.Factory.CreateHttpClient();
        await client.GetAsync("/api/products", Ct);
        Assert.Equal("cache", (await JsonAsync(await client.GetAsync("/api/products", Ct))).GetProperty("source").GetString());

        var created = await client.PostAsync("/api/products", Body("""{"name":"Posted kettle","price":19.5,"category":"kitchen","stock":7}"""), Ct);
        var list = await JsonAsync(await client.GetAsync("/api/products", Ct));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("data").GetProperty("id").GetInt32();
        Assert.Equal($"/api/products/{id}", created.Headers.Location?.ToString());
        Assert.Equal("database", list.GetProperty("source").GetString());
        Assert.Contains(list.GetProperty("data").EnumerateArray(), p => p.GetProperty("id").GetInt32() == id);
    }

    [Theory]
    [InlineData("""{"name":"","price":-3,"category":"toys","stock":1}""", "name", "price")]
    [InlineData("""{"name":"Ok","price":3,"category":"two words","stock":-1}""", "category", "stock")]
    [InlineData("""{"name":"Ok","price":"cheap","category":"toys","stock":1}""", "price", null)]
    [InlineData("""not json""", "body", null)]
    [InlineData("""{}""", "name", "stock")]
    public async Task Bad_bodies_are_400_with_field_errors_and_change_nothing(string json, string field, string? otherField)
    {
        using var client = app.Factory.CreateHttpClient();
        var before = await JsonAsync(await client.GetAsync("/api/products/14?bypassCache=true", Ct));

        var post = await client.PostAsync("/api/products", Body(json), Ct);
        var put = await client.PutAsync("/api/products/14", Body(json), Ct);
        var after = await JsonAsync(await client.GetAsync("/api/products/14?bypassCache=true", Ct));

        foreach (var response in new[] { post, put })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var errors = (await JsonAsync(response)).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
            if (otherField is not null)
            {
                Assert.True(errors.TryGetProperty(otherField, out _), $"no error for {otherField}: {errors}");
            }
        }

        Assert.Equal(before.GetProperty("data").ToString(), after.GetProperty("data").ToString());
    }

    // "Mug \u202e olleh" was a 200, and the teacher's projector showed the whole product line mirrored: the rule nicknames follow.
    [Theory]
    [InlineData("name", "Mug \u202E olleh", "U+202E (right-to-left override)")]
    [InlineData("name", "\u200B", "U+200B (zero width space)")]
    [InlineData("category", "books\u2067", "U+2067 (right-to-left isolate)")]
    public async Task Text_that_flips_direction_or_hides_is_a_400_naming_the_character_and_changes_nothing(string field, string value, string named)
    {
        using var client = app.Factory.CreateHttpClient();
        var before = await JsonAsync(await client.GetAsync("/api/products/15?bypassCache=true", Ct));
        var count = (await JsonAsync(await client.GetAsync("/api/products?bypassCache=true", Ct))).GetProperty("data").GetArrayLength();
        var product = new Dictionary<string, object> { ["name"] = "Mug", ["price"] = 1, ["category"] = "books", ["stock"] = 1 };
        product[field] = value;

        using var post = await client.PostAsJsonAsync("/api/products", product, Ct);
        using var put = await client.PutAsJsonAsync("/api/products/15", product, Ct);

        foreach (var response in new[] { post, put })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var message = (await JsonAsync(response)).GetProperty("errors").GetProperty(field)[0].GetString()!;
            Assert.Contains(named, message, StringComparison.Ordinal);
        }

        var after = await JsonAsync(await client.GetAsync("/api/products/15?bypassCache=true", Ct));
        Assert.Equal(before.GetProperty("data").ToString(), after.GetProperty("data").ToString());
        Assert.Equal(count, (await JsonAsync(await client.GetAsync("/api/products?bypassCache=true", Ct))).GetProperty("data").GetArrayLength());
    }

    // {"name":"A","name":"B"} was a 200 that kept "B": the client may have meant either.
    [Fact]
    public async Task A_member_sent_twice_is_a_400_naming_it_and_changes_nothing()
    {
        using var client = app.Factory.CreateHttpClient();
        var before = await JsonAsync(await client.GetAsync("/api/products/16?bypassCache=true", Ct));
        const string json = """{"name":"A","price":1,"category":"books","name":"B","stock":1}""";

        using var post = await client.PostAsync("/api/products", Body(json), Ct);
        using var put = await client.PutAsync("/api/products/16", Body(json), Ct);

        foreach (var response in new[] { post, put })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var message = (await JsonAsync(response)).GetProperty("errors").GetProperty("name")[0].GetString()!;
            Assert.Contains("\"name\" appears more than once", message, StringComparison.Ordinal);
        }

        var after = await JsonAsync(await client.GetAsync("/api/products/16?bypassCache=true", Ct));
        Assert.Equal(before.GetProperty("data").ToString(), after.GetProperty("data").ToString());
    }

    [Fact]
    public async Task Delete_removes_the_product_and_its_cache_entry()
    {
        using var client = app.Factory.CreateHttpClient();
        var created = await JsonAsync(await client.PostAsync("/api/products", Body("""{"name":"Short-lived","price":1,"category":"toys","stock":1}"""), Ct));
        var id = created.GetProperty("data").GetProperty("id").GetInt32();
        await client.GetAsync($"/api/products/{id}", Ct);

        var deleted = await client.DeleteAsync($"/api/products/{id}", Ct);
        var after = await client.GetAsync($"/api/products/{id}", Ct);
        var again = await client.DeleteAsync($"/api/products/{id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Put_on_an_unknown_product_is_a_404()
    {
        using var client = app.Factory.CreateHttpClient();

        var put = await client.PutAsync("/api/products/987654", Body("""{"name":"Ghost","price":1,"category":"toys","stock":1}"""), Ct);

        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task A_WRONGTYPE_reply_is_a_409_saying_Redis_refused_not_a_503_outage()
    {
        using var client = app.Factory.CreateHttpClient();
        var keys = app.Factory.Services.GetRequiredService<BlazorRedis.Core.Caching.CacheKeys>();
        var db = redis.Multiplexer.GetDatabase();
        await db.HashSetAsync(keys.Product(97), "not", "a string"); // someone stored a hash where the cache keeps a string

        var response = await client.GetAsync("/api/products/97", Ct);
        var problem = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Redis refused the command", problem.GetProperty("title").GetString());
        Assert.StartsWith("Redis refused the command: WRONGTYPE", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Retry-After"));
        await db.KeyDeleteAsync(keys.Product(97));
    }

    [Fact]
    public async Task The_benchmarks_ceiling_answers_the_product_reply_shape_with_no_redis_at_all()
    {
        using var client = app.Factory.CreateHttpClient();
        var product = await JsonAsync(await client.GetAsync("/api/products/1", Ct));

        using var response = await client.GetAsync("/api/bench/memory", Ct);
        var memory = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("memory", memory.GetProperty("source").GetString());
        Assert.Equal(Names(product), Names(memory));
        Assert.Equal(Names(product.GetProperty("data")), Names(memory.GetProperty("data")));

        // No Redis: it still answers with the server stopped, which is what makes it the ceiling for an L1 hit.
        var server = await EmbeddedRedisServer.StartAsync(new EmbeddedRedisOptions(), cancellationToken: Ct);
        await using var factory = new BlazorRedisAppFactory($"{server.EndPoint},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000").Start();
        using var alone = factory.CreateHttpClient();
        server.Dispose();
        using var down = await alone.GetAsync("/api/bench/memory", Ct);
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        Assert.Equal("memory", (await JsonAsync(down)).GetProperty("source").GetString());

        static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
    }
}
