namespace EglWater.Simulator;

/// <summary>Europe/Paris: the meter's calendar and the offsets the API writes.</summary>
public static class Paris
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).DateTime);

    /// <summary>Midnight of a Paris day, with its offset (+01:00 in winter, +02:00 in summer).</summary>
    public static DateTimeOffset Midnight(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>The API's DateReleve text: "2020-07-01T00:00:00+02:00".</summary>
    public static string DateReleve(DateOnly day) => Midnight(day).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
}
