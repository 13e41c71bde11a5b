using System.Globalization;
using System.Text;

namespace EglWater.Benchmarks;

/// <summary>Deterministic inputs shaped like the API's answers and the module's objects.</summary>
public static class TestData
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>Litres of a day: 200 to 499, reproducible.</summary>
    public static int Liters(int dayNumber) => 200 + (int)((uint)(dayNumber * 2654435761u) % 300u);

    /// <summary>
    /// The body of getAllAgregatsByAbonnement.aspx for [from, to], one real ("R") row a day, dates at
    /// Paris midnight with their offset, as the API writes them.
    /// </summary>
    public static string AggregatesAnswer(DateTime from, DateTime to)
    {
        var sb = new StringBuilder(128 * 4000);
        sb.Append("{\"codeRetour\":100,\"libelleRetour\":\"L'opération a réussi\",\"resultatRetour\":[");
        long index = 562_362;
        bool first = true;
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            index += Liters(d.DayOfYear + d.Year * 366);
            var offset = Paris.GetUtcOffset(d);
            if (!first) sb.Append(',');
            first = false;
            sb.Append("{\"DateReleve\":\"")
              .Append(new DateTimeOffset(d, offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))
              .Append("\",\"TypeAgregat\":\"R\",\"ValeurIndex\":")
              .Append(index.ToString(CultureInfo.InvariantCulture))
              .Append('}');
        }

        sb.Append("]}");
        return sb.ToString();
    }

    /// <summary><paramref name="count"/> consecutive daily readings of one subscription.</summary>
    public static List<EglIndexReading> Readings(DateTime start, int count)
    {
        var list = new List<EglIndexReading>(count);
        double index = 562_362;
        for (int i = 0; i < count; i++)
        {
            index += Liters(i);
            list.Add(new EglIndexReading(1_895_683, start.AddDays(i), index, "R"));
        }

        return list;
    }
}
