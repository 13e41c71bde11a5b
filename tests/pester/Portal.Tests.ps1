BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
    $script:Root = $Sim.RootUri.AbsoluteUri
    $script:PortalUri = [uri]"$($Sim.RootUri)application"
    $script:Truth = @{}
    foreach ($row in Get-SimulatorRows $Sim) { $Truth[([datetime]$row.Day).ToString('yyyy-MM-dd')] = $row }
    function script:Get-PortalSecrets([string] $Login) { Invoke-RestMethod "$($Sim.RootUri)_simulator/portal/secrets?login=$([uri]::EscapeDataString($Login))" | ForEach-Object { $_ } }
}

AfterAll {
    Disconnect-Egl
    Stop-EglSimulator $Sim
}

Describe 'Connect-Egl without -AuthKey (the customer portal)' {
    It 'uses the portal parameter set and says so in the session' {
        (Get-Command Connect-Egl).DefaultParameterSet | Should -Be 'Portal'
        $s = Connect-Egl -Credential $DemoCredential -BaseUri $PortalUri -PassThru
        $s.Api | Should -Be 'Portal'
        $s.SubscriptionNumber | Should -Be $DemoSubscription
        $s.Subscriptions | Should -Be @($DemoSubscription)
        (Get-EglSession).Api | Should -Be 'Portal'
        (Get-PortalStat $DemoLogin).TokenExchanges | Should -BeGreaterOrEqual 1
    }

    It 'still uses the partner API when -AuthKey is given' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        $s.Api | Should -Be 'Partner'
    }

    It 'refuses -Environment Recette without -AuthKey before any request' {
        $before = (Get-PortalStat $DemoLogin).Logins
        $err = { Connect-Egl -Credential $DemoCredential -Environment Recette } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglInvalidEnvironment,*'
        (Get-PortalStat $DemoLogin).Logins | Should -Be $before
    }

    It 'reports a wrong password as EglAuthenticationFailed' {
        $bad = [pscredential]::new($DemoLogin, (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
        $err = { Connect-Egl -Credential $bad -BaseUri $PortalUri } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglAuthenticationFailed,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
    }

    It 'reports the firewall as EglBlocked (ResourceUnavailable), saying to wait' {
        $err = { Connect-Egl -Credential (New-Cred 'waf@eglwater.test') -BaseUri $PortalUri -MaximumRetryCount 3 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglBlocked,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err.Exception.Message | Should -Match 'HTTP 403'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Wait at least 15 minutes'
    }

    It 'reports the session cap as EglSessionLimit' {
        $err = { Connect-Egl -Credential (New-Cred 'busy@eglwater.test') -BaseUri $PortalUri } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglSessionLimit,*'
        $err.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $err.Exception.Message | Should -Match 'nombre maximum de connexion'
    }
}

Describe 'Get-EglConsumption on a portal session' {
    BeforeAll { $script:S = Connect-Egl -Credential $DemoCredential -BaseUri $PortalUri -PassThru }

    It 'gives each day the same litres as the meter''s index difference' {
        $c = Get-EglConsumption -Session $S -StartDate 2025-05-01 -EndDate 2025-05-31
        $c.Count | Should -Be 31
        foreach ($x in $c) {
            $expected = $Truth[$x.Date.ToString('yyyy-MM-dd')].Index - $Truth[$x.Date.AddDays(-1).ToString('yyyy-MM-dd')].Index
            $x.Liters | Should -Be $expected
            $x.Quality | Should -Be 'Measured'
            $x | Should -BeOfType ([EglWater.EglConsumption])
        }
    }

    It 'gives the same monthly totals as the partner API on months without quirks, in 90-day requests' {
        $portal = Get-EglConsumption -Session $S -StartDate 2025-03-01 -EndDate 2025-08-31 -Granularity Month
        $partnerSession = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        $partner = Get-EglConsumption -Session $partnerSession -StartDate 2025-03-01 -EndDate 2025-08-31 -Granularity Month
        $portal.Count | Should -Be 6
        $portal.Liters | Should -Be $partner.Liters
        $portal.Complete | Should -Not -Contain $false
        $portal[0].PSObject.TypeNames[0] | Should -Be 'EglWater.EglConsumption#Period'
    }

    It 'leaves out the days the portal did not give, says which, and never estimates them' {
        # 2024-08-12..14 are missing from the meter data; the meter changed on 2024-10-15.
        $verbose = Get-EglConsumption -Session $S -StartDate 2024-08-10 -EndDate 2024-08-16 -NoInterpolation -Verbose 4>&1
        $rows = @($verbose | Where-Object { $_ -is [EglWater.EglConsumption] })
        $rows.Date.ForEach({ $_.ToString('yyyy-MM-dd') }) | Should -Not -Contain '2024-08-13'
        $rows.Quality | Should -Not -Contain 'Estimated'
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match '2024-08-12\.\.2024-08-1[45]'
        $month = Get-EglConsumption -Session $S -StartDate 2024-08-01 -EndDate 2024-08-31 -Granularity Month
        $month.Complete | Should -BeFalse
        $month.DaysWithData | Should -BeLessThan 31
    }

    It 'answers Get-EglIndex on a subscription whose answers carry no index with EglNotSupported, pointing to Get-EglConsumption' {
        $rows = Get-EglIndex -Session $S -StartDate 2025-01-01 -EndDate 2025-01-02 -ErrorVariable ev -ErrorAction SilentlyContinue
        $rows | Should -BeNullOrEmpty
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'EglNotSupported,*'
        $ev[0].TargetObject | Should -Be $DemoSubscription
        $ev[0].Exception.Message | Should -Match 'Get-EglConsumption'
    }

    It 'logs in again by itself when the access token has expired (401), once' {
        $s = Connect-Egl -Credential $DemoCredential -BaseUri $PortalUri -PassThru
        $before = (Get-PortalStat $DemoLogin).TokenExchanges
        Invoke-RestMethod -Method Post "$($Sim.RootUri)_simulator/portal/expire-tokens?login=$DemoLogin" | Out-Null
        (Get-EglConsumption -Session $s -StartDate 2025-05-01 -EndDate 2025-05-03).Count | Should -Be 3
        (Get-PortalStat $DemoLogin).TokenExchanges - $before | Should -Be 1
    }

    It 'does not log in again before every request when tokens live 30 s (they are renewed 15 s before expiry)' {
        $s = Connect-Egl -Credential (New-Cred 'shortlived@eglwater.test') -BaseUri $PortalUri -PassThru
        $before = (Get-PortalStat 'shortlived@eglwater.test').TokenExchanges
        $verbose = foreach ($i in 1..3) {
            Get-EglConsumption -Session $s -StartDate 2025-05-01 -EndDate 2025-05-03 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        }
        # Three reads within a few seconds of the login: the 30 s token is still good for all of them.
        ($verbose.Message -join "`n") | Should -Not -Match 'expires within'
        (Get-PortalStat 'shortlived@eglwater.test').TokenExchanges - $before | Should -Be 0
        (Get-PortalStat 'shortlived@eglwater.test').Unauthorized | Should -Be 0
    }

    It 'keeps litres the same when the portal answers in litres instead of m3' {
        $l = Connect-Egl -Credential (New-Cred 'litres@eglwater.test') -BaseUri $PortalUri -PassThru
        (Get-EglConsumption -Session $l -StartDate 2025-07-01 -EndDate 2025-07-10).Liters |
            Should -Be (Get-EglConsumption -Session $S -StartDate 2025-07-01 -EndDate 2025-07-10).Liters
    }
}

Describe 'No portal secret in any stream' {
    It 'writes no password, cookie, authorization code, verifier or token anywhere' {
        $out = & {
            $s = Connect-Egl -Credential $DemoCredential -BaseUri $PortalUri -PassThru -Verbose -Debug
            $s; $s.ToString(); $s | Format-List * | Out-String; $s | ConvertTo-Json -Depth 3
            Get-EglSession | Out-String
            Invoke-RestMethod -Method Post "$($Sim.RootUri)_simulator/portal/expire-tokens?login=$DemoLogin" | Out-Null
            Get-EglConsumption -Session $s -StartDate 2025-01-01 -EndDate 2025-02-15 -Granularity Week -Verbose -Debug | ConvertTo-Csv
            try { Get-EglIndex -Session $s -ErrorAction Stop } catch { $_; $_.Exception.ToString() }
            try { Connect-Egl -Credential (New-Cred 'waf@eglwater.test') -BaseUri $PortalUri -Verbose -Debug } catch { $_; $_.Exception.ToString() }
            Disconnect-Egl -Session $s -Verbose
        } *>&1 | Out-String -Width 500
        $out.Length | Should -BeGreaterThan 1000
        $secrets = @(Get-PortalSecrets $DemoLogin) + $DemoPassword
        $secrets.Count | Should -BeGreaterThan 4
        foreach ($secret in $secrets) { $out | Should -Not -Match ([regex]::Escape($secret)) }
    }

    It 'masks the token and the cookie that a careless server echoes in its error page' {
        $s = Connect-Egl -Credential (New-Cred 'echo@eglwater.test') -BaseUri $PortalUri -PassThru
        $secrets = @(Get-PortalSecrets 'echo@eglwater.test')
        $token = $secrets | Where-Object { $_ -like 'eyJ*' } | Select-Object -Last 1
        $token | Should -Not -BeNullOrEmpty
        # The fault fires: the raw answer of the data route holds the bearer token it was sent.
        $raw = Invoke-WebRequest -Uri "$($PortalUri)/rest/produits/contrats/8GYAWlhGtDHS.hhF9/consommationsJournalieres?dateDebut=2025-01-01T00:00:00.000Z&dateFin=2025-01-02T00:00:00.000Z" `
            -Headers @{ entreprise = 'EPGL'; Authorization = "Bearer $token" } -SkipHttpErrorCheck
        $raw.StatusCode | Should -Be 500
        $raw.Content | Should -Match ([regex]::Escape($token))
        # Through the module: the error holds the page's excerpt, with the mask where the secrets were.
        $err = { Get-EglConsumption -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02 -MaximumRetryCount 0 -ErrorAction Stop } | Should -Throw -PassThru
        $text = @($err.Exception.Message, $err.Exception.ToString(), "$($err.ErrorDetails)", ($err | Out-String)) -join "`n"
        $text | Should -Match 'Authorization: Bearer \*\*\*'
        $text | Should -Match 'Cookie: (EGLSESSIONID=)?\*\*\*'
        foreach ($secret in @(Get-PortalSecrets 'echo@eglwater.test') + $DemoPassword) { $text | Should -Not -Match ([regex]::Escape($secret)) }
        Disconnect-Egl -Session $s
    }
}
