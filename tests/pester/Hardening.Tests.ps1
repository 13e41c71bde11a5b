# End-to-end hardening tests: the built module against the simulator's faults.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
    $script:Root = $Sim.RootUri.AbsoluteUri
    $script:MultiLogin = 'multi@eglwater.test'
    $script:MultiSubscriptions = @(3100001, 3100002, 3100003)

    # A second PowerShell in this process, with the module loaded, for Stop() and the progress stream.
    function script:New-Shell {
        $ps = [powershell]::Create()
        $null = $ps.AddScript('param($m) Import-Module $m').AddArgument($ModulePath)
        $null = $ps.Invoke()
        $ps.Commands.Clear()
        $ps
    }
}

AfterAll {
    Disconnect-Egl
    Stop-EglSimulator $Sim
}

Describe 'Resilience against a flaky server' {
    BeforeEach { Reset-Fault $DemoLogin }

    It 'retries 503, 503 then succeeds, writing one verbose line per retry' {
        $s = Connect-Egl -Credential (New-Cred 'flaky@eglwater.test') -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        $all = Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-05 -Verbose 4>&1
        $rows = @($all | Where-Object { $_ -is [EglWater.EglIndexReading] })
        $retries = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Retry *' })
        $rows.Count | Should -Be 5
        $retries.Count | Should -Be 2
        $retries[0].Message | Should -Match '^Retry 1/3 of getAllAgregatsByAbonnement\.aspx in [0-9.]+ s after HTTP 503$'
    }

    It 'waits as long as a 429''s Retry-After says' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        Set-Fault $DemoLogin @{ script = @('429'); retryAfterSeconds = 2 }
        $all = Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02 -Verbose 4>&1
        @($all | Where-Object { $_ -is [EglWater.EglIndexReading] }).Count | Should -Be 2
        @($all | Where-Object { "$_" -like 'Retry 1/3 * in 2.0 s after HTTP 429' }).Count | Should -Be 1
    }

    It 'makes MaximumRetryCount + 1 attempts, then reports the HTTP status' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        Set-Fault $DemoLogin @{ script = @('503', '503', '503') }
        $before = (Get-SimRequest $DemoLogin 'data').Count
        $rows = Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02 -MaximumRetryCount 1 -ErrorAction SilentlyContinue -ErrorVariable ev
        $rows | Should -BeNullOrEmpty
        (Get-SimRequest $DemoLogin 'data').Count - $before | Should -Be 2
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'EglInvalidResponse,*'
        $ev[0].Exception.Message | Should -Match 'HTTP 503'
    }

    It 'gives each attempt -TimeoutSec, then fails with EglTimeout (OperationTimeout)' {
        $s = Connect-Egl -Credential (New-Cred 'hang@eglwater.test') -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        $before = (Get-SimRequest 'hang@eglwater.test' 'data').Count
        # 2 s per attempt: enough for a request to reach the server on a loaded machine, so that the count is exact.
        $err = { Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02 -TimeoutSec 2 -MaximumRetryCount 1 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglTimeout,*'
        $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $err.Exception.Message | Should -Match 'within 2 s \(2 attempt'
        $err.ErrorDetails.RecommendedAction | Should -Match '-TimeoutSec'
        (Get-SimRequest 'hang@eglwater.test' 'data').Count - $before | Should -Be 2
    }

    It 'Connect-Egl honours -TimeoutSec and -MaximumRetryCount too' {
        Set-Fault $DemoLogin @{ script = @('hang', 'hang', 'hang'); scriptRoute = 'connect' }
        $before = (Get-SimRequest $DemoLogin 'connect').Count
        $err = { Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -TimeoutSec 2 -MaximumRetryCount 1 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglTimeout,*'
        (Get-SimRequest $DemoLogin 'connect').Count - $before | Should -Be 2
    }

    It 'by default retries three times (four attempts) and no more' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        # 429 with Retry-After: 0, so that the retries do not wait for the back-off.
        Set-Fault $DemoLogin @{ script = @('429', '429', '429'); retryAfterSeconds = 0 }
        $before = (Get-SimRequest $DemoLogin 'data').Count
        @(Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02).Count | Should -Be 2
        (Get-SimRequest $DemoLogin 'data').Count - $before | Should -Be 4
        Set-Fault $DemoLogin @{ script = @('429', '429', '429', '429', '429'); retryAfterSeconds = 0 }
        $before = (Get-SimRequest $DemoLogin 'data').Count
        { Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02 -ErrorAction Stop } | Should -Throw -ErrorId 'EglInvalidResponse,EglWater.Commands.GetEglIndexCommand'
        (Get-SimRequest $DemoLogin 'data').Count - $before | Should -Be 4
    }

    It 'by default gives an attempt 100 s: a 3 s answer is waited for, and every data cmdlet declares it' {
        foreach ($type in [EglWater.Commands.GetEglIndexCommand], [EglWater.Commands.GetEglConsumptionCommand], [EglWater.Commands.ConnectEglCommand]) {
            $cmdlet = $type::new()
            ($cmdlet.TimeoutSec, $cmdlet.MaximumRetryCount) | Should -Be @(100, 3)
        }
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        Set-Fault $DemoLogin @{ script = @('delay:3000') }
        @(Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02).Count | Should -Be 2
    }

    It 'stops a pipeline hanging on a request at once (Ctrl+C)' {
        $ps = New-Shell
        try {
            $before = (Get-SimRequest 'hang@eglwater.test' 'data').Count
            $null = $ps.AddScript('param($c, $k, $u) Connect-Egl -Credential $c -AuthKey $k -BaseUri $u; Get-EglIndex -StartDate 2025-01-01 -EndDate 2025-01-05').
                AddArgument((New-Cred 'hang@eglwater.test')).AddArgument($DemoAuthKey).AddArgument($Sim.BaseUri)
            $async = $ps.BeginInvoke()
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while ((Get-SimRequest 'hang@eglwater.test' 'data').Count -eq $before -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            (Get-SimRequest 'hang@eglwater.test' 'data').Count | Should -BeGreaterThan $before
            Start-Sleep -Milliseconds 200
            $ps.InvocationStateInfo.State | Should -Be 'Running'
            # The server would hang for 60 s; Stop comes back within a second or so. The bound is a margin a
            # loaded 2-core machine keeps (20 s), still far below the hang that Stop must not wait for.
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $sw.Stop()
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 20
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $async.IsCompleted | Should -BeTrue
        } finally { $ps.Dispose() }
    }
}

Describe 'Token expiry' {
    BeforeEach { Reset-Fault $DemoLogin }

    It 'logs in again once when the token has expired, and the data comes' {
        $login = 'expiring@eglwater.test'   # a token serves one request
        $s = Connect-Egl -Credential (New-Cred $login) -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        $first = (Get-SimToken $login).Count
        (Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-03).Count | Should -Be 3
        $v = Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-03 -Verbose 4>&1
        @($v | Where-Object { $_ -is [EglWater.EglIndexReading] }).Count | Should -Be 3
        @($v | Where-Object { "$_" -like '*logging in again once*' }).Count | Should -Be 1
        (Get-SimToken $login).Count - $first | Should -Be 1
    }

    It 'fails with EglApiError (InvalidResult), the code and the text, when the retry is refused too' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        Set-Fault $DemoLogin @{ script = @('code300', 'code300') }
        $err = { Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglApiError,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidResult'
        $err.Exception.Message | Should -Match 'codeRetour 300: Jeton invalide ou expiré'
    }

    It 'renews an expired token once for all the chunks of a long range fetched in parallel' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        Invoke-Expire $DemoLogin
        $before = (Get-SimToken $DemoLogin).Count
        $r = Get-EglIndex -Session $s -StartDate 2022-11-01 -EndDate 2026-03-14
        # Every published row comes back (the demo data has a gap and a duplicated day: count the truth).
        $r.Count | Should -Be @(Get-SimulatorRows $Sim).Count
        (Get-SimToken $DemoLogin).Count - $before | Should -Be 1
    }
}

Describe 'Transport' {
    BeforeEach { Reset-Fault $DemoLogin }

    It 'decodes an ISO-8859-1 server (Clé, not ClÃ©) and reads its data' {
        $err = { Connect-Egl -Credential (New-Cred 'latin1@eglwater.test') -AuthKey 'wrong-key' -BaseUri $Sim.BaseUri } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match "Clé d'authentification invalide"
        $s = Connect-Egl -Credential (New-Cred 'latin1@eglwater.test') -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        (Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-10).Count | Should -Be 10
    }

    It 'reports an HTML page (status <status>) as EglInvalidResponse naming route, status and type' -TestCases @(
        @{ step = 'html200'; status = 200 }, @{ step = 'html500'; status = 500 }
    ) {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        Set-Fault $DemoLogin @{ script = @($step, $step) }
        $null = Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02 -MaximumRetryCount 1 -ErrorAction SilentlyContinue -ErrorVariable ev
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'EglInvalidResponse,*'
        $ev[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $m = $ev[0].Exception.Message
        $m | Should -Match 'getAllAgregatsByAbonnement\.aspx'
        $m | Should -Match "HTTP $status"
        $m | Should -Match 'text/html'
        $m | Should -Match 'Erreur du serveur'
        $m | Should -Not -Match '<'
    }

    It 'reports a truncated answer as EglInvalidResponse' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        Set-Fault $DemoLogin @{ script = @('truncate') }
        $err = { Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglInvalidResponse,*'
        $err.Exception.Message | Should -Match 'truncated or malformed JSON'
    }

    It 'sends User-Agent EglWater/(module version) on every request' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        $null = Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02
        $version = (Get-Module EglWater).Version.ToString(3)
        $agents = (Get-SimRequest $DemoLogin).userAgent | Sort-Object -Unique
        $agents | Should -Be "EglWater/$version"
    }

    It 'reaches {base}/connect.asp with or without a trailing slash' -TestCases @(@{ suffix = '' }, @{ suffix = '/' }) {
        $uri = $Sim.BaseUri.AbsoluteUri.TrimEnd('/') + $suffix
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $uri -PassThru
        $s.BaseUri.AbsolutePath | Should -Be '/ws/'
        (Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02).Count | Should -Be 2
    }

    It 'reaches a deeper path prefix' {
        $deep = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15', '--prefix', '/api/eau/ws'
        try {
            $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $deep.BaseUri -PassThru
            $s.BaseUri.AbsolutePath | Should -Be '/api/eau/ws/'
            (Get-EglIndex -Session $s -StartDate 2025-01-01 -EndDate 2025-01-02).Count | Should -Be 2
        } finally { Stop-EglSimulator $deep }
    }
}

Describe 'Bad parameters fail before any request' {
    It 'refuses a relative -BaseUri (<uri>) with EglInvalidBaseUri' -TestCases @(@{ uri = 'ws' }, @{ uri = '/ws' }, @{ uri = 'agence.eaudugrandlyon.com/ws' }) {
        $before = (Get-SimRequest $DemoLogin).Count
        $err = { Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $uri } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglInvalidBaseUri,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-SimRequest $DemoLogin).Count | Should -Be $before
    }

    It 'refuses http:// to a host other than loopback unless -AllowUnencryptedAuthentication' {
        $err = { Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri 'http://eglwater.invalid/ws' } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglUnencryptedAuthentication,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        # With the switch it goes on to the network (.invalid never resolves): a network failure, not a refusal.
        # Which one depends on the machine's resolver (an answer at once, or none within the time-out): both are fine.
        $err = { Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri 'http://eglwater.invalid/ws' -AllowUnencryptedAuthentication -MaximumRetryCount 0 -TimeoutSec 10 } | Should -Throw -PassThru
        ($err.FullyQualifiedErrorId -split ',')[0] | Should -BeIn 'EglConnectionFailed', 'EglTimeout'
        $err.CategoryInfo.Category | Should -BeIn 'ConnectionError', 'OperationTimeout'
    }

    It 'refuses http:// in the portal parameter set too, and lets http://localhost and http://[::1] through' {
        $err = { Connect-Egl -Credential $DemoCredential -BaseUri 'http://eglwater.invalid/application' } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglUnencryptedAuthentication,*'
        $err.Exception.Message | Should -Match 'the password unencrypted'
        $err.Exception.Message | Should -Not -Match 'AuthKey'
        # localhost is the loopback: it connects (the simulator listens on 127.0.0.1).
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri "http://localhost:$($Sim.BaseUri.Port)/ws" -PassThru
        $s.BaseUri.Host | Should -Be 'localhost'
        # [::1] is the loopback too: not refused; nothing listens there, so the failure is the network's.
        $err = { Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri "http://[::1]:$($Sim.BaseUri.Port)/ws" -MaximumRetryCount 0 -TimeoutSec 10 } | Should -Throw -PassThru
        ($err.FullyQualifiedErrorId -split ',')[0] | Should -BeIn 'EglConnectionFailed', 'EglTimeout'
    }

    It 'refuses -StartDate after -EndDate and an unknown -SubscriptionNumber without a request' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        $before = (Get-SimRequest $DemoLogin 'data').Count
        $err = { Get-EglIndex -Session $s -StartDate 2025-06-10 -EndDate 2025-06-01 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglInvalidDateRange,*'
        $err = { Get-EglIndex -Session $s -SubscriptionNumber $DemoSubscription, 42 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglUnknownSubscription,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match '42'
        $err = { Get-EglConsumption -Session $s -SubscriptionNumber 42 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglUnknownSubscription,*'
        (Get-SimRequest $DemoLogin 'data').Count | Should -Be $before
    }

    It 'refuses a session closed by Disconnect-Egl with EglNotConnected' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        Disconnect-Egl -Session $s
        $err = { Get-EglIndex -Session $s } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'EglNotConnected,*'
        $err.Exception.Message | Should -Match 'Connect-Egl'
    }
}

Describe 'Several subscriptions' {
    BeforeAll {
        $script:Multi = Connect-Egl -Credential (New-Cred $MultiLogin) -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
    }
    BeforeEach { Reset-Fault $MultiLogin; Reset-Fault $DemoLogin }

    It 'lists every subscription of the login; the main one is the default' {
        $Multi.Subscriptions | Should -Be $MultiSubscriptions
        $Multi.SubscriptionNumber | Should -Be 3100001
        $r = Get-EglIndex -Session $Multi -StartDate 2025-01-01 -EndDate 2025-01-03
        $r.SubscriptionNumber | Sort-Object -Unique | Should -Be 3100001
    }

    It 'reads the ones given to -SubscriptionNumber, each with its own data' {
        $r = Get-EglIndex -Session $Multi -StartDate 2025-01-01 -EndDate 2025-01-03 -SubscriptionNumber 3100002, 3100003
        $r.Count | Should -Be 6
        foreach ($n in 3100002, 3100003) {
            $truth = @(Get-SimulatorRows $Sim -Login $MultiLogin -Subscription $n | Where-Object { ([datetime]$_.Day) -ge [datetime]'2025-01-01' -and ([datetime]$_.Day) -le [datetime]'2025-01-03' })
            ($r | Where-Object SubscriptionNumber -EQ $n).Index | Should -Be $truth.Index
        }
    }

    It 'computes Get-EglConsumption online for several subscriptions, each from its own readings' {
        $rows = @(Get-EglConsumption -Session $Multi -StartDate 2025-03-01 -EndDate 2025-03-10 -SubscriptionNumber 3100003, 3100001)
        $rows.Count | Should -Be 20
        # Per subscription, in the order given, each in date order.
        ($rows.SubscriptionNumber | Select-Object -Unique) | Should -Be @(3100003, 3100001)
        foreach ($n in 3100001, 3100003) {
            $truth = @{}
            foreach ($t in Get-SimulatorRows $Sim -Login $MultiLogin -Subscription $n) { $truth[([datetime]$t.Day).ToString('yyyy-MM-dd')] = [long]$t.Index }
            foreach ($r in $rows | Where-Object SubscriptionNumber -EQ $n) {
                $r.Liters | Should -Be ($truth[$r.Date.ToString('yyyy-MM-dd')] - $truth[$r.Date.AddDays(-1).ToString('yyyy-MM-dd')])
            }
        }
        $months = @(Get-EglConsumption -Session $Multi -StartDate 2025-03-01 -EndDate 2025-03-31 -SubscriptionNumber $MultiSubscriptions -Granularity Month)
        $months.Count | Should -Be 3
        @($months.Liters | Select-Object -Unique).Count | Should -Be 3
    }

    It 'takes -SubscriptionNumber from the pipeline by property name' {
        $r = $Multi.Subscriptions | ForEach-Object { [pscustomobject]@{ SubscriptionNumber = $_ } } |
            Get-EglIndex -Session $Multi -StartDate 2025-01-01 -EndDate 2025-01-02
        $r.Count | Should -Be 6
        ($r.SubscriptionNumber | Sort-Object -Unique) | Should -Be $MultiSubscriptions
    }

    It 'writes a failed subscription as a non-terminating error and still emits the others' {
        Set-Fault $MultiLogin @{ rules = @(@{ subscription = 3100002; step = 'html500' }) }
        $r = Get-EglIndex -Session $Multi -StartDate 2025-01-01 -EndDate 2025-01-02 -SubscriptionNumber $MultiSubscriptions -MaximumRetryCount 0 -ErrorAction SilentlyContinue -ErrorVariable ev
        ($r.SubscriptionNumber | Sort-Object -Unique) | Should -Be @(3100001, 3100003)
        $r.Count | Should -Be 4
        $ev.Count | Should -Be 1
        $ev[0].TargetObject | Should -Be 3100002
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'EglInvalidResponse,*'
        { Get-EglIndex -Session $Multi -StartDate 2025-01-01 -EndDate 2025-01-02 -SubscriptionNumber $MultiSubscriptions -MaximumRetryCount 0 -ErrorAction Stop } | Should -Throw -ErrorId 'EglInvalidResponse,EglWater.Commands.GetEglIndexCommand'
    }

    It 'writes a failed chunk as a non-terminating error and still emits the other chunks in date order' {
        $s = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        # Chunks: the calendar years 2023, 2024 and 2025; the middle one fails.
        Set-Fault $DemoLogin @{ rules = @(@{ fromOnOrAfter = '2024-01-01'; fromBefore = '2024-06-01'; step = 'html500' }) }
        $r = Get-EglIndex -Session $s -StartDate 2023-01-01 -EndDate 2025-12-31 -MaximumRetryCount 0 -ErrorAction SilentlyContinue -ErrorVariable ev
        $ev.Count | Should -Be 1
        $ev[0].ErrorDetails.Message | Should -Match 'The days 2024-01-01\.\.2024-12-31 of subscription 1895683 were not read\.'
        $r.Count | Should -Be (365 + 365)
        $r[0].Date | Should -Be ([datetime]'2023-01-01')
        $r[364].Date | Should -Be ([datetime]'2023-12-31')
        $r[365].Date | Should -Be ([datetime]'2025-01-01')
        $dates = $r.Date
        for ($i = 1; $i -lt $dates.Count; $i++) { if ($dates[$i] -le $dates[$i - 1]) { throw "not in date order at $i" } }
        { Get-EglIndex -Session $s -StartDate 2023-01-01 -EndDate 2025-12-31 -MaximumRetryCount 0 -ErrorAction Stop } | Should -Throw -ErrorId 'EglInvalidResponse,EglWater.Commands.GetEglIndexCommand'
    }

    It 'shares one session safely with ForEach-Object -Parallel (-Session $using:s)' {
        Invoke-Expire $MultiLogin
        $before = (Get-SimToken $MultiLogin).Count
        $s = $Multi
        $m = $ModulePath
        $results = 1..8 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:m
            $n = @(3100001, 3100002, 3100003)[$_ % 3]
            $r = Get-EglIndex -Session $using:s -StartDate 2024-01-01 -EndDate 2024-03-31 -SubscriptionNumber $n
            [pscustomobject]@{ Count = $r.Count; Subs = @($r.SubscriptionNumber | Sort-Object -Unique); Wanted = $n }
        }
        $results.Count | Should -Be 8
        foreach ($x in $results) { $x.Count | Should -Be 91; $x.Subs | Should -Be $x.Wanted }
        (Get-SimToken $MultiLogin).Count - $before | Should -Be 1
    }
}

Describe 'Long ranges: streaming and progress' {
    BeforeEach { Reset-Fault $DemoLogin }

    It 'writes the first chunk while a later one is still running (streaming)' {
        Set-Fault $DemoLogin @{ rules = @(@{ fromOnOrAfter = '2024-01-01'; step = 'hang' }) }
        $ps = New-Shell
        try {
            $null = $ps.AddScript('param($c, $k, $u) Connect-Egl -Credential $c -AuthKey $k -BaseUri $u; Get-EglIndex -StartDate 2023-01-01 -EndDate 2024-12-30').
                AddArgument($DemoCredential).AddArgument($DemoAuthKey).AddArgument($Sim.BaseUri)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while ($output.Count -lt 365 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $output.Count | Should -Be 365
            $ps.InvocationStateInfo.State | Should -Be 'Running'
            $output[0].Date | Should -Be ([datetime]'2023-01-01')
            $ps.Stop()
            $async.IsCompleted | Should -BeTrue
        } finally { $ps.Dispose() }
    }

    It 'reports progress under one activity, completed at the end, for a multi-chunk range only' {
        $ps = New-Shell
        try {
            $null = $ps.AddScript('param($c, $k, $u) Connect-Egl -Credential $c -AuthKey $k -BaseUri $u; Get-EglIndex -StartDate 2022-11-01 -EndDate 2026-03-14 | Measure-Object | ForEach-Object Count').
                AddArgument($DemoCredential).AddArgument($DemoAuthKey).AddArgument($Sim.BaseUri)
            $count = $ps.Invoke()
            $count[0] | Should -Be @(Get-SimulatorRows $Sim).Count
            $p = @($ps.Streams.Progress)
            $p.Count | Should -BeGreaterThan 1
            @($p.ActivityId | Sort-Object -Unique).Count | Should -Be 1
            $p[-1].RecordType | Should -Be 'Completed'
            @($p | Where-Object RecordType -EQ 'Completed').Count | Should -Be 1

            $ps.Commands.Clear(); $ps.Streams.ClearStreams()
            $null = $ps.AddScript('Get-EglIndex -StartDate 2025-01-01 -EndDate 2025-03-01 | Measure-Object | ForEach-Object Count')
            $ps.Invoke()[0] | Should -Be 60
            $ps.Streams.Progress.Count | Should -Be 0
        } finally { $ps.Dispose() }
    }
}

Describe 'No secret in any stream, error, display or export' {
    It 'runs every cmdlet with -Verbose -Debug, through faults, and finds no password, AuthKey or token' {
        $key = $DemoAuthKey
        $cred = $DemoCredential
        $flaky = New-Cred 'flaky@eglwater.test'
        $captured = [System.Collections.Generic.List[object]]::new()
        $texts = [System.Collections.Generic.List[string]]::new()
        $ErrorActionPreference = 'Continue'

        # A refused login, with its message.
        $wrong = New-Cred $DemoLogin 'not-the-right-one'
        $captured.AddRange(@(& { try { Connect-Egl -Credential $wrong -AuthKey $key -BaseUri $Sim.BaseUri -Verbose -Debug } catch { $_ } } *>&1))
        # A server that echoes the login form and the AuthKey header in its error page: first prove it does
        # (the raw answer holds the password and the AuthKey), so the scan below is not a scan of nothing.
        Set-Fault $DemoLogin @{ script = @('echo500'); scriptRoute = 'connect' }
        $raw = Invoke-WebRequest -Method Post -Uri "$($Sim.BaseUri)/connect.asp" -Headers @{ AuthKey = $key } -Body @{ login = $DemoLogin; pass = $DemoPassword } -SkipHttpErrorCheck
        $raw.StatusCode | Should -Be 500
        $raw.Content | Should -Match ([regex]::Escape($DemoPassword))
        $raw.Content | Should -Match ([regex]::Escape($key))
        Set-Fault $DemoLogin @{ script = @('echo500', 'echo500'); scriptRoute = 'connect' }
        $captured.AddRange(@(& { try { Connect-Egl -Credential $cred -AuthKey $key -BaseUri $Sim.BaseUri -MaximumRetryCount 1 -Verbose -Debug } catch { $_ } } *>&1))
        Reset-Fault $DemoLogin

        $captured.AddRange(@(& { Connect-Egl -Credential $cred -AuthKey $key -BaseUri $Sim.BaseUri -PassThru -Verbose -Debug } *>&1))
        $captured.AddRange(@(& { Get-EglSession -Verbose -Debug } *>&1))
        # Retries, then an expired token renewed, then pages that echo the token.
        $captured.AddRange(@(& { Get-EglIndex -StartDate 2025-01-01 -EndDate 2025-01-05 -Verbose -Debug } *>&1))
        Invoke-Expire $DemoLogin
        $captured.AddRange(@(& { Get-EglConsumption -StartDate 2023-01-01 -EndDate 2025-01-05 -Verbose -Debug } *>&1))
        Set-Fault $DemoLogin @{ script = @('echo500', 'echo500', 'code300', 'code300') }
        $captured.AddRange(@(& { Get-EglIndex -StartDate 2025-01-01 -EndDate 2025-01-05 -MaximumRetryCount 1 -Verbose -Debug -ErrorAction Continue } *>&1))
        $captured.AddRange(@(& { Get-EglConsumption -StartDate 2025-01-01 -EndDate 2025-01-05 -Verbose -Debug -ErrorAction Continue } *>&1))
        Reset-Fault $DemoLogin
        $s2 = Connect-Egl -Credential $flaky -AuthKey $key -BaseUri $Sim.BaseUri -PassThru -Verbose -Debug *>&1
        $captured.AddRange(@($s2))
        $captured.AddRange(@(& { Get-EglIndex -Session ($s2 | Where-Object { $_ -is [EglWater.EglSession] }) -StartDate 2025-01-01 -EndDate 2025-01-02 -Verbose -Debug } *>&1))
        $session = Get-EglSession
        $captured.AddRange(@(& { Disconnect-Egl -Verbose -Debug } *>&1))
        $captured.AddRange(@(& { try { Get-EglIndex -Session $session -Verbose -Debug } catch { $_ } } *>&1))

        # Progress records, from a shell of their own.
        $ps = New-Shell
        try {
            $null = $ps.AddScript('param($c, $k, $u) Connect-Egl -Credential $c -AuthKey $k -BaseUri $u; $null = Get-EglIndex -StartDate 2022-11-01 -EndDate 2026-03-14').
                AddArgument($cred).AddArgument($key).AddArgument($Sim.BaseUri)
            $null = $ps.Invoke()
            foreach ($p in $ps.Streams.Progress) { $texts.Add("$($p.Activity) $($p.StatusDescription) $($p.CurrentOperation)") }
        } finally { $ps.Dispose() }

        $captured.Count | Should -BeGreaterThan 20
        @($captured | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 5
        @($captured | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 3
        @($captured | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -BeGreaterThan 3

        foreach ($item in @($captured) + @($session)) {
            $texts.Add("$item")
            $texts.Add(($item | Out-String))
            $texts.Add(($item | Format-List * -Force | Out-String))
            if ($item -is [System.Management.Automation.ErrorRecord]) {
                $texts.Add($item.Exception.ToString())
                $texts.Add("$($item.ErrorDetails) $($item.TargetObject) $($item.CategoryInfo)")
                for ($e = $item.Exception; $e; $e = $e.InnerException) { $texts.Add($e.Message) }
            } elseif ($item -isnot [string]) {
                $texts.Add(($item | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue))
            }
        }
        $csv = Join-Path $TestDrive 'export.csv'
        @($session) + @($captured | Where-Object { $_ -is [EglWater.EglSession] -or $_ -is [EglWater.EglIndexReading] -or $_ -is [EglWater.EglConsumption] }) |
            ForEach-Object { $_ | Export-Csv -Path $csv -Append -Force -NoTypeInformation }
        $texts.Add((Get-Content -Raw $csv))
        $texts.Add($session.ToString())
        $texts.Add(($session | ConvertTo-Json -Depth 5))
        $texts.Add(($Error | ForEach-Object { "$_ $($_.Exception)" }) -join "`n")

        # The echoed pages reached the errors masked: the mask is there, where the secrets were.
        $echoed = @($captured | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and "$($_.Exception.Message)" -match 'Erreur du serveur' })
        $echoed.Count | Should -BeGreaterThan 0
        ($echoed.Exception.Message -join "`n") | Should -Match ([regex]::Escape('***'))
        $secrets = @($DemoPassword, $DemoAuthKey, [uri]::EscapeDataString($DemoPassword)) + (Get-SimToken $DemoLogin) + (Get-SimToken 'flaky@eglwater.test')
        (Get-SimToken $DemoLogin).Count | Should -BeGreaterThan 2
        $all = $texts -join "`n"
        $all.Length | Should -BeGreaterThan 10000
        foreach ($secret in $secrets) {
            $at = $all.IndexOf($secret, [StringComparison]::OrdinalIgnoreCase)
            if ($at -ge 0) { Write-Host "LEAK: ...$($all.Substring([Math]::Max(0, $at - 300), [Math]::Min(400, $all.Length - [Math]::Max(0, $at - 300))))..." }
            $all.Contains($secret, [StringComparison]::OrdinalIgnoreCase) | Should -BeFalse -Because "'$($secret.Substring(0, 4))…' must not appear"
        }
        # The search itself works: the login name, which is not a secret, is there.
        $all | Should -Match ([regex]::Escape($DemoLogin))
    }
}
