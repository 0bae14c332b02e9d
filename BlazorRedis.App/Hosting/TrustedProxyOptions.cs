using System.Net;
using Microsoft.Extensions.Options;

namespace BlazorRedis.App.Hosting;

/// <summary>
/// Which proxies may speak for a client in <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c>, bound from the
/// <c>ForwardedHeaders</c> section. <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> alone trusts every sender, so any
/// client could name any address and escape the per-address limits; the app puts this list back.
/// </summary>
public sealed class TrustedProxyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c> (several per entry may be separated by commas). Empty with no
    /// <see cref="KnownNetworks"/>: loopback only (a proxy on the same machine).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/24</c> (several per entry may be separated by commas).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>The configured proxy addresses.</summary>
    public IEnumerable<string> Proxies => Split(KnownProxies);

    /// <summary>The configured proxy networks.</summary>
    public IEnumerable<string> Networks => Split(KnownNetworks);

    /// <summary>Replaces <paramref name="options"/>' trusted proxies with the configured ones (loopback when none are).</summary>
    public void ApplyTo(ForwardedHeadersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        var proxies = Proxies.Select(IPAddress.Parse).ToList();
        var networks = Networks.Select(n => IPNetwork.Parse(n)).ToList();
        if (proxies.Count == 0 && networks.Count == 0)
        {
            networks.Add(new IPNetwork(IPAddress.Loopback, 8));
            proxies.Add(IPAddress.IPv6Loopback);
        }

        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(proxy);
        }

        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(network);
        }
    }

    private static IEnumerable<string> Split(IEnumerable<string?> entries) =>
        entries.SelectMany(e => (e ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>A bad address stops the app at start, naming the setting.</summary>
    internal sealed class Validator : IValidateOptions<TrustedProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options)
        {
            var failures = new List<string>();
            foreach (var proxy in options.Proxies.Where(p => !IPAddress.TryParse(p, out _)))
            {
                failures.Add($"{Section}:KnownProxies has '{proxy}', which is not an IP address (e.g. 10.0.0.5).");
            }

            foreach (var network in options.Networks.Where(n => !n.Contains('/', StringComparison.Ordinal) || !IPNetwork.TryParse(n, out _)))
            {
                failures.Add($"{Section}:KnownNetworks has '{network}', which is not a network in CIDR notation (e.g. 10.0.0.0/24).");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
