# Measure-EglCost against the simulator: the shipped 2026 grid priced independently here from the daily litres
# (tiers counted from 1 January), a flat price, tariff files, the diameter from the contract, unknown days,
# piped rows, a history store, and the errors. The module's clock is pinned to the simulator's today.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
    $script:Root = $Sim.RootUri
    $script:PortalUri = [uri]"$($Sim.RootUri)application"
    Set-EglClock '2026-03-15T08:00:00Z'
    $script:Teleo = Connect-Egl -Credential (New-Cred 'teleo@eglwater.test') -BaseUri $PortalUri -PassThru   # DN15 in its contract
    $script:Partner = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru

    # The 2026 grid, figures read from the shipped file; the pricing below is this test's own.
    $grid = Get-Content (Join-Path $PSScriptRoot '../../src/EglWater.Backends/Tariffs/eau-du-grand-lyon.json') -Raw | ConvertFrom-Json
    $script:Period = $grid.periods[0]
    $script:Other = [decimal]0
    foreach ($item in $Period.perCubicMeter) { $script:Other += [decimal]$item.pricePerCubicMeter }

    function script:Round2([decimal] $x) { [math]::Round($x, 2, [MidpointRounding]::AwayFromZero) }
    # Drinking water of $Volume m3 when the year's count stood at $Before m3: each part at its tier's price.
    function script:Tiered([decimal] $Before, [decimal] $Volume) {
        $cost = [decimal]0; $lower = [decimal]0
        foreach ($tier in $Period.drinkingWater) {
            $upper = if ($null -eq $tier.upToCubicMeters) { [decimal]::MaxValue } else { [decimal]$tier.upToCubicMeters }
            $a = [math]::Max($Before, $lower); $b = [math]::Min($Before + $Volume, $upper)
            if ($b -gt $a) { $cost += ($b - $a) * [decimal]$tier.pricePerCubicMeter }
            $lower = $upper
        }
        $cost
    }
    # The expected monthly rows of 2026 from the daily rows: volume, drinking water, other, subscription.
    function script:Expected($Daily, [int] $Diameter = 15) {
        $perYear = [decimal]$Period.subscriptionPerYear."$Diameter"
        $count = [decimal]0
        foreach ($month in $Daily | Group-Object { $_.Date.ToString('yyyy-MM') }) {
            $volume = [decimal]0; $drinking = [decimal]0
            foreach ($d in $month.Group) {
                if ($null -eq $d.Liters) { continue }
                $v = [decimal]$d.Liters / 1000
                $drinking += Tiered $count $v
                $count += $v; $volume += $v
            }
            $first = [datetime]"$($month.Name)-01"
            $days = [datetime]::DaysInMonth($first.Year, $first.Month)
            $subscription = $perYear * $days / 365
            [pscustomobject]@{ Month = $month.Name; CubicMeters = $volume; Drinking = Round2 $drinking; Other = Round2 ($volume * $Other); Subscription = Round2 $subscription }
        }
    }
}

AfterAll {
    Reset-EglClock
    $Sim | Stop-EglSimulator
}

Describe 'Measure-EglCost by the shipped 2026 grid' {
    BeforeAll {
        $script:Daily = @(Get-EglConsumption -Session $Teleo -StartDate 2026-01-01 -EndDate 2026-02-28)
        $script:Costs = @(Measure-EglCost -Session $Teleo -StartDate 2026-01-01 -EndDate 2026-02-28)
    }

    It 'prices each month: free first 12 m3 of the year, then the tier price, sanitation and fees on every m3, the DN15 subscription by days' {
        $expected = @(Expected $Daily)
        $Costs | Should -HaveCount 2
        $Daily.Liters | Measure-Object -Sum | ForEach-Object Sum | Should -BeGreaterThan 12000 -Because 'February must cross the 12 m3 tier'
        for ($i = 0; $i -lt 2; $i++) {
            $c = $Costs[$i]; $e = $expected[$i]
            $c | Should -BeOfType ([EglWater.EglCost])
            $c.Date.ToString('yyyy-MM') | Should -Be $e.Month
            [decimal]$c.CubicMeters | Should -Be ([math]::Round($e.CubicMeters, 3))
            $c.DrinkingWaterEuros | Should -Be $e.Drinking
            $c.OtherEuros | Should -Be $e.Other
            $c.SubscriptionEuros | Should -Be $e.Subscription
            $c.TotalEuros | Should -Be ($e.Drinking + $e.Other + $e.Subscription)
            $c.Complete | Should -BeTrue
            $c.Tariff | Should -Be 'Eau du Grand Lyon 2026 (households)'
        }
        $Costs[0].DrinkingWaterEuros | Should -Be 0
        $Costs[1].DrinkingWaterEuros | Should -BeGreaterThan 0
    }

    It 'counts the tiers from 1 January even when the range starts later: March alone is priced as in the whole quarter' {
        $quarter = @(Measure-EglCost -Session $Teleo -StartDate 2026-01-01 -EndDate 2026-03-31)
        $march = @(Measure-EglCost -Session $Teleo -StartDate 2026-03-01 -EndDate 2026-03-31 -WarningVariable w)
        $march | Should -HaveCount 1
        ($march | ConvertTo-Json -Compress) | Should -Be ($quarter[2] | ConvertTo-Json -Compress)
        $march[0].DrinkingWaterEuros | Should -BeGreaterThan 0
        $w | Should -BeNullOrEmpty
        $march[0].Complete | Should -BeFalse -Because 'the days after 2026-03-12 are not published yet'
    }

    It 'sums to the year within a cent per period, and by day, week and year' {
        $months = @(Measure-EglCost -Session $Teleo -StartDate 2026-01-01 -EndDate 2026-03-12)
        $year = @(Measure-EglCost -Session $Teleo -StartDate 2026-01-01 -EndDate 2026-03-12 -Granularity Year)
        $days = @(Measure-EglCost -Session $Teleo -StartDate 2026-01-01 -EndDate 2026-03-12 -Granularity Day)
        $year | Should -HaveCount 1
        $days | Should -HaveCount 71
        [math]::Abs(($months.TotalEuros | Measure-Object -Sum).Sum - $year[0].TotalEuros) | Should -BeLessOrEqual (0.01 * 3 * 3)
        [math]::Abs(($days.TotalEuros | Measure-Object -Sum).Sum - $year[0].TotalEuros) | Should -BeLessOrEqual (0.01 * 3 * 71)
        @(Measure-EglCost -Session $Teleo -StartDate 2026-01-05 -EndDate 2026-01-18 -Granularity Week).Date | Should -Be @([datetime]'2026-01-05', [datetime]'2026-01-12')
    }

    It 'takes the meter diameter from the contract, and -MeterDiameter over it' {
        $dn20 = @(Measure-EglCost -Session $Teleo -StartDate 2026-01-01 -EndDate 2026-01-31 -MeterDiameter 20)
        $dn20[0].SubscriptionEuros | Should -Be (Round2 ([decimal]$Period.subscriptionPerYear.'20' * 31 / 365))
        $verbose = @(Measure-EglCost -Session $Teleo -StartDate 2026-01-01 -EndDate 2026-01-31 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $verbose | Should -Match 'meter diameter 15 mm \(the contract''s\)'
    }

    It 'gives the same rows from a history store, and from piped daily rows that start on 1 January' {
        $store = Join-Path $TestDrive 'cost.db'
        $null = Sync-EglHistory -Path $store -Session $Teleo -StartDate 2026-01-01
        $stored = Measure-EglCost -HistoryPath $store -StartDate 2026-01-01 -EndDate 2026-02-28 -MeterDiameter 15
        ($stored | ConvertTo-Json -Compress) | Should -Be ($Costs | ConvertTo-Json -Compress)
        $piped = $Daily | Measure-EglCost -MeterDiameter 15
        ($piped | ConvertTo-Json -Compress) | Should -Be ($Costs | ConvertTo-Json -Compress)
    }

    It 'warns once when piped rows start after 1 January: the tiers then count from their first day' {
        $late = @($Daily | Where-Object Date -ge ([datetime]'2026-02-01') | Measure-EglCost -WarningVariable w -WarningAction SilentlyContinue)
        $w | Should -HaveCount 1
        "$w" | Should -Match 'count from 2026-02-01, not from 1 January'
        $late[0].DrinkingWaterEuros | Should -Be 0 -Because 'February alone stays under 12 m3'
    }
}

Describe 'Measure-EglCost with a flat price or a tariff file' {
    It 'prices every m3 at -PricePerCubicMeter, with -SubscriptionPerYear shared out by days' {
        $daily = @(Get-EglConsumption -Session $Partner -StartDate 2025-01-01 -EndDate 2025-01-31)
        $litres = [decimal](($daily.Liters | Measure-Object -Sum).Sum)
        $c = @(Measure-EglCost -Session $Partner -StartDate 2025-01-01 -EndDate 2025-01-31 -PricePerCubicMeter 3.56 -SubscriptionPerYear 36.5)
        $c | Should -HaveCount 1
        $c[0].Tariff | Should -Be 'Flat 3.56 €/m³ + 36.5 €/year'
        $c[0].DrinkingWaterEuros | Should -Be (Round2 ($litres / 1000 * 3.56))
        $c[0].SubscriptionEuros | Should -Be 3.10
        $c[0].OtherEuros | Should -Be 0
    }

    It 'never invents the volume of a day without litres: the meter change month costs only its known days and is not Complete' {
        $daily = @(Get-EglConsumption -Session $Partner -StartDate 2024-10-01 -EndDate 2024-10-31)
        ($daily | Where-Object { $null -eq $_.Liters }).Count | Should -BeGreaterThan 0
        $known = [decimal](($daily.Liters | Measure-Object -Sum).Sum)
        $c = Measure-EglCost -Session $Partner -StartDate 2024-10-01 -EndDate 2024-10-31 -PricePerCubicMeter 2 -WarningAction SilentlyContinue
        $c.Complete | Should -BeFalse
        $c.TotalEuros | Should -Be (Round2 ($known / 1000 * 2))
    }

    It 'reads a tariff file, and says what is wrong with a bad one, naming it' {
        $file = Join-Path $TestDrive 'tariff.json'
        @{ name = 'Test grid'; currency = 'EUR'; periods = @(@{ from = '2025-01-01'; to = '2025-12-31'
                    drinkingWater = @(@{ upToCubicMeters = $null; pricePerCubicMeter = 2 }); perCubicMeter = @(@{ name = 'Sanitation'; pricePerCubicMeter = 1 })
                    subscriptionPerYear = @{ '15' = 365 } }) } | ConvertTo-Json -Depth 6 | Set-Content $file
        $c = @(Measure-EglCost -Session $Partner -StartDate 2025-02-01 -EndDate 2025-02-28 -Tariff $file)
        $m3 = [decimal]((Get-EglConsumption -Session $Partner -StartDate 2025-02-01 -EndDate 2025-02-28).Liters | Measure-Object -Sum).Sum / 1000
        $c[0].Tariff | Should -Be 'Test grid'
        $c[0].SubscriptionEuros | Should -Be 28
        $c[0].DrinkingWaterEuros | Should -Be (Round2 ($m3 * 2))
        $c[0].OtherEuros | Should -Be (Round2 $m3)

        Set-Content $file '{ "name": "broken", "periods": [ { "from": "2025-01-01", '
        try { Measure-EglCost -Session $Partner -Tariff $file } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'EglTariffInvalid,EglWater.Commands.MeasureEglCostCommand'
        $e.Exception.Message | Should -BeLike "*tariff.json*"
        $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        { Measure-EglCost -Session $Partner -Tariff (Join-Path $TestDrive 'none.json') } | Should -Throw -ErrorId 'EglTariffNotFound,EglWater.Commands.MeasureEglCostCommand'
    }

    It 'stops before any request on a range the tariff does not price, or two ways of pricing at once' {
        $before = (Get-SimRequest $DemoLogin 'data').Count
        try { Measure-EglCost -Session $Partner -StartDate 2025-12-01 -EndDate 2026-01-31 } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'EglTariffMissingPeriod,EglWater.Commands.MeasureEglCostCommand'
        $e.Exception.Message | Should -Match '2025-12-01'
        { Measure-EglCost -Session $Partner -PricePerCubicMeter 3 -Tariff 'x.json' } | Should -Throw -ErrorId 'EglTariffConflict,EglWater.Commands.MeasureEglCostCommand'
        { Measure-EglCost -Session $Partner -SubscriptionPerYear 30 } | Should -Throw -ErrorId 'EglTariffConflict,EglWater.Commands.MeasureEglCostCommand'
        (Get-SimRequest $DemoLogin 'data').Count | Should -Be $before
    }

    It 'reports a meter diameter the tariff does not know for that subscription, as a non-terminating error' {
        $c = Measure-EglCost -Session $Teleo -StartDate 2026-01-01 -EndDate 2026-01-31 -MeterDiameter 25 -ErrorVariable err -ErrorAction SilentlyContinue
        $c | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'EglTariffUnknownDiameter,*'
        $err[0].Exception.Message | Should -Match '15'
    }
}
