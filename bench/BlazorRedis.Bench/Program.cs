using BlazorRedis.Bench;

// bench/run.sh calls one command per run; each prints markdown lines for bench/results/latest.md on stdout.
//   hub       <baseUrl> <appPid> <counts,...> <seconds>
//   circuits  <baseUrl> <appPid> <counts,...> <seconds> [path]   (simulated browsers on the Blazor hub, no Chromium; /metrics)
//   browsers  <baseUrl> <appPid> <counts,...> <seconds>   (headless Chromium: a small real-browser check)
//   ratelimit <redisHost:port> <concurrency> <seconds>
//   workbench <redisHost:port> <iterations> <learners> <seconds>   (issue 12: the console's own overhead per line, and many learners typing)
//   class     <baseUrl> <appPid> <teacherToken> <learners> <actions> [learnerBaseUrl]   (issue 11: a class of simulated learners; issue 14: learners on another instance)
//   proxyclass <proxyUrl> <cookie=pid,...> <teacherToken> <learners> <actions>   (issue 14: the class through the proxy, bench/proxy.sh)
//   labs      <redisHost:port> <learners>   (issue 11: what each learner's caching lab costs in the app and in Redis)
//   soak      <baseUrl> <appPid> <redisHost:port> <learners> <seconds> <faultScript>   (bench/soak.sh: random learners while Redis restarts and pauses)
//   bare      <port> <redisHost:port> <replyFile>   (bench/libraries.sh: a bare ASP.NET Core server, the reply from memory or one Redis GET; runs until stopped)
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: hub|circuits|browsers|ratelimit|workbench|class|proxyclass|labs|soak|bare ...");
    return 2;
}

try
{
    switch (args[0])
    {
        case "hub":
            await HubLoad.RunAsync(args[1], int.Parse(args[2], Bench.Inv), Bench.Counts(args[3]), Bench.Seconds(args[4]));
            return 0;
        case "circuits":
            await BlazorCircuitLoad.RunAsync(args[1], int.Parse(args[2], Bench.Inv), Bench.Counts(args[3]), Bench.Seconds(args[4]), args.Length > 5 ? args[5] : "/metrics");
            return 0;
        case "browsers":
            await CircuitLoad.RunAsync(args[1], int.Parse(args[2], Bench.Inv), Bench.Counts(args[3]), Bench.Seconds(args[4]));
            return 0;
        case "ratelimit":
            await RateLimitLoad.RunAsync(args[1], int.Parse(args[2], Bench.Inv), Bench.Seconds(args[3]));
            return 0;
        case "workbench":
            await WorkbenchLoad.RunAsync(args[1], int.Parse(args[2], Bench.Inv), int.Parse(args[3], Bench.Inv), Bench.Seconds(args[4]));
            return 0;
        case "class":
            await ClassLoad.RunAsync(args[1], int.Parse(args[2], Bench.Inv), args[3], int.Parse(args[4], Bench.Inv), int.Parse(args[5], Bench.Inv), args.Length > 6 ? args[6] : null);
            return 0;
        case "proxyclass":
            await ClassLoad.RunBehindProxyAsync(args[1], args[2], args[3], int.Parse(args[4], Bench.Inv), int.Parse(args[5], Bench.Inv));
            return 0;
        case "labs":
            await LabsLoad.RunAsync(args[1], int.Parse(args[2], Bench.Inv));
            return 0;
        case "soak":
            await SoakLoad.RunAsync(args[1], int.Parse(args[2], Bench.Inv), args[3], int.Parse(args[4], Bench.Inv), Bench.Seconds(args[5]), args[6]);
            return 0;
        case "bare":
            await BareServer.RunAsync(int.Parse(args[1], Bench.Inv), args[2], args[3]);
            return 0;
        default:
            Console.Error.WriteLine($"unknown command {args[0]}");
            return 2;
    }
}
catch (Exception ex) when (ex is not OutOfMemoryException)
{
    Console.Error.WriteLine(ex);
    return 1;
}
