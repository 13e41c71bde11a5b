# The PostgreSQL store against a real server (the throw-away cluster build.ps1 starts) and the simulator: the same
# rows as the SQLite store and as online, the password kept out of everything, fleets synced in parallel, two
# workers at once, a worker killed and resumed, a server that goes away mid-sync, a newer schema refused.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'FreshProcess.ps1')
    Import-Module (Join-Path $PSScriptRoot '../../tools/EglPostgres.psm1') -Force
    $script:Cluster = Get-EglPostgresFromEnvironment
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
    $script:Root = $Sim.RootUri
    Set-EglClock '2026-03-15T08:00:00Z'
    $script:Db = $Cluster.ConnectionString   # no password in it
    $script:DbCredential = [pscredential]::new($Cluster.UserName, (ConvertTo-SecureString $Cluster.Password -AsPlainText -Force))
    $script:Partner = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
    $script:FleetLogin = 'fleet@eglwater.test'
    $script:Fleet = Connect-Egl -Credential (New-Cred $FleetLogin) -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
    $script:FleetSubs = @($Fleet.Subscriptions)

    function script:Sql([string] $Query) { @(Invoke-EglPsql -Cluster $Cluster -Sql $Query) }
    function script:Reset-Database {
        $null = Invoke-EglPsql -Cluster $Cluster -Sql 'DROP TABLE IF EXISTS egl_revisions, egl_days, egl_subscriptions, egl_schema'
    }
    function script:Rows([object[]] $Objects) { $Objects | ConvertTo-Json -Compress -Depth 3 }
    # Days each subscription should hold after a full sync: what the simulator publishes for it.
    function script:Get-PublishedDayCount([long] $Subscription, [string] $Login = $FleetLogin, [string] $From = '0001-01-01', [string] $To = '9999-12-31') {
        @(Get-SimulatorRows $Sim -Login $Login -Subscription $Subscription | ForEach-Object { ([string]$_.day).Substring(0, 10) } |
                Where-Object { $_ -ge $From -and $_ -le $To } | Sort-Object -Unique).Count
    }
    # Each stored subscription holds every published day from its history start to its last day: whole requests
    # only (a request half-written would leave a hole, or miss the oldest days of the oldest request).
    function script:Assert-WholeRequests {
        foreach ($row in Sql "SELECT s.subscription_number AS s, to_char(s.history_start, 'YYYY-MM-DD') AS f, to_char(max(d.day), 'YYYY-MM-DD') AS t, count(*) AS n FROM egl_subscriptions s JOIN egl_days d USING (subscription_number) GROUP BY s.subscription_number, s.history_start") {
            $row.f | Should -Not -BeNullOrEmpty -Because "subscription $($row.s) has days, so a request was written with its start"
            [int]$row.n | Should -Be (Get-PublishedDayCount $row.s -From $row.f -To $row.t) -Because "subscription $($row.s) from $($row.f) to $($row.t)"
        }
    }
    # The fleet sync a worker runs, in a fresh pwsh, the password from PGPASSWORD only.
    $script:WorkerScript = {
        param($Module, $Uri, $Db, $Subs, $Throttle)
        $ErrorActionPreference = 'Stop'
        Import-Module $Module
        $instant = [DateTimeOffset]::Parse('2026-03-15T08:00:00Z', [cultureinfo]::InvariantCulture)
        [EglWater.Commands.EglDataCmdlet].GetField('UtcNow', [Reflection.BindingFlags]'NonPublic, Static').SetValue($null, [Func[DateTimeOffset]] { $instant }.GetNewClosure())
        $null = Connect-Egl -Credential ([pscredential]::new('fleet@eglwater.test', (ConvertTo-SecureString 'demo-password' -AsPlainText -Force))) -AuthKey (ConvertTo-SecureString 'demo-auth-key' -AsPlainText -Force) -BaseUri $Uri
        $subscriptions = [long[]]($Subs -split ',')
        Sync-EglHistory -ConnectionString $Db -SubscriptionNumber $subscriptions -ThrottleLimit $Throttle -Verbose -ErrorAction Continue 4>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.VerboseRecord]) { if ($_.Message -match 'skipped') { "SKIPPED $($_.Message)" } }
            else { "DONE $($_.SubscriptionNumber) $($_.DaysAdded)" }
        }
    }
    $script:WorkerEnvironment = @{ PGPASSWORD = $Cluster.Password }
}

AfterAll {
    Reset-EglClock
    Reset-Fault $FleetLogin
    $Sim | Stop-EglSimulator
}

Describe 'Sync-EglHistory -ConnectionString: the store in PostgreSQL' {
    BeforeAll {
        Reset-Database
        $script:SqliteStore = Join-Path $TestDrive 'same.db'
        $script:Sqlite = Sync-EglHistory -Path $SqliteStore -Session $Partner
        $before = (Get-SimRequest $DemoLogin 'data').Count
        $script:Result = Sync-EglHistory -ConnectionString $Db -DatabaseCredential $DbCredential -Session $Partner
        $script:Sent = (Get-SimRequest $DemoLogin 'data').Count - $before
    }

    It 'creates the schema and stores what the SQLite store stores, with the same requests' {
        $Result.Path | Should -Be $Db
        $Result.DaysAdded | Should -Be $Sqlite.DaysAdded
        ($Result.FirstDay, $Result.LastDay, $Result.HistoryComplete) | Should -Be ($Sqlite.FirstDay, $Sqlite.LastDay, $true)
        $Sent | Should -Be 6
        (Sql "SELECT value FROM egl_schema WHERE name = 'version'").value | Should -Be '1'
        (Sql 'SELECT count(*) AS n FROM egl_days').n | Should -Be (Invoke-EglSqlite $SqliteStore 'SELECT count(*) AS n FROM egl_days').n
        $pg = (Sql "SELECT string_agg(day::text || ':' || raw_type || ':' || coalesce(index_liters::text, '-'), ',' ORDER BY day, seq) AS a FROM egl_days").a
        $lite = (Invoke-EglSqlite $SqliteStore "SELECT group_concat(day || ':' || raw_type || ':' || coalesce(CAST(CAST(index_liters AS INTEGER) AS TEXT), '-'), ',') AS a FROM (SELECT * FROM egl_days ORDER BY day, seq)").a
        $pg | Should -Be $lite
    }

    It 'gives the same rows as the SQLite store and as online, for <G>' -ForEach @(@{ G = 'Day' }, @{ G = 'Month' }) {
        $range = @{ StartDate = [datetime]'2024-06-01'; EndDate = [datetime]'2024-12-31'; Granularity = $G; WarningAction = 'SilentlyContinue' }
        $online = Rows (Get-EglConsumption -Session $Partner @range)
        Rows (Get-EglConsumption -ConnectionString $Db -DatabaseCredential $DbCredential @range) | Should -Be $online
        Rows (Get-EglConsumption -HistoryPath $SqliteStore @range) | Should -Be $online
    }

    It 'is up to date with one data request the next time, and Find-EglLeak, Measure-EglCost and Export-EglReport read it' {
        $before = (Get-SimRequest $DemoLogin 'data').Count
        (Sync-EglHistory -ConnectionString $Db -DatabaseCredential $DbCredential -Session $Partner).DaysAdded | Should -Be 0
        (Get-SimRequest $DemoLogin 'data').Count - $before | Should -Be 1
        Rows (Measure-EglCost -ConnectionString $Db -DatabaseCredential $DbCredential -MeterDiameter 15) | Should -Be (Rows (Measure-EglCost -HistoryPath $SqliteStore -MeterDiameter 15))
        Find-EglLeak -ConnectionString $Db -DatabaseCredential $DbCredential | Should -BeNullOrEmpty
        $page = Join-Path $TestDrive 'pg.html'
        $null = Export-EglReport -ConnectionString $Db -DatabaseCredential $DbCredential -Path $page -WarningAction SilentlyContinue
        (Get-Content $page -Raw) | Should -Match ([regex]::Escape("history store $Db"))
    }

    It 'refuses a database whose schema is newer, and leaves it as it is' {
        $null = Sql "UPDATE egl_schema SET value = '99' WHERE name = 'version'"
        try {
            { Sync-EglHistory -ConnectionString $Db -DatabaseCredential $DbCredential -Session $Partner } | Should -Throw -ErrorId 'EglHistoryVersion,EglWater.Commands.SyncEglHistoryCommand'
            { Get-EglIndex -ConnectionString $Db -DatabaseCredential $DbCredential } | Should -Throw -ErrorId 'EglHistoryVersion,EglWater.Commands.GetEglIndexCommand'
            (Sql "SELECT value FROM egl_schema WHERE name = 'version'").value | Should -Be '99'
        } finally { $null = Sql "UPDATE egl_schema SET value = '1' WHERE name = 'version'" }
    }
}

Describe 'A database that holds what the module does not know' {
    It 'refuses an unknown reading type with EglHistoryInvalid, and changes nothing' {
        Reset-Database
        $null = Sync-EglHistory -ConnectionString $Db -DatabaseCredential $DbCredential -Session $Partner -StartDate 2026-03-01
        $null = Sql "UPDATE egl_days SET reading_type = 'Bogus' WHERE day = '2026-03-05'"
        $before = (Sql "SELECT md5(string_agg(day::text || reading_type, ',' ORDER BY day, seq)) AS h FROM egl_days").h
        # The request (here: the store's read of a year) that met it fails, as a failed request does online.
        $rows = @(Get-EglIndex -ConnectionString $Db -DatabaseCredential $DbCredential -StartDate 2026-03-01 -EndDate 2026-03-10 -ErrorVariable bad -ErrorAction SilentlyContinue)
        $rows | Should -BeNullOrEmpty
        $bad | Should -HaveCount 1
        $bad[0].FullyQualifiedErrorId | Should -Be 'EglHistoryInvalid,EglWater.Commands.GetEglIndexCommand'
        $bad[0].Exception.Message | Should -BeLike "*reading type*'Bogus'*"
        (Sql "SELECT md5(string_agg(day::text || reading_type, ',' ORDER BY day, seq)) AS h FROM egl_days").h | Should -Be $before
    }
}

Describe 'Connections' {
    BeforeEach { Reset-Database }

    It 'a pool smaller than -ThrottleLimit still syncs every subscription, each sync longer than the pool time-out (the locks have a pool of their own)' {
        $subs = $FleetSubs[50..55]
        # Each sync holds its lock's connection about 3 s (two requests of 1.5 s), longer than Timeout=2: a lock
        # that waited for a connection of a pool of 2 would fail.
        Set-Fault $FleetLogin @{ latencyMs = 1500 }
        try {
            $r = @(Sync-EglHistory -ConnectionString "$Db;Maximum Pool Size=2;Timeout=2" -DatabaseCredential $DbCredential -Session $Fleet -SubscriptionNumber $subs -ThrottleLimit 4 -StartDate 2026-01-01)
        } finally { Reset-Fault $FleetLogin }
        $r | Should -HaveCount 6
        foreach ($s in $subs) { [int](Sql "SELECT count(*) AS n FROM egl_days WHERE subscription_number = $s").n | Should -Be (Get-PublishedDayCount $s -From '2025-12-31') }   # -StartDate reads the day before too
    }

    It 'a connection string that asks for multiplexing still works (the store turns it off)' {
        $r = @(Sync-EglHistory -ConnectionString "$Db;Multiplexing=true" -DatabaseCredential $DbCredential -Session $Fleet -SubscriptionNumber $FleetSubs[63] -StartDate 2026-03-01)
        $r | Should -HaveCount 1
        @(Get-EglIndex -ConnectionString "$Db;Multiplexing=true" -DatabaseCredential $DbCredential -SubscriptionNumber $FleetSubs[63] -StartDate 2026-03-01).Count | Should -Be (Get-PublishedDayCount $FleetSubs[63] -From '2026-03-01')
    }

    It 'a server out of connections is EglHistoryUnavailable (not a login or rights problem), and stops the sync' {
        $role = 'egl_limited'
        $null = Invoke-EglPsql -Cluster $Cluster -Admin -Sql "DROP ROLE IF EXISTS $role; CREATE ROLE $role LOGIN PASSWORD 'limited-pw' CONNECTION LIMIT 1"
        try {
            $null = Sync-EglHistory -ConnectionString $Db -DatabaseCredential $DbCredential -Session $Fleet -SubscriptionNumber $FleetSubs[56] -StartDate 2026-03-01
            $null = Invoke-EglPsql -Cluster $Cluster -Admin -Database $Cluster.Database -Sql "GRANT ALL ON ALL TABLES IN SCHEMA public TO $role; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO $role"
            $limited = [pscredential]::new($role, (ConvertTo-SecureString 'limited-pw' -AsPlainText -Force))
            $before = (Get-SimRequest $FleetLogin 'data').Count
            try { Sync-EglHistory -ConnectionString $Db -DatabaseCredential $limited -Session $Fleet -SubscriptionNumber $FleetSubs[57..62] -StartDate 2026-03-01 -ThrottleLimit 2 } catch { $e = $_ }
            $e.FullyQualifiedErrorId | Should -Be 'EglHistoryUnavailable,EglWater.Commands.SyncEglHistoryCommand'
            $e.Exception.Message | Should -Match '53300'
            # Stopped at the first: not one failure per subscription, each after its own attempts.
            (Get-SimRequest $FleetLogin 'data').Count - $before | Should -BeLessOrEqual 4
        } finally {
            $null = Invoke-EglPsql -Cluster $Cluster -Admin -Database $Cluster.Database -Sql "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM $role; REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM $role"
            $null = Invoke-EglPsql -Cluster $Cluster -Admin -Sql "DROP ROLE IF EXISTS $role"
        }
    }
}

Describe 'The database password' {
    BeforeEach { Reset-Database }

    It 'is taken from <How>, and never shown' -ForEach @(
        @{ How = 'DatabaseCredential' }
        @{ How = 'PGPASSWORD' }
        @{ How = 'Password= in the connection string' }
    ) {
        $p = @{ StartDate = [datetime]'2026-03-01' }
        switch ($How) {
            'DatabaseCredential' { $p.ConnectionString = $Db; $p.DatabaseCredential = $DbCredential }
            'PGPASSWORD' { $p.ConnectionString = $Db; $env:PGPASSWORD = $Cluster.Password }
            default { $p.ConnectionString = "$Db;Password=$($Cluster.Password)" }
        }
        try {
            $sync = Sync-EglHistory @p -Session $Partner -Verbose -Debug *>&1
            $rows = Get-EglConsumption @p -EndDate 2026-03-05 -Verbose -Debug *>&1
            $text = ($sync + $rows | Out-String -Width 400) + ($sync + $rows | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue | Out-String)
            @($rows | Where-Object { $_ -is [EglWater.EglConsumption] }).Count | Should -Be 5
            ($sync | Where-Object { $_ -is [EglWater.EglSyncResult] }).Path | Should -Be $Db
            $text.Contains($Cluster.Password) | Should -BeFalse
        } finally { Remove-Item Env:PGPASSWORD -ErrorAction Ignore }
    }

    It 'is in no stream, result, error or report of any command, with an SSL Password too' {
        $ssl = 'Ssl-' + [guid]::NewGuid().ToString('n')
        $cs = "$Db;Password=$($Cluster.Password);SSL Password=$ssl"
        Reset-Database
        $page = Join-Path $TestDrive 'secret.html'
        # -Debug makes a compiled cmdlet's warnings ask for confirmation: -WarningAction Continue keeps them flowing.
        $all = @{ ConnectionString = $cs; StartDate = [datetime]'2026-02-01'; Verbose = $true; Debug = $true; WarningAction = 'Continue' }
        $out = & {
            Sync-EglHistory @all -Session $Partner
            Get-EglIndex @all
            Get-EglConsumption @all
            Find-EglLeak @all
            Measure-EglCost @all -MeterDiameter 15
            Export-EglReport @all -Path $page -PassThru
            try { Get-EglIndex -ConnectionString $cs -SubscriptionNumber 1 } catch { $_ }
        } *>&1
        @($out | Where-Object { $_ -is [EglWater.EglIndexReading] }).Count | Should -BeGreaterThan 20
        @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -Not -BeNullOrEmpty -Because 'the unknown subscription is an error to scan too'
        $text = ($out | Out-String -Width 400) + ($out | Format-List * -Force | Out-String -Width 400) + ($out | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue | Out-String) + (Get-Content $page -Raw)
        $text | Should -Match ([regex]::Escape($Db)) -Because 'the scan covers where the connection string is shown'
        $text.Contains($Cluster.Password) | Should -BeFalse
        $text.Contains($ssl) | Should -BeFalse
    }

    It 'is not in the error of a wrong one, nor of a server that cannot be reached' {
        $wrong = 'Wr0ng-' + [guid]::NewGuid().ToString('n')
        try { Get-EglIndex -ConnectionString "$Db;Password=$wrong" } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'EglHistoryAccess,EglWater.Commands.GetEglIndexCommand'
        $e.Exception.Message | Should -Match '28P01'
        $all = ($e | Format-List * -Force | Out-String) + $e.Exception.ToString() + ($e.ErrorDetails | Out-String) + "$($e.TargetObject)"
        $all.Contains($wrong) | Should -BeFalse
        $all.Contains($Cluster.Password) | Should -BeFalse

        try { Get-EglIndex -ConnectionString "Host=127.0.0.1;Port=1;Database=x;Username=y;Password=$wrong;Timeout=3" } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'EglHistoryUnavailable,EglWater.Commands.GetEglIndexCommand'
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
        (($e | Format-List * -Force | Out-String) + $e.Exception.ToString()).Contains($wrong) | Should -BeFalse
    }
}

Describe 'Fleets: many subscriptions at once, several workers' {
    BeforeEach { Reset-Database }

    It 'syncs 40 subscriptions 8 at a time to the same days as one at a time, each subscription once' {
        $subs = $FleetSubs[0..39]
        $parallel = @(Sync-EglHistory -ConnectionString $Db -DatabaseCredential $DbCredential -Session $Fleet -SubscriptionNumber $subs -ThrottleLimit 8)
        $parallel | Should -HaveCount 40
        @($parallel.SubscriptionNumber | Sort-Object) | Should -Be @($subs | Sort-Object)
        $content = (Sql "SELECT string_agg(subscription_number::text || ':' || day::text || ':' || seq::text || ':' || raw_type || ':' || coalesce(round(index_liters)::bigint::text, '-'), ',' ORDER BY subscription_number, day, seq) AS a FROM egl_days").a

        $sequential = Join-Path $TestDrive 'fleet-1.db'
        $null = Sync-EglHistory -Path $sequential -Session $Fleet -SubscriptionNumber $subs -ThrottleLimit 1
        ($parallel.DaysAdded | Measure-Object -Sum).Sum | Should -Be (Invoke-EglSqlite $sequential 'SELECT count(DISTINCT subscription_number || day) AS n FROM egl_days').n
        # Every record of every subscription, as one at a time into SQLite stored them: none under another number.
        $lite = (Invoke-EglSqlite $sequential "SELECT group_concat(subscription_number || ':' || day || ':' || seq || ':' || raw_type || ':' || coalesce(CAST(round(index_liters) AS INTEGER), '-'), ',') AS a FROM (SELECT * FROM egl_days ORDER BY subscription_number, day, seq)").a
        $content.Length | Should -BeGreaterThan 1000
        $content | Should -BeExactly $lite
        foreach ($s in $subs[0], $subs[-1]) { ($parallel | Where-Object SubscriptionNumber -eq $s).DaysAdded | Should -Be (Get-PublishedDayCount $s) }
    }

    It 'finds the leaking households of the fleet in the database' {
        $subs = $FleetSubs[90..109]
        $null = Sync-EglHistory -ConnectionString $Db -DatabaseCredential $DbCredential -Session $Fleet -SubscriptionNumber $subs -ThrottleLimit 8
        $alerts = @(Find-EglLeak -ConnectionString $Db -DatabaseCredential $DbCredential)
        @($alerts.SubscriptionNumber | Sort-Object -Unique) | Should -Be @(5000100)
    }

    It 'two workers on overlapping lists (in opposite orders) at once: every day once, nothing lost' {
        Set-Fault $FleetLogin @{ latencyMs = 150 }
        try {
            $a = Start-FreshPwsh -Script $WorkerScript -Environment $WorkerEnvironment -Arguments @{ Module = $ModulePath; Uri = $Sim.BaseUri; Db = $Db; Subs = ($FleetSubs[0..11] -join ','); Throttle = 4 }
            $b = Start-FreshPwsh -Script $WorkerScript -Environment $WorkerEnvironment -Arguments @{ Module = $ModulePath; Uri = $Sim.BaseUri; Db = $Db; Subs = (($FleetSubs[6..17] | Sort-Object -Descending) -join ','); Throttle = 4 }
            $ra = Wait-FreshPwsh $a -TimeoutSec 180
            $rb = Wait-FreshPwsh $b -TimeoutSec 180
        } finally { Reset-Fault $FleetLogin }
        $ra.Error | Should -BeNullOrEmpty
        $rb.Error | Should -BeNullOrEmpty
        $lines = ($ra.Output + "`n" + $rb.Output) -split "`n" | Where-Object { $_ }
        $done = @($lines | Where-Object { $_ -like 'DONE *' } | ForEach-Object { [long]($_ -split ' ')[1] })
        $skipped = @($lines | Where-Object { $_ -like 'SKIPPED *' })
        # Each subscription of the union synced by at least one worker; the overlap by one or both (then one after the other).
        @($done | Sort-Object -Unique) | Should -Be @($FleetSubs[0..17] | Sort-Object)
        ($done.Count + $skipped.Count) | Should -Be 24
        foreach ($s in $FleetSubs[0..17]) {
            $row = Sql "SELECT count(*) AS n, count(DISTINCT day) AS d FROM egl_days WHERE subscription_number = $s"
            [int]$row.n | Should -Be (Get-PublishedDayCount $s)
            [int]$row.d | Should -Be ([int]$row.n)
        }
        (Sql 'SELECT count(*) AS n FROM egl_revisions').n | Should -Be '0'
    }

    It 'a second worker skips the subscription the first one is syncing, and says so' {
        $one = $FleetSubs[20]
        Set-Fault $FleetLogin @{ latencyMs = 1500 }
        try {
            $before = (Get-SimRequest $FleetLogin 'data').Count
            $a = Start-FreshPwsh -Script $WorkerScript -Environment $WorkerEnvironment -Arguments @{ Module = $ModulePath; Uri = $Sim.BaseUri; Db = $Db; Subs = "$one"; Throttle = 1 }
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ((Get-SimRequest $FleetLogin 'data').Count -eq $before -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $out = @(Sync-EglHistory -ConnectionString $Db -DatabaseCredential $DbCredential -Session $Fleet -SubscriptionNumber $one -Verbose 4>&1)
            $ra = Wait-FreshPwsh $a -TimeoutSec 120
        } finally { Reset-Fault $FleetLogin }
        @($out | Where-Object { $_ -is [EglWater.EglSyncResult] }) | Should -BeNullOrEmpty
        @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like "*$one*another worker*skipped*" }) | Should -HaveCount 1
        $ra.Output | Should -Match "DONE $one"
    }

    It 'a worker killed in the middle leaves whole requests, releases its locks, and the next run completes the fleet' {
        $subs = $FleetSubs[30..37]
        Set-Fault $FleetLogin @{ latencyMs = 400 }
        try {
            $before = (Get-SimRequest $FleetLogin 'data').Count
            $a = Start-FreshPwsh -Script $WorkerScript -Environment $WorkerEnvironment -Arguments @{ Module = $ModulePath; Uri = $Sim.BaseUri; Db = $Db; Subs = ($subs -join ','); Throttle = 2 }
            try {
                $deadline = [datetime]::UtcNow.AddSeconds(60)
                while ((Get-SimRequest $FleetLogin 'data').Count - $before -lt 6 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                $a.Process.HasExited | Should -BeFalse
                $a.Process.Kill()
                $a.Process.WaitForExit()
            } finally { Stop-FreshPwsh $a }
        } finally { Reset-Fault $FleetLogin }

        $partial = Sql 'SELECT subscription_number, count(*) AS n, min(day) AS first FROM egl_days GROUP BY subscription_number'
        $partial.Count | Should -BeLessThan $subs.Count
        Assert-WholeRequests
        $r = @(Sync-EglHistory -ConnectionString $Db -DatabaseCredential $DbCredential -Session $Fleet -SubscriptionNumber $subs -ThrottleLimit 4)
        $r | Should -HaveCount $subs.Count     # no lock left behind: none skipped
        foreach ($s in $subs) { [int](Sql "SELECT count(*) AS n FROM egl_days WHERE subscription_number = $s").n | Should -Be (Get-PublishedDayCount $s) }
    }

    It 'a server that goes away mid-sync: EglHistoryUnavailable, a consistent database after restart, and the next sync completes' {
        $subs = $FleetSubs[40..47]
        Set-Fault $FleetLogin @{ latencyMs = 400 }
        try {
            $before = (Get-SimRequest $FleetLogin 'data').Count
            $a = Start-FreshPwsh -Script $WorkerScript -Environment $WorkerEnvironment -Arguments @{ Module = $ModulePath; Uri = $Sim.BaseUri; Db = $Db; Subs = ($subs -join ','); Throttle = 2 }
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ((Get-SimRequest $FleetLogin 'data').Count - $before -lt 4 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Suspend-EglPostgres -Cluster $Cluster
            try {
                $ra = Wait-FreshPwsh $a -TimeoutSec 120
            } finally { Resume-EglPostgres -Cluster $Cluster }
        } finally { Reset-Fault $FleetLogin }
        $ra.Error | Should -Match 'EglHistoryUnavailable|unavailable'
        $ra.Error.Contains($Cluster.Password) | Should -BeFalse
        Assert-WholeRequests
        $r = @(Sync-EglHistory -ConnectionString $Db -DatabaseCredential $DbCredential -Session $Fleet -SubscriptionNumber $subs -ThrottleLimit 4)
        $r | Should -HaveCount $subs.Count
        foreach ($s in $subs) { [int](Sql "SELECT count(*) AS n FROM egl_days WHERE subscription_number = $s").n | Should -Be (Get-PublishedDayCount $s) }
    }

    It 'tab-completes -SubscriptionNumber from the database' {
        $null = Sync-EglHistory -ConnectionString $Db -DatabaseCredential $DbCredential -Session $Fleet -SubscriptionNumber $FleetSubs[0..2] -StartDate 2026-03-01
        $env:PGPASSWORD = $Cluster.Password
        try {
            $line = "Get-EglConsumption -ConnectionString '$Db' -SubscriptionNumber "
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        } finally { Remove-Item Env:PGPASSWORD }
        @($completions | Sort-Object) | Should -Be @($FleetSubs[0..2] | ForEach-Object { "$_" } | Sort-Object)
    }
}
