# The customer portal as it answers in 2026: browser headers, no role step, two redirects, the contract search,
# daily items with the index and the leak signals, revoke on Disconnect-Egl; and the older shapes still work.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
    $script:Root = $Sim.RootUri.AbsoluteUri
    $script:PortalUri = [uri]"$($Sim.RootUri)application"
    $script:Teleo = Connect-Egl -Credential (New-Cred 'teleo@eglwater.test') -BaseUri $PortalUri -PassThru
    $script:OldPortal = Connect-Egl -Credential $DemoCredential -BaseUri $PortalUri -PassThru
    $script:Partner = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
    $script:Key = { '{0:yyyy-MM-dd}|{1}|{2}' -f $_.Date, $_.Liters, $_.Quality }
    function script:Get-Truth([string] $Login) {
        $t = @{}
        foreach ($r in Get-SimulatorRows $Sim -Login $Login) { $t[([datetime]$r.Day).ToString('yyyy-MM-dd')] = $r }
        $t
    }
}

AfterAll {
    foreach ($s in $Teleo, $OldPortal, $Partner) { Disconnect-Egl -Session $s }
    Stop-EglSimulator $Sim
}

Describe 'Logging in to the portal as it answers in 2026' {
    It 'passes the firewall with a browser''s headers, skips the missing role step, follows two redirects and finds the contract by the search' {
        $stats = Get-PortalStat 'teleo@eglwater.test'
        ($stats.Logins, $stats.TokenExchanges, $stats.ContractSearches) | Should -Be @(1, 1, 1)
        # One GET of the role route, answered 404: no PUT, no second GET.
        $stats.RoleRequests | Should -Be 1
        $Teleo.Api | Should -Be 'Portal'
        $Teleo.Subscriptions | Should -Be @($DemoSubscription)
    }

    It 'refuses an authorization redirected to another host, and sends it nothing' {
        $err = { Connect-Egl -Credential (New-Cred 'foreign@eglwater.test') -BaseUri $PortalUri } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglInvalidResponse,*'
        $err.Exception.Message | Should -Match 'another host \(login\.evil\.example\)'
        (Get-PortalStat 'foreign@eglwater.test').TokenExchanges | Should -Be 0
    }
}

Describe 'Daily answers with the index and the leak signals' {
    BeforeAll { $script:Truth = Get-Truth 'teleo@eglwater.test' }

    It 'Get-EglIndex gives the meter''s index of each final day, as the portal has it' {
        $rows = @(Get-EglIndex -Session $Teleo -StartDate 2025-03-01 -EndDate 2025-03-10)
        $rows.Count | Should -Be 10
        foreach ($r in $rows) { $r.Index | Should -Be ([long]$Truth[$r.Date.ToString('yyyy-MM-dd')].Index) }
        ($rows.Type | Select-Object -Unique) | Should -Be 'Real'
        ($rows.RawType | Select-Object -Unique) | Should -Be ''
    }

    It 'computes Get-EglConsumption from the index: the same rows as the partner API and as the older portal''s volumes where both agree' {
        $fromIndex = Get-EglConsumption -Session $Teleo -StartDate 2025-03-01 -EndDate 2025-05-31
        $fromVolumes = Get-EglConsumption -Session $OldPortal -StartDate 2025-03-01 -EndDate 2025-05-31
        $fromPartner = Get-EglConsumption -Session $Partner -StartDate 2025-03-01 -EndDate 2025-05-31
        $fromIndex.Count | Should -Be 92
        $fromIndex.ForEach($Key) | Should -Be $fromVolumes.ForEach($Key)
        $fromIndex.ForEach($Key) | Should -Be $fromPartner.ForEach($Key)
        (Get-EglConsumption -Session $Teleo -StartDate 2025-01-01 -EndDate 2025-12-31 -Granularity Month).Liters |
            Select-Object -Skip 2 -First 3 | Should -Be ((Get-EglConsumption -Session $Partner -StartDate 2025-03-01 -EndDate 2025-05-31 -Granularity Month).Liters)
    }

    It 'spreads the gap of August 2024 over its days like the partner API (the index engine), where the volumes leave it out' {
        $gap = Get-EglConsumption -Session $Teleo -StartDate 2024-08-11 -EndDate 2024-08-16
        $gap.ForEach($Key) | Should -Be (Get-EglConsumption -Session $Partner -StartDate 2024-08-11 -EndDate 2024-08-16).ForEach($Key)
        @($gap | Where-Object Quality -EQ 'Estimated').Count | Should -Be 4
        @(Get-EglConsumption -Session $OldPortal -StartDate 2024-08-11 -EndDate 2024-08-16).Count | Should -Be 2
    }

    It 'gives each day its minimum flow and leak estimate; a month the largest flow and the sum of the estimates' {
        $leak = Connect-Egl -Credential (New-Cred 'leak@eglwater.test') -BaseUri $PortalUri -PassThru
        try {
            $truth = Get-Truth 'leak@eglwater.test'
            $days = @(Get-EglConsumption -Session $leak -StartDate 2026-01-20 -EndDate 2026-02-10)
            $days.Count | Should -Be 22
            foreach ($d in $days) {
                $t = $truth[$d.Date.ToString('yyyy-MM-dd')]
                $d.MinimumFlowLitersPerHour | Should -Be ([double]$t.DebitMin) -Because $d.Date.ToString('yyyy-MM-dd')
                $d.EstimatedLeakLiters | Should -Be ([double]$t.LeakLiters) -Because $d.Date.ToString('yyyy-MM-dd')
            }
            @($days | Where-Object EstimatedLeakLiters -GT 0).Count | Should -BeGreaterThan 0
            $month = Get-EglConsumption -Session $leak -StartDate 2026-02-01 -EndDate 2026-02-28 -Granularity Month
            $february = $days | Where-Object { $_.Date.Month -eq 2 }
            $all = @(Get-EglConsumption -Session $leak -StartDate 2026-02-01 -EndDate 2026-02-28)
            $month.MinimumFlowLitersPerHour | Should -Be (($all | Measure-Object MinimumFlowLitersPerHour -Maximum).Maximum)
            $month.EstimatedLeakLiters | Should -Be (($all | Measure-Object EstimatedLeakLiters -Sum).Sum)
            $february.Count | Should -Be 10
        } finally { Disconnect-Egl -Session $leak }
    }

    It 'leaves the signals empty on partner rows' {
        $p = Get-EglConsumption -Session $Partner -StartDate 2025-03-01 -EndDate 2025-03-02
        $p.MinimumFlowLitersPerHour | Where-Object { $null -ne $_ } | Should -BeNullOrEmpty
        $p.EstimatedLeakLiters | Where-Object { $null -ne $_ } | Should -BeNullOrEmpty
    }

    It 'reads answers in m³, m3 and m3/h as litres: the same rows as in litres' {
        $m3 = Connect-Egl -Credential (New-Cred 'teleo-m3@eglwater.test') -BaseUri $PortalUri -PassThru
        try {
            $a = Get-EglConsumption -Session $m3 -StartDate 2025-06-01 -EndDate 2025-06-20
            $b = Get-EglConsumption -Session $Teleo -StartDate 2025-06-01 -EndDate 2025-06-20
            $a.ForEach($Key) | Should -Be $b.ForEach($Key)
            $a.MinimumFlowLitersPerHour | Should -Be $b.MinimumFlowLitersPerHour
            (Get-EglIndex -Session $m3 -StartDate 2025-06-01 -EndDate 2025-06-02).Index | Should -Be (Get-EglIndex -Session $Teleo -StartDate 2025-06-01 -EndDate 2025-06-02).Index
        } finally { Disconnect-Egl -Session $m3 }
    }
}

Describe 'Get-EglSubscription' {
    It 'gives the contract''s details on the 2026 portal' {
        $s = Get-EglSubscription -Session $Teleo
        ($s.SubscriptionNumber, $s.Api, $s.Status, $s.MeterDiameter, $s.Residents, $s.Usage, $s.MeterBatteryOk) |
            Should -Be @($DemoSubscription, 'Portal', 'Actif', 15, 3, 'Domestique', $true)
        $s.PSObject.TypeNames[0] | Should -Be 'EglWater.EglSubscription'
    }

    It 'gives the numbers only on the older portal and on the partner API' {
        foreach ($session in $OldPortal, $Partner) {
            $s = Get-EglSubscription -Session $session
            $s.SubscriptionNumber | Should -Be $DemoSubscription
            ($s.MeterDiameter, $s.Residents, $s.MeterBatteryOk) | Should -Be @($null, $null, $null)
        }
        $multi = Connect-Egl -Credential (New-Cred 'multi@eglwater.test') -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        (Get-EglSubscription -Session $multi).SubscriptionNumber | Should -Be @(3100001, 3100002, 3100003)
        (Get-EglSubscription -Session $multi -SubscriptionNumber 3100002).SubscriptionNumber | Should -Be 3100002
        Disconnect-Egl -Session $multi
    }
}

Describe 'Disconnect-Egl on the portal' {
    It 'revokes the token once, and the session is closed' {
        $s = Connect-Egl -Credential (New-Cred 'teleo@eglwater.test') -BaseUri $PortalUri -PassThru
        $before = (Get-PortalStat 'teleo@eglwater.test').Revokes
        $verbose = Disconnect-Egl -Session $s -Verbose 4>&1
        (Get-PortalStat 'teleo@eglwater.test').Revokes - $before | Should -Be 1
        ($verbose.Message -join "`n") | Should -Match 'revoked'
        { Get-EglConsumption -Session $s } | Should -Throw -ErrorId 'EglNotConnected,EglWater.Commands.GetEglConsumptionCommand'
    }

    It 'takes a refused revocation as one verbose line, never an error' {
        $s = Connect-Egl -Credential (New-Cred 'teleo-m3@eglwater.test') -BaseUri $PortalUri -PassThru
        $out = Disconnect-Egl -Session $s -Verbose -ErrorVariable ev 4>&1
        $ev.Count | Should -Be 0
        @($out | Where-Object { "$_" -match 'did not revoke' }).Count | Should -Be 1
        (Get-PortalStat 'teleo-m3@eglwater.test').Revokes | Should -BeGreaterOrEqual 1
    }
}
