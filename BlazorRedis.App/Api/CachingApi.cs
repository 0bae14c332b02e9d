namespace BlazorRedis.App.Api;

/// <summary>The caching lab's endpoints: products (cache-aside) and the stampede race.</summary>
public static class CachingApi
{
    public static IEndpointRouteBuilder MapCachingApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapProductsApi().MapStampedeApi();
}
