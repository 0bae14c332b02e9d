namespace BlazorRedis.Core.Geo;

/// <summary>
/// Well-known Bengaluru cafés and tiffin rooms with their real positions (to about 0.005°, i.e. a few hundred
/// metres). Central ones cluster around MG Road; the rest sit in Indiranagar, Koramangala, Basavanagudi,
/// Jayanagar and Malleshwaram, so a 2 km search from Koshy's finds the MG Road group only.
/// </summary>
public static class BengaluruCafes
{
    /// <summary>The scenario's starting point.</summary>
    public const string Koshys = "Koshy's";

    /// <summary>The cafés the scenario adds.</summary>
    public static IReadOnlyList<Cafe> All { get; } =
    [
        new(Koshys, 77.6010, 12.9755, "St Mark's Road, near MG Road"),
        new("Indian Coffee House", 77.6050, 12.9753, "Church Street, near MG Road"),
        new("Café Coffee Day (first outlet)", 77.6070, 12.9722, "Brigade Road"),
        new("Airlines Hotel", 77.5983, 12.9713, "Lavelle Road"),
        new("Toit", 77.6408, 12.9791, "Indiranagar 100 Feet Road"),
        new("Third Wave Coffee", 77.6190, 12.9345, "Koramangala 5th Block"),
        new("MTR", 77.5857, 12.9553, "Lalbagh Road"),
        new("Vidyarthi Bhavan", 77.5717, 12.9451, "Gandhi Bazaar, Basavanagudi"),
        new("Maiyas", 77.5835, 12.9295, "Jayanagar 4th Block"),
        new("CTR", 77.5696, 12.9987, "Malleshwaram"),
    ];

    /// <summary>Cubbon Park, where the scenario's learner stands for the FROMLONLAT search.</summary>
    public static Cafe CubbonPark { get; } = new("You (Cubbon Park)", 77.5929, 12.9763, "Cubbon Park");
}
