using BlazorRedis.Bench;

// bench/run.sh calls one command per run; each prints markdown lines for bench/results/latest.md on stdout.
//   hub       <baseUrl> <appPid> <counts,...> <seconds>
//   circuits  <baseUrl> <appPid> <counts,...> <seconds>
//   ratelimit <redisHost:port> <concurrency> <seconds>
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: hub|circuits|ratelimit ...");
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
            await CircuitLoad.RunAsync(args[1], int.Parse(args[2], Bench.Inv), Bench.Counts(args[3]), Bench.Seconds(args[4]));
            return 0;
        case "ratelimit":
            await RateLimitLoad.RunAsync(args[1], int.Parse(args[2], Bench.Inv), Bench.Seconds(args[3]));
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
