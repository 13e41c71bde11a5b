using System.Globalization;
using EglWater.Api;
using EglWater.Engine;

namespace EglWater.Tests;

/// <summary>Tests that change the process's local time zone run alone, after the others (nothing else sees the change).</summary>
[CollectionDefinition(nameof(LocalTimeZoneCollection), DisableParallelization = true)]
public sealed class LocalTimeZoneCollection
{
}

/// <summary>
/// "-StartDate/-EndDate default to the 30 days ending today in Paris", behind an injectable clock: today is
/// EglParisTime.TodayAt(a fake now) around Paris midnight in winter and in summer, whatever TimeZoneInfo.Local is.
/// </summary>
[Collection(nameof(LocalTimeZoneCollection))]
public class DefaultRangeTests
{
    private static DateTime Day(string text) => DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2025-01-14T22:59:59Z", "2024-12-16", "2025-01-14")] // winter: Paris is UTC+1
    [InlineData("2025-01-14T23:00:00Z", "2024-12-17", "2025-01-15")]
    [InlineData("2025-07-14T21:59:59Z", "2025-06-15", "2025-07-14")] // summer: Paris is UTC+2
    [InlineData("2025-07-14T22:00:00Z", "2025-06-16", "2025-07-15")]
    [InlineData("2024-03-01T22:59:59Z", "2024-02-01", "2024-03-01")] // across 29 February
    public void The_default_range_is_the_30_days_ending_today_in_Paris_whatever_the_local_zone(string utc, string from, string to)
    {
        var now = DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture);
        foreach (string zone in new[] { "Pacific/Kiritimati", "America/Adak", "Asia/Tokyo", "UTC", "Europe/Paris" })
        {
            using var scope = new LocalZoneScope(zone);
            Assert.Equal(zone, TimeZoneInfo.Local.Id); // the machine's zone really is this one during the check
            foreach (var seen in new[] { now, now.ToOffset(TimeSpan.FromHours(14)), now.ToOffset(TimeSpan.FromHours(-10)) })
            {
                var today = EglParisTime.TodayAt(seen);
                Assert.Equal(DateTimeKind.Unspecified, today.Kind);
                Assert.True(DateRange.TryResolve(null, null, today, out var f, out var t, out var problem), problem);
                Assert.Equal((Day(from), Day(to)), (f, t));
                Assert.Equal(DateRange.DefaultDays, (t - f).Days + 1);
                // Only -StartDate: the end is still today; only -EndDate: the 30 days ending there.
                Assert.True(DateRange.TryResolve(Day(from).AddDays(3), null, today, out f, out t, out _));
                Assert.Equal((Day(from).AddDays(3), Day(to)), (f, t));
                Assert.True(DateRange.TryResolve(null, Day(to).AddDays(-1), today, out f, out t, out _));
                Assert.Equal((Day(from).AddDays(-1), Day(to).AddDays(-1)), (f, t));
            }
        }
    }

    [Fact]
    public void A_start_after_the_end_is_refused_with_both_days_named()
    {
        Assert.False(DateRange.TryResolve(new DateTime(2025, 2, 1), new DateTime(2025, 1, 31), new DateTime(2025, 3, 1), out _, out _, out var problem));
        Assert.Equal("-StartDate (2025-02-01) is after -EndDate (2025-01-31)", problem);
    }

    /// <summary>Makes <see cref="TimeZoneInfo.Local"/> another zone (the TZ variable, read again after ClearCachedData).</summary>
    private sealed class LocalZoneScope : IDisposable
    {
        private readonly string? _previous = Environment.GetEnvironmentVariable("TZ");

        public LocalZoneScope(string zone)
        {
            Environment.SetEnvironmentVariable("TZ", zone);
            TimeZoneInfo.ClearCachedData();
        }

        public void Dispose()
        {
            Environment.SetEnvironmentVariable("TZ", _previous);
            TimeZoneInfo.ClearCachedData();
        }
    }
}
