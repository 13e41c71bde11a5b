# Get-EglConsumption: the engine's rules through the cmdlet, against the simulator's quirky demo data,
# and the offline pipelines (Get-EglIndex | Get-EglConsumption, Import-Csv | Get-EglConsumption).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
    $script:Truth = @{}
    # The last row of a day is its final one (a day is sent twice: pending, then final).
    foreach ($row in Get-SimulatorRows $Sim) { $Truth[([datetime]$row.Day).ToString('yyyy-MM-dd')] = $row }
    function script:Day([string] $d) { $Truth[$d] }
    function script:Reading([long] $Sub, [string] $Date, $Index, [string] $RawType = 'R') {
        [pscustomobject]@{ SubscriptionNumber = $Sub; Date = [datetime]$Date; Index = $Index; RawType = $RawType }
    }
    Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri
}

AfterAll {
    Disconnect-Egl
    Stop-EglSimulator $Sim
}

Describe 'Daily consumption against the simulator''s quirks' {
    It 'a day sent pending then final counts the final reading' {
        $c = Get-EglConsumption -StartDate 2024-06-10 -EndDate 2024-06-10
        $c.Liters | Should -Be ((Day '2024-06-10').Index - (Day '2024-06-09').Index)
        $c.Quality | Should -Be 'Measured'
    }

    It 'spreads a gap over its days (Estimated) and keeps its sum' {
        $c = Get-EglConsumption -StartDate 2024-08-11 -EndDate 2024-08-16
        $c.Date.ForEach({ $_.ToString('yyyy-MM-dd') }) | Should -Be @('2024-08-11', '2024-08-12', '2024-08-13', '2024-08-14', '2024-08-15', '2024-08-16')
        @($c | Where-Object Quality -EQ 'Estimated').Count | Should -Be 4
        ($c[1..4] | Measure-Object Liters -Sum).Sum | Should -Be ((Day '2024-08-15').Index - (Day '2024-08-11').Index)
    }

    It 'with -NoInterpolation writes one row covering the gap' {
        $c = Get-EglConsumption -StartDate 2024-08-11 -EndDate 2024-08-16 -NoInterpolation
        $c.Count | Should -Be 3
        $c[1].Date | Should -Be ([datetime]'2024-08-12')
        $c[1].EndDate | Should -Be ([datetime]'2024-08-15')
        $c[1].Days | Should -Be 4
        $c[1].Liters | Should -Be ((Day '2024-08-15').Index - (Day '2024-08-11').Index)
    }

    It 'gives no litres on the day of a meter change and restarts from the new meter' {
        $c = Get-EglConsumption -StartDate 2024-10-15 -EndDate 2024-10-16
        $c[0].Liters | Should -BeNullOrEmpty
        $c[0].Quality | Should -Be 'MeterChange'
        $c[0].RawType | Should -Be 'D'
        $c[1].Liters | Should -Be ((Day '2024-10-16').Index - (Day '2024-10-15').Index)
        $c[1].Liters | Should -BeGreaterThan 0
    }

    It 'flags an anomaly and keeps unknown letters in RawType' {
        (Get-EglConsumption -StartDate 2024-12-03 -EndDate 2024-12-03).Quality | Should -Be 'Anomaly'
        $v = Get-EglConsumption -StartDate 2025-01-20 -EndDate 2025-01-20
        $x = Get-EglConsumption -StartDate 2025-02-11 -EndDate 2025-02-11
        ($v.Quality, $v.RawType) | Should -Be @('Unknown', 'V')
        ($x.Quality, $x.RawType) | Should -Be @('Unknown', 'X')
        $x.Liters | Should -Be ((Day '2025-02-11').Index - (Day '2025-02-10').Index)
    }

    It 'marks the last published days Pending, stops there and names the last available day in a verbose line' {
        $out = Get-EglConsumption -StartDate 2026-03-01 -EndDate 2026-03-31 -Verbose 4>&1
        $rows = @($out | Where-Object { $_ -is [EglWater.EglConsumption] })
        $rows[-1].Date | Should -Be ([datetime]'2026-03-14')
        $rows[-2..-1].Quality | Should -Be @('Pending', 'Pending')
        $verbose = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'last available day' })
        $verbose.Count | Should -Be 1
        $verbose[0].Message | Should -Match '2026-03-14'
    }
}

Describe 'Aggregation' {
    It 'sums months like the days, with the worst quality, and marks complete months' {
        $daily = Get-EglConsumption -StartDate 2024-01-01 -EndDate 2024-12-31
        $months = Get-EglConsumption -StartDate 2024-01-01 -EndDate 2024-12-31 -Granularity Month
        $months.Count | Should -Be 12
        $months[0].PSObject.TypeNames[0] | Should -Be 'EglWater.EglConsumption#Period'
        ($months | Measure-Object Liters -Sum).Sum | Should -Be ($daily | Measure-Object Liters -Sum).Sum
        $may = $months[4]
        $may.Date | Should -Be ([datetime]'2024-05-01')
        $may.EndDate | Should -Be ([datetime]'2024-05-31')
        ($may.Days, $may.DaysWithData, $may.Quality, $may.Complete) | Should -Be @(31, 31, 'Measured', $true)
        $may.Liters | Should -Be ((Day '2024-05-31').Index - (Day '2024-04-30').Index)
        ($months[7].Quality, $months[7].Complete) | Should -Be @('Estimated', $false)        # the gap
        ($months[9].Quality, $months[9].DaysWithData) | Should -Be @('MeterChange', 30)     # the change
        $months[9].CubicMeters | Should -Be ($months[9].Liters / 1000)
    }

    It 'weeks start on Monday (ISO 8601) and a range cut inside a week counts only its days' {
        $w = Get-EglConsumption -StartDate 2025-05-07 -EndDate 2025-05-18 -Granularity Week
        $w.Count | Should -Be 2
        $w[0].Date | Should -Be ([datetime]'2025-05-05')
        $w[0].Date.DayOfWeek | Should -Be 'Monday'
        ($w[0].Days, $w[0].Complete) | Should -Be @(5, $false)
        ($w[1].Days, $w[1].Complete) | Should -Be @(7, $true)
    }

    It 'a year sums its days' {
        $y = Get-EglConsumption -StartDate 2025-01-01 -EndDate 2025-12-31 -Granularity Year
        $y.Date | Should -Be ([datetime]'2025-01-01')
        $y.Days | Should -Be 365
        $y.Quality | Should -Be 'Unknown'
        $y.Liters | Should -Be ((Day '2025-12-31').Index - (Day '2024-12-31').Index)
    }
}

Describe 'Offline pipelines' {
    BeforeAll {
        $script:Readings = Get-EglIndex -StartDate 2024-08-01 -EndDate 2024-10-31
        $script:Online = Get-EglConsumption -StartDate 2024-08-02 -EndDate 2024-10-31
        $script:Key = { '{0:yyyy-MM-dd}|{1}|{2}|{3}' -f $_.Date, $_.Liters, $_.Quality, $_.RawType }
    }
    AfterEach { Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri }

    It 'Get-EglIndex | Get-EglConsumption computes the same rows without a session (no request)' {
        Disconnect-Egl
        $offline = $Readings | Get-EglConsumption
        $offline.Count | Should -Be $Online.Count
        $offline.ForEach($Key) | Should -Be $Online.ForEach($Key)
        ($Readings | Get-EglConsumption -Granularity Month).Count | Should -Be 3
    }

    It 'Import-Csv | Get-EglConsumption gives the same result, exported and imported under <_>' -ForEach 'fr-FR', 'en-US', 'de-DE', 'ja-JP' {
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = $_
            $path = Join-Path $TestDrive "r-$_.csv"
            $Readings | Export-Csv -Path $path -NoTypeInformation
            Disconnect-Egl
            $back = Import-Csv $path | Get-EglConsumption
            $back.ForEach($Key) | Should -Be $Online.ForEach($Key)
        } finally {
            [cultureinfo]::CurrentCulture = $saved
        }
    }

    It 'Export-Csv under fr-FR writes day-first dates and decimal commas, and they read back' {
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'fr-FR'
            $path = Join-Path $TestDrive 'frac.csv'
            @(
                (Reading 1 '2025-03-04' 1000.5)
                (Reading 1 '2025-03-05' 1100.75)
                (Reading 1 '2025-03-06' 1200.25)
            ) | Export-Csv -Path $path -NoTypeInformation
            $text = Get-Content $path -Raw
            $text | Should -Match '"04/03/2025 00:00:00"'
            $text | Should -Match '"1100,75"'
            $c = Import-Csv $path | Get-EglConsumption
            $c.Date | Should -Be @([datetime]'2025-03-05', [datetime]'2025-03-06')
            $c.Liters | Should -Be @(100.25, 99.5)
        } finally {
            [cultureinfo]::CurrentCulture = $saved
        }
    }

    It 'reads ISO dates with an offset as the calendar day written, in any culture' {
        $c = @(
            [pscustomobject]@{ Date = '2025-03-30T00:00:00+01:00'; Index = '1000'; RawType = 'R' }
            [pscustomobject]@{ Date = '2025-03-31T00:00:00+02:00'; Index = '1250'; RawType = 'R' }
        ) | Get-EglConsumption
        $c.Date | Should -Be ([datetime]'2025-03-31')
        $c.Liters | Should -Be 250
    }

    It 'accepts unsorted readings of several subscriptions: per subscription, in date order' {
        $in = @(
            (Reading 22 '2025-01-03' 300), (Reading 11 '2025-01-02' 150), (Reading 22 '2025-01-01' 100),
            (Reading 11 '2025-01-03' 400), (Reading 22 '2025-01-02' 120), (Reading 11 '2025-01-01' 100)
        )
        $c = $in | Get-EglConsumption
        $c.ForEach({ '{0}:{1:MM-dd}:{2}' -f $_.SubscriptionNumber, $_.Date, $_.Liters }) | Should -Be @('11:01-02:50', '11:01-03:250', '22:01-02:20', '22:01-03:180')
    }

    It 'takes -StartDate and -EndDate with piped readings' {
        $c = $Readings | Get-EglConsumption -StartDate 2024-08-10 -EndDate 2024-08-20
        $c[0].Date | Should -Be ([datetime]'2024-08-10')
        $c[-1].Date | Should -Be ([datetime]'2024-08-20')
    }

    It 'writes a non-terminating error naming a row that cannot be read, and computes the others' {
        $in = @(
            [pscustomobject]@{ Date = '2025-01-01'; Index = '100'; RawType = 'R' }
            [pscustomobject]@{ Date = '2025-01-02'; Index = 'lots'; RawType = 'R' }
            [pscustomobject]@{ Date = 'someday'; Index = '150'; RawType = 'R' }
            [pscustomobject]@{ Date = '2025-01-03'; Index = '300'; RawType = 'R' }
        )
        $c = $in | Get-EglConsumption -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'EglInvalidReading,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].Exception.Message | Should -Match 'reading 2\b.*lots'
        $errs[1].Exception.Message | Should -Match 'reading 3\b.*someday'
        # The unreadable day is a gap: spread, flagged Estimated, never dropped silently.
        $c.Date | Should -Be @([datetime]'2025-01-02', [datetime]'2025-01-03')
        $c.Liters | Should -Be @(100, 100)
        $c.Quality | Should -Be @('Estimated', 'Estimated')
    }

    It 'writes one warning per call naming the days whose index went down' {
        $in = @(
            (Reading 1 '2025-01-01' 1000), (Reading 1 '2025-01-02' 900), (Reading 1 '2025-01-03' 1000),
            (Reading 1 '2025-01-04' 800), (Reading 1 '2025-01-05' 850)
        )
        $c = $in | Get-EglConsumption -WarningVariable warns -WarningAction SilentlyContinue
        $warns.Count | Should -Be 1
        $warns[0].Message | Should -Match '2025-01-02'
        $warns[0].Message | Should -Match '2025-01-04'
        ($c | Where-Object Quality -EQ 'Invalid').Count | Should -Be 2
        ($c | Where-Object Quality -EQ 'Invalid').ForEach({ $null -eq $_.Liters }) | Should -Be @($true, $true)
        ($c | Where-Object { $null -ne $_.Liters -and $_.Liters -lt 0 }) | Should -BeNullOrEmpty
    }

    It 'refuses -SubscriptionNumber with piped readings, saying to filter with Where-Object' {
        $err = { Reading 1 '2025-01-01' 1 | Get-EglConsumption -SubscriptionNumber 1 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglSubscriptionWithReadings,*'
        $err.Exception.Message | Should -Match 'Where-Object'
    }

    It 'gives the same rows in a child process whatever its time zone (TZ=<_>)' -ForEach 'UTC', 'Europe/Paris', 'Pacific/Auckland', 'America/Los_Angeles' {
        $script_ = @'
param($ModulePath)
Import-Module $ModulePath
$in = @(
    [pscustomobject]@{ SubscriptionNumber = 1; Date = '2025-03-29T00:00:00+01:00'; Index = '1000'; RawType = 'R' }
    [pscustomobject]@{ SubscriptionNumber = 1; Date = '2025-03-30T00:00:00+01:00'; Index = '1100'; RawType = 'R' }
    [pscustomobject]@{ SubscriptionNumber = 1; Date = '2025-03-31T00:00:00+02:00'; Index = '1300'; RawType = 'R' }
    [pscustomobject]@{ SubscriptionNumber = 1; Date = [datetime]'2025-04-03'; Index = 1600; RawType = 'T' }
)
$d = $in | Get-EglConsumption
$m = $in | Get-EglConsumption -Granularity Week
(@($d) + @($m)).ForEach({ '{0:yyyy-MM-dd}/{1:yyyy-MM-dd}/{2}/{3}/{4}' -f $_.Date, $_.EndDate, $_.Days, $_.Liters, $_.Quality }) -join ';'
'@
        $file = Join-Path $TestDrive 'tz.ps1'
        Set-Content -Path $file -Value $script_
        $saved = $env:TZ
        try {
            $env:TZ = $_
            $probe = & dotnet pwsh -NoProfile -NonInteractive -Command '[TimeZoneInfo]::Local.Id'
            $out = & dotnet pwsh -NoProfile -NonInteractive -File $file -ModulePath $ModulePath
        } finally {
            $env:TZ = $saved
        }
        $probe | Should -Be $_   # the child really ran in that zone
        $out | Should -Be '2025-03-30/2025-03-30/1/100/Measured;2025-03-31/2025-03-31/1/200/Measured;2025-04-01/2025-04-01/1/100/Pending;2025-04-02/2025-04-02/1/100/Pending;2025-04-03/2025-04-03/1/100/Pending;2025-03-24/2025-03-30/1/100/Measured;2025-03-31/2025-04-06/4/500/Pending'
    }
}

Describe 'The default range: the 30 days ending today in Paris, on the module''s clock' {
    BeforeAll {
        $script:Clock = [EglWater.Commands.EglDataCmdlet].GetField('UtcNow', [Reflection.BindingFlags]'NonPublic, Static')
        $script:SystemClock = $Clock.GetValue($null)
    }
    AfterAll { $Clock.SetValue($null, $SystemClock) }

    It 'at <Utc> UTC the default range ends on <Today> (Paris), whatever the machine''s zone' -ForEach @(
        @{ Utc = '2026-03-14T22:59:59Z'; Today = '2026-03-14' }   # winter: Paris is UTC+1
        @{ Utc = '2026-03-14T23:00:00Z'; Today = '2026-03-15' }
        @{ Utc = '2025-07-14T21:59:59Z'; Today = '2025-07-14' }   # summer: UTC+2
        @{ Utc = '2025-07-14T22:00:00Z'; Today = '2025-07-15' }
    ) {
        $instant = [DateTimeOffset]::Parse($Utc, [cultureinfo]::InvariantCulture)
        $Clock.SetValue($null, [Func[DateTimeOffset]] { $instant }.GetNewClosure())
        $rows = @(Get-EglIndex -Verbose 4>&1 | Where-Object { $_ -is [EglWater.EglIndexReading] })
        $end = [datetime]$Today
        # The simulator publishes up to 2026-03-14: the last row is the range's end, or the last published day.
        $expectedLast = if ($end -le [datetime]'2026-03-14') { $end } else { [datetime]'2026-03-14' }
        $rows[-1].Date | Should -Be $expectedLast
        $rows[0].Date | Should -Be $end.AddDays(-29)
    }
}

Describe 'Two different final readings of one day' {
    It 'keeps <Kept> of <A> and <B> (D, then R, then A, then others, then the higher index) and flags the day' -ForEach @(
        @{ A = 'R'; B = 'D'; Kept = 'D' }
        @{ A = 'A'; B = 'R'; Kept = 'R' }
        @{ A = 'X'; B = 'A'; Kept = 'A' }
        @{ A = 'V'; B = 'X'; Kept = 'higher' }
    ) {
        $readings = @(
            (Reading 1 '2025-04-01' 1000)
            (Reading 1 '2025-04-02' 1100 $A)
            (Reading 1 '2025-04-02' 1150 $B)
            (Reading 1 '2025-04-03' 1300)
        )
        foreach ($order in @($readings), @($readings[0], $readings[2], $readings[1], $readings[3])) {
            $out = $order | Get-EglConsumption -WarningVariable warn -WarningAction SilentlyContinue
            $day = $out | Where-Object { $_.Date -eq [datetime]'2025-04-02' }
            $next = $out | Where-Object { $_.Date -eq [datetime]'2025-04-03' }
            switch ($Kept) {
                'D' { ($day.Quality, $day.Liters, $next.Liters) | Should -Be @('MeterChange', $null, 150) }
                'R' { ($day.Quality, $day.Liters, $day.RawType, $next.Liters) | Should -Be @('Anomaly', 150, 'R', 150) }
                'A' { ($day.Quality, $day.Liters, $day.RawType) | Should -Be @('Anomaly', 150, 'A') }
                'higher' { ($day.Quality, $day.Liters, $next.Liters) | Should -Be @('Unknown', 150, 150) }
            }
            "$warn" | Should -Match '2025-04-02'
        }
    }
}

