# The trust fixes, end to end: a day's row never depends on the range asked, a failed request is never
# turned into estimated litres, date edges are not crashes, a closed session stays closed, a blocked one stops.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
    $script:Root = $Sim.RootUri.AbsoluteUri
    $script:PortalUri = [uri]"$($Sim.RootUri)application"
    $script:Key = { '{0:yyyy-MM-dd}|{1:yyyy-MM-dd}|{2}|{3}|{4}|{5}' -f $_.Date, $_.EndDate, $_.Days, $_.Liters, $_.Quality, $_.RawType }
    $script:S = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
    # A second PowerShell in this process (another runspace), with the module loaded.
    function script:New-Shell {
        $ps = [powershell]::Create()
        $null = $ps.AddScript('param($m) Import-Module $m').AddArgument($ModulePath)
        $null = $ps.Invoke()
        $ps.Commands.Clear()
        $ps
    }
    # The error id that ended a command run with BeginInvoke, wherever PowerShell wrapped it.
    function script:Get-FailureId($Shell, $Run) {
        try { $null = $Shell.EndInvoke($Run) } catch {
            for ($e = $_.Exception; $e; $e = $e.InnerException) {
                if ($e -is [System.Management.Automation.IContainsErrorRecord] -and $e.ErrorRecord.FullyQualifiedErrorId -like 'Egl*') { return $e.ErrorRecord.FullyQualifiedErrorId }
            }
            return "no Egl error id in: $($_.Exception)"
        }
        if ($Shell.Streams.Error.Count) { return $Shell.Streams.Error[0].FullyQualifiedErrorId }
        'the command did not fail'
    }
}

AfterAll {
    Disconnect-Egl
    Stop-EglSimulator $Sim
}

Describe 'The row of a day never depends on the range asked' {
    BeforeAll {
        # The demo household's gap: 2024-08-12..14 unpublished, 08-15 the next reading.
        $script:Wide = @{}
        foreach ($r in Get-EglConsumption -Session $S -StartDate 2024-07-01 -EndDate 2024-09-30) { $Wide[$r.Date.ToString('yyyy-MM-dd')] = $r }
        $script:WideRows = Get-EglConsumption -Session $S -StartDate 2024-07-01 -EndDate 2024-09-30 -NoInterpolation
    }

    It 'a range <From>..<To> that starts or ends inside the gap gives every day as the wide query does' -ForEach @(
        @{ From = '2024-08-13'; To = '2024-08-16' }
        @{ From = '2024-08-10'; To = '2024-08-13' }
        @{ From = '2024-08-12'; To = '2024-08-12' }
        @{ From = '2024-08-14'; To = '2024-08-15' }
        @{ From = '2024-08-15'; To = '2024-08-15' }
    ) {
        $narrow = @(Get-EglConsumption -Session $S -StartDate $From -EndDate $To)
        $days = ([datetime]$To - [datetime]$From).Days + 1
        $narrow.Count | Should -Be $days
        foreach ($r in $narrow) {
            $w = $Wide[$r.Date.ToString('yyyy-MM-dd')]
            ($r.Liters, $r.Quality, $r.RawType) | Should -Be @($w.Liters, $w.Quality, $w.RawType) -Because $r.Date.ToString('yyyy-MM-dd')
        }
        $narrow.Where({ $_.Date -ge [datetime]'2024-08-12' -and $_.Date -le [datetime]'2024-08-15' }).Quality | Should -Not -Contain 'Measured'
    }

    It 'without interpolation a range inside the gap gets the whole gap row, as the wide query does' {
        $gap = $WideRows | Where-Object { $_.Days -gt 1 }
        $gap.Date | Should -Be ([datetime]'2024-08-12')
        foreach ($range in @(@('2024-08-13', '2024-08-16'), @('2024-08-10', '2024-08-13'), @('2024-08-14', '2024-08-14'))) {
            $narrow = Get-EglConsumption -Session $S -StartDate $range[0] -EndDate $range[1] -NoInterpolation
            $inside = $narrow | Where-Object { $_.Days -gt 1 }
            (& { $inside } | ForEach-Object $Key) | Should -Be (& { $gap } | ForEach-Object $Key)
        }
    }

    It 'never says the days of a gap in 2024 are not published yet' {
        $out = Get-EglConsumption -Session $S -StartDate 2024-08-10 -EndDate 2024-08-13 -Verbose 4>&1
        @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'not published' }).Count | Should -Be 0
        @($out | Where-Object { $_ -is [EglWater.EglConsumption] }).Count | Should -Be 4
    }

    It 'a month queried from inside the gap counts every day and is Estimated' {
        $m = Get-EglConsumption -Session $S -StartDate 2024-08-13 -EndDate 2024-08-31 -Granularity Month
        ($m.Days, $m.DaysWithData, $m.Quality, $m.Complete) | Should -Be @(19, 19, 'Estimated', $false)
        $expected = 0; foreach ($d in 13..31) { $expected += $Wide[('2024-08-{0:00}' -f $d)].Liters }
        $m.Liters | Should -Be $expected
    }

    It 'a range that ends in the last published days still stops at the last one, and says so' {
        $out = Get-EglConsumption -Session $S -StartDate 2026-03-10 -EndDate 2026-03-20 -Verbose 4>&1
        $rows = @($out | Where-Object { $_ -is [EglWater.EglConsumption] })
        $rows[-1].Date | Should -Be ([datetime]'2026-03-14')
        @($out | Where-Object { "$_" -match 'last available day is 2026-03-14' }).Count | Should -Be 1
    }
}

Describe 'A request that failed is Missing, never a gap' {
    AfterEach { Reset-Fault $DemoLogin }

    It 'the days of a failed chunk get no litres and Quality Missing, and the error names them' {
        # Fail the one request whose days start in 2024 (the middle chunk of the three).
        Set-Fault $DemoLogin @{ rules = @(@{ fromOnOrAfter = '2024-01-01'; fromBefore = '2024-12-31'; step = 'html500' }) }
        $rows = @(Get-EglConsumption -Session $S -StartDate 2023-06-01 -EndDate 2025-06-30 -MaximumRetryCount 0 -ErrorVariable ev -ErrorAction SilentlyContinue)
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'EglInvalidResponse,*'
        $ev[0].ErrorDetails.Message -match 'The days (\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d) of subscription 1895683 were not read; they are written with Quality Missing' | Should -BeTrue -Because $ev[0].ErrorDetails.Message
        $lostFrom = [datetime]$Matches[1]; $lostTo = [datetime]$Matches[2]
        $lostFrom.Year | Should -Be 2024
        $missing = @($rows | Where-Object Quality -EQ 'Missing')
        # The chunk's days and the first day after it (its baseline was lost).
        $missing.Count | Should -Be (($lostTo - $lostFrom).Days + 2)
        $missing[0].Date | Should -Be $lostFrom
        $missing[-1].Date | Should -Be $lostTo.AddDays(1)
        $missing.Liters | Where-Object { $null -ne $_ } | Should -BeNullOrEmpty
        @($rows | Where-Object Quality -EQ 'Estimated').Count | Should -Be 0
        # One row per day of the range, nothing lost silently, nothing invented.
        $rows.Count | Should -Be (([datetime]'2025-06-30' - [datetime]'2023-06-01').Days + 1)
    }

    It 'aggregated rows count the Missing days out of DaysWithData' {
        Set-Fault $DemoLogin @{ rules = @(@{ fromOnOrAfter = '2024-01-01'; fromBefore = '2024-12-31'; step = '503' }) }
        $months = @(Get-EglConsumption -Session $S -StartDate 2023-06-01 -EndDate 2025-06-30 -Granularity Month -MaximumRetryCount 0 -ErrorAction SilentlyContinue)
        $september = $months | Where-Object { $_.Date -eq [datetime]'2024-09-01' }
        ($september.DaysWithData, $september.Liters, $september.Quality, $september.Complete) | Should -Be @(0, $null, 'Missing', $false)
        ($months | Where-Object { $_.Date -eq [datetime]'2023-09-01' }).Quality | Should -Be 'Measured'
    }

    It 'an answer with days after date_fin is read as asked, the extra days left out' {
        $plain = Get-EglConsumption -Session $S -StartDate 2023-01-01 -EndDate 2025-03-31
        Set-Fault $DemoLogin @{ rules = @(@{ step = 'overreach' }) }
        $out = Get-EglConsumption -Session $S -StartDate 2023-01-01 -EndDate 2025-03-31 -Verbose 4>&1
        $rows = @($out | Where-Object { $_ -is [EglWater.EglConsumption] })
        $rows.ForEach($Key) | Should -Be $plain.ForEach($Key)
        @($out | Where-Object { "$_" -match 'outside the days asked' }).Count | Should -BeGreaterThan 0
    }
}

Describe 'Ranges at the edges of DateTime' {
    # The module's today pinned to the simulator's: "up to today" is the same span in whatever year CI runs.
    BeforeAll { Set-EglClock '2026-03-15T08:00:00Z' }
    AfterAll { Reset-EglClock }

    It 'an end in year 9999 reads up to today and stops at the last published day' {
        $before = (Get-SimRequest $DemoLogin 'data').Count
        $rows = @(Get-EglConsumption -Session $S -StartDate 2026-03-01 -EndDate 9999-12-31)
        $rows[-1].Date | Should -Be ([datetime]'2026-03-14')
        (Get-SimRequest $DemoLogin 'data').Count - $before | Should -BeLessOrEqual 2
    }

    It 'a start in year 1 reads from the earliest served day, not two thousand years of requests' {
        $before = (Get-SimRequest $DemoLogin 'data').Count
        $rows = @(Get-EglConsumption -Session $S -StartDate 0001-01-01 -EndDate 2022-11-05)
        $rows.Date | Should -Be @([datetime]'2022-11-02', [datetime]'2022-11-03', [datetime]'2022-11-04', [datetime]'2022-11-05')
        (Get-SimRequest $DemoLogin 'data').Count - $before | Should -BeLessOrEqual 25
    }

    It 'years from year 1 to year 9999 are the years of the data' {
        $years = @(Get-EglConsumption -Session $S -StartDate 0001-01-01 -EndDate 9999-12-31 -Granularity Year)
        $years.Date.Year | Should -Be @(2022, 2023, 2024, 2025, 2026)
        $years[1].Days | Should -Be 365
    }

    It 'Get-EglIndex takes the same edges' {
        @(Get-EglIndex -Session $S -StartDate 2026-03-13 -EndDate 9999-12-31).Date | Should -Be @([datetime]'2026-03-13', [datetime]'2026-03-14')
    }
}

Describe 'Credentials' {
    It 'an empty credential is EglInvalidCredential before any request (<Name>)' -ForEach @(
        @{ Name = 'Empty'; Make = { [pscredential]::Empty } }
        @{ Name = 'no password'; Make = { [pscredential]::new('nobody@eglwater.test', [securestring]::new()) } }
    ) {
        $before = @(Invoke-RestMethod -Uri "$($Root)_simulator/requests").Count
        foreach ($target in @(@{ AuthKey = $DemoAuthKey; BaseUri = $Sim.BaseUri }, @{ BaseUri = $PortalUri })) {
            $err = { Connect-Egl -Credential (& $Make) @target } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'EglInvalidCredential,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
        @(Invoke-RestMethod -Uri "$($Root)_simulator/requests").Count | Should -Be $before
        (Get-EglSession).UserName | Should -Be $DemoLogin
    }
}

Describe 'Sessions: Disconnect-Egl is final, a block stops everything' {
    BeforeAll {
        # Slow answers (the token is checked after the delay, as a real server checks it when it gets there).
        $script:Slow = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15', '--latency-ms', '1500'
        $script:SlowRoot = $Slow.RootUri.AbsoluteUri
    }
    AfterAll { Stop-EglSimulator $Slow }

    It 'a partner session closed while another runspace reads fails that read with EglNotConnected and sends no login' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Slow.BaseUri -PassThru
        $ps = New-Shell
        $null = $ps.AddScript('param($s) Get-EglConsumption -Session $s -StartDate 2023-01-01 -EndDate 2025-12-31 -ErrorAction Stop').AddArgument($s)
        $run = $ps.BeginInvoke()
        Start-Sleep -Milliseconds 300
        $null = Invoke-RestMethod -Method Post -Uri "$($SlowRoot)_simulator/expire?login=$([uri]::EscapeDataString($DemoLogin))"
        Disconnect-Egl -Session $s
        # Whether the read had sent its requests (their answers then say "token expired") or not yet (the
        # session is closed before it starts), the outcome is the same: EglNotConnected and no new login.
        Get-FailureId $ps $run | Should -BeLike 'EglNotConnected,*'
        @(Invoke-RestMethod -Uri "$($SlowRoot)_simulator/requests?login=$([uri]::EscapeDataString($DemoLogin))" | ForEach-Object { $_ } | Where-Object route -EQ 'connect').Count | Should -Be 1
        $ps.Dispose()
    }

    It 'a portal session closed while another runspace reads fails that read with EglNotConnected and sends no login' {
        $s = Connect-Egl -Credential $DemoCredential -BaseUri "$($Slow.RootUri)application" -PassThru
        $stats = { Invoke-RestMethod -Uri "$($SlowRoot)_simulator/portal/stats?login=$([uri]::EscapeDataString($DemoLogin))" }
        $logins = (& $stats).Logins
        $ps = New-Shell
        $null = $ps.AddScript('param($s) Get-EglConsumption -Session $s -StartDate 2024-01-01 -EndDate 2025-06-30 -ErrorAction Stop').AddArgument($s)
        $run = $ps.BeginInvoke()
        Start-Sleep -Milliseconds 300
        $null = Invoke-RestMethod -Method Post -Uri "$($SlowRoot)_simulator/portal/expire-tokens?login=$([uri]::EscapeDataString($DemoLogin))"
        Disconnect-Egl -Session $s
        Get-FailureId $ps $run | Should -BeLike 'EglNotConnected,*'
        (& $stats).Logins | Should -Be $logins
        $ps.Dispose()
    }

    It 'a 403 on the portal''s data route stops the whole command at once, and the session sends nothing more' {
        $s = Connect-Egl -Credential (New-Cred 'wafdata@eglwater.test') -BaseUri $PortalUri -PassThru
        $err = { Get-EglConsumption -Session $s -StartDate 2023-01-01 -EndDate 2025-12-31 -ErrorAction SilentlyContinue } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglBlocked,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $after = Get-PortalStat 'wafdata@eglwater.test'
        # Only the requests already in flight (at most the four parallel chunks) reached the firewall.
        $after.DataRequests | Should -BeLessOrEqual 4
        { Get-EglConsumption -Session $s -StartDate 2025-01-01 -EndDate 2025-01-31 } | Should -Throw -ExceptionType ([EglWater.EglBlockedException])
        $again = Get-PortalStat 'wafdata@eglwater.test'
        ($again.DataRequests, $again.Logins) | Should -Be @($after.DataRequests, $after.Logins)
    }

    It 'the portal''s session cap answered with 200 and a JSON error is EglSessionLimit with the server''s words' {
        $err = { Connect-Egl -Credential (New-Cred 'busy200@eglwater.test') -BaseUri $PortalUri } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglSessionLimit,*'
        $err.Exception.Message | Should -Match 'nombre maximum de connexion atteint pour cet utilisateur'
    }
}
