# Find-EglLeak against the simulator's households: a leak that starts on a known day (15 L/h from 45 days before
# the simulator's today, the portal's estimate 2 days later), a pool filled once (900 L, 20 days before today),
# and normal households that must raise nothing over three years. The module's clock is pinned to the
# simulator's today (2026-03-15).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
    $script:Root = $Sim.RootUri
    $script:PortalUri = [uri]"$($Sim.RootUri)application"
    Set-EglClock '2026-03-15T08:00:00Z'
    function script:Partner([string] $Login) { Connect-Egl -Credential (New-Cred $Login) -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru }
    function script:Portal([string] $Login) { Connect-Egl -Credential (New-Cred $Login) -BaseUri $PortalUri -PassThru }
    $script:LeakStart = [datetime]'2026-01-29'      # 45 days before 2026-03-15
    $script:LastDay = [datetime]'2026-03-14'        # the last published day
    $script:LeakDays = ($LastDay - $LeakStart).Days + 1
    $script:LeakPerDay = 15 * 24
    function script:Alerts($Objects) { $Objects | ConvertTo-Json -Compress -Depth 3 }
}

AfterAll {
    Reset-EglClock
    $Sim | Stop-EglSimulator
}

Describe 'Find-EglLeak on a household with a leak' {
    BeforeAll {
        $script:LeakPartner = Partner 'leak@eglwater.test'
        $script:LeakPortal = Portal 'leak@eglwater.test'
    }

    It 'finds one SustainedRise from the day the leak started, still going on, with the litres it lost (partner API)' {
        $alerts = @(Find-EglLeak -Session $LeakPartner)
        $alerts | Should -HaveCount 1
        $a = $alerts[0]
        $a | Should -BeOfType ([EglWater.EglLeakAlert])
        $a.Kind | Should -Be 'SustainedRise'
        $a.StartDate | Should -Be $LeakStart
        $a.EndDate | Should -Be $LastDay
        $a.Days | Should -Be $LeakDays
        $a.Ongoing | Should -BeTrue
        $a.Severity | Should -Be 'Critical'
        $a.ExcessLiters | Should -BeGreaterThan (0.9 * $LeakDays * $LeakPerDay)
        $a.ExcessLiters | Should -BeLessThan (1.1 * $LeakDays * $LeakPerDay)
        $a.BaselineLitersPerDay | Should -BeGreaterThan 100
        $a.Evidence | Should -BeLike "From 2026-01-29 to 2026-03-14 ($LeakDays days, still going on)*L more than usual."
    }

    It 'also finds the continuous flow and the provider''s own estimate on the portal' {
        $alerts = @(Find-EglLeak -Session $LeakPortal)
        $alerts.Kind | Should -Be @('SustainedRise', 'ContinuousFlow', 'ProviderEstimate')
        $flow = $alerts | Where-Object Kind -eq 'ContinuousFlow'
        $flow.StartDate | Should -Be $LeakStart
        $flow.ExcessLiters | Should -BeGreaterOrEqual ($LeakDays * $LeakPerDay)
        $flow.Evidence | Should -Match 'water never stopped running'
        $estimate = $alerts | Where-Object Kind -eq 'ProviderEstimate'
        $estimate.StartDate | Should -Be $LeakStart.AddDays(2)
        $estimate.ExcessLiters | Should -Be (($LeakDays - 2) * $LeakPerDay)
        $estimate.Severity | Should -Be 'Critical'
    }

    It 'gives the same alerts from piped daily rows (with the baseline days before the range) and from a history store' {
        $online = Find-EglLeak -Session $LeakPortal -StartDate 2026-01-01 -EndDate 2026-03-15
        $piped = Get-EglConsumption -Session $LeakPortal -StartDate 2025-11-06 -EndDate 2026-03-15 | Find-EglLeak -StartDate 2026-01-01
        Alerts $piped | Should -Be (Alerts $online)

        $store = Join-Path $TestDrive 'leak.db'
        $null = Sync-EglHistory -Path $store -Session $LeakPortal
        $before = @(Get-PortalStat 'leak@eglwater.test').DataRequests
        $stored = Find-EglLeak -HistoryPath $store -StartDate 2026-01-01 -EndDate 2026-03-15
        (Get-PortalStat 'leak@eglwater.test').DataRequests | Should -Be $before
        Alerts $stored | Should -Be (Alerts $online)
    }

    It 'takes its thresholds from the parameters' {
        @(Find-EglLeak -Session $LeakPortal -MinimumFlowLitersPerHour 20).Kind | Should -Not -Contain 'ContinuousFlow'
        @(Find-EglLeak -Session $LeakPartner -MinimumExcessLiters 1000) | Should -BeNullOrEmpty   # 360 L/day is below 500 L
    }
}

Describe 'Find-EglLeak on a household that filled a pool once' {
    It 'finds one Spike on that day, with the litres above the usual, as Info' {
        $spike = Partner 'spike@eglwater.test'
        $alerts = @(Find-EglLeak -Session $spike)
        $alerts | Should -HaveCount 1
        $alerts[0].Kind | Should -Be 'Spike'
        $alerts[0].StartDate | Should -Be ([datetime]'2026-02-23')
        $alerts[0].Days | Should -Be 1
        $alerts[0].ExcessLiters | Should -BeGreaterThan 810
        $alerts[0].ExcessLiters | Should -BeLessThan 990
        $alerts[0].Severity | Should -Be 'Info'
        @(Find-EglLeak -Session $spike -SpikeFactor 6) | Should -BeNullOrEmpty
    }
}

Describe 'Find-EglLeak on normal households' {
    It 'raises nothing over three years on <Login> (<Api>), and says in verbose what it checked' -ForEach @(
        @{ Login = 'demo@eglwater.test'; Api = 'Partner' }      # gap, meter change, anomaly, pending days
        @{ Login = 'demo@eglwater.test'; Api = 'Portal' }
        @{ Login = 'teleo@eglwater.test'; Api = 'Portal' }
    ) {
        $session = if ($Api -eq 'Partner') { Partner $Login } else { Portal $Login }
        $out = @(Find-EglLeak -Session $session -StartDate 2023-03-15 -Verbose -WarningAction SilentlyContinue 4>&1)
        @($out | Where-Object { $_ -is [EglWater.EglLeakAlert] }) | Should -BeNullOrEmpty
        $line = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*checked*days (2023-03-15..2026-03-15)*0 alert(s)*' })
        $line | Should -HaveCount 1
    }

    It 'reads the last 90 days by default, with twice the baseline before them' {
        $session = Partner 'demo@eglwater.test'
        $before = (Get-SimRequest $DemoLogin 'data').Count
        $out = @(Find-EglLeak -Session $session -Verbose 4>&1)
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match '\(2025-12-16\.\.2026-03-15\)'
        $requests = @(Get-SimRequest $DemoLogin 'data') | Select-Object -Skip $before
        $requests | Should -HaveCount 1
        [datetime]::ParseExact($requests[0].from, "MM/dd/yyyy", [cultureinfo]::InvariantCulture) | Should -BeLessOrEqual ([datetime]'2025-10-20')   # 2025-12-16 - 56 days - the day before
    }
}

Describe 'Find-EglLeak input checks' {
    It 'refuses weekly or monthly rows: leaks are found day by day' {
        $session = Partner 'demo@eglwater.test'
        { Get-EglConsumption -Session $session -Granularity Month | Find-EglLeak } | Should -Throw -ErrorId 'EglNotDailyRows,EglWater.Commands.FindEglLeakCommand'
    }

    It 'validates its thresholds before any request' {
        { Find-EglLeak -SpikeFactor 0.5 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,EglWater.Commands.FindEglLeakCommand'
        { Find-EglLeak -BaselineDays 3 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,EglWater.Commands.FindEglLeakCommand'
    }
}
