using BlazorRedis.Core.Caching.Catalog;

namespace BlazorRedis.Tests.Core.Caching.Catalog;

public class ProductCatalogTests
{
    [Fact]
    public void Every_generated_product_is_named_for_what_its_category_sells()
    {
        var database = new InMemoryProductDatabase(new CatalogOptions().ProductCount, TimeSpan.Zero);

        for (var id = 1; id <= database.Count; id++)
        {
            var product = database.Peek(id)!;
            var nouns = InMemoryProductDatabase.NounsByCategory[product.Category];
            Assert.True(
                nouns.Any(noun => product.Name.Contains(" " + noun + " ", StringComparison.Ordinal)),
                $"Product {id} \"{product.Name}\" is in {product.Category}, which sells {string.Join(", ", nouns)}.");
        }
    }
}
