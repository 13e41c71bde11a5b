BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
    $script:Truth = @{}
    # ConvertFrom-Json may turn "2025-01-01" into a DateTime: normalise the keys to text.
    foreach ($row in Get-SimulatorRows $Sim) { $Truth[([datetime]$row.Day).ToString('yyyy-MM-dd')] = $row }
}

AfterAll {
    Disconnect-Egl
    Stop-EglSimulator $Sim
}

Describe 'Without a session' {
    BeforeAll { Disconnect-Egl }

    It 'Get-EglIndex fails with EglNotConnected, saying to run Connect-Egl' {
        $err = { Get-EglIndex -StartDate 2025-06-01 -EndDate 2025-06-02 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglNotConnected,*'
        $err.Exception.Message | Should -Match 'Connect-Egl'
    }

    It 'Get-EglConsumption fails with EglNotConnected' {
        $err = { Get-EglConsumption } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglNotConnected,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'Get-EglSession writes nothing' {
        Get-EglSession | Should -BeNullOrEmpty
    }
}

Describe 'Connect-Egl' {
    It 'writes nothing without -PassThru and keeps the session for the runspace' {
        $out = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri
        $out | Should -BeNullOrEmpty
        $s = Get-EglSession
        $s.UserName | Should -Be $DemoLogin
        $s.SubscriptionNumber | Should -Be $DemoSubscription
        $s.Environment | Should -Be 'Custom'
        $s.BaseUri.AbsolutePath | Should -Be '/ws/'
    }

    It 'writes the session with -PassThru' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey (ConvertTo-SecureString $DemoAuthKey -AsPlainText -Force) -BaseUri $Sim.BaseUri -PassThru
        $s | Should -BeOfType ([EglWater.EglSession])
        $s.Subscriptions | Should -Be @($DemoSubscription)
    }

    It 'fails with EglAuthenticationFailed and the API''s message on a wrong password' {
        $bad = [pscredential]::new($DemoLogin, (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
        $err = { Connect-Egl -Credential $bad -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglAuthenticationFailed,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'mot de passe incorrect'
    }

    It 'fails with EglAuthenticationFailed on a wrong AuthKey' {
        $err = { Connect-Egl -Credential $DemoCredential -AuthKey 'not-the-key' -BaseUri $Sim.BaseUri } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglAuthenticationFailed,*'
        $err.Exception.Message | Should -Match 'Clé'
    }
}

Describe 'Data cmdlets against the simulator' {
    BeforeAll { Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri }

    It 'Get-EglIndex emits one reading per day with the simulator''s values, in date order' {
        $r = Get-EglIndex -StartDate 2025-03-25 -EndDate 2025-04-05
        $r.Count | Should -Be 12
        $r[0] | Should -BeOfType ([EglWater.EglIndexReading])
        $r[0].Date | Should -Be ([datetime]'2025-03-25')
        $r[-1].Date | Should -Be ([datetime]'2025-04-05')
        foreach ($x in $r) {
            $x.Index | Should -Be $Truth[$x.Date.ToString('yyyy-MM-dd')].Index
            $x.RawType | Should -Be 'R'
            $x.Type | Should -Be 'Real'
            $x.SubscriptionNumber | Should -Be $DemoSubscription
        }
    }

    It 'keeps the calendar day across the summer-time change (offset +01:00 then +02:00)' {
        $r = Get-EglIndex -StartDate 2025-03-29 -EndDate 2025-03-31
        $r.Date.ForEach({ $_.ToString('yyyy-MM-dd') }) | Should -Be @('2025-03-29', '2025-03-30', '2025-03-31')
    }

    It 'Get-EglConsumption gives each day the index minus the previous day''s, the first day included' {
        $c = Get-EglConsumption -StartDate 2025-05-01 -EndDate 2025-05-31
        $c.Count | Should -Be 31
        foreach ($x in $c) {
            $day = $x.Date
            $expected = $Truth[$day.ToString('yyyy-MM-dd')].Index - $Truth[$day.AddDays(-1).ToString('yyyy-MM-dd')].Index
            $x.Liters | Should -Be $expected
            $x.CubicMeters | Should -Be ($expected / 1000)
            $x.Quality | Should -Be 'Measured'
        }
    }

    It 'emits nothing after the last published day' {
        # The simulator's today is 2026-03-15 and it publishes up to the day before.
        $c = Get-EglConsumption -StartDate 2026-03-01 -EndDate 2026-03-31
        $c[-1].Date | Should -Be ([datetime]'2026-03-14')
    }

    It 'fails before any request when -StartDate is after -EndDate' {
        $err = { Get-EglIndex -StartDate 2025-06-10 -EndDate 2025-06-01 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglInvalidDateRange,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'reads a range of several years in yearly chunks, without a gap or a duplicate of its own' {
        # The demo data has quirks (a gap, a day sent twice): compare with the simulator's truth, row for row.
        $r = Get-EglIndex -StartDate 2022-11-01 -EndDate 2026-03-14
        $all = @(Get-SimulatorRows $Sim)
        $r.Count | Should -Be $all.Count
        ($r.Date | Sort-Object -Unique).Count | Should -Be $Truth.Count
        $r[0].Date | Should -Be ([datetime]'2022-11-01')
        $r[-1].Date | Should -Be ([datetime]'2026-03-14')
        for ($i = 0; $i -lt $r.Count; $i++) {
            $r[$i].Index | Should -Be $all[$i].Index
            $r[$i].RawType | Should -Be $all[$i].Type
        }
    }

    It 'exports to CSV and reads back the same values' {
        $path = Join-Path $TestDrive 'c.csv'
        $c = Get-EglConsumption -StartDate 2025-05-01 -EndDate 2025-05-07
        $c | Export-Csv -Path $path -NoTypeInformation
        $back = Import-Csv $path
        $back.Count | Should -Be 7
        ($back | ForEach-Object { [double]$_.Liters }) | Should -Be ($c.Liters)
        $back[0].PSObject.Properties.Name | Should -Contain 'Quality'
    }
}
