# Sync-EglHistory and -HistoryPath against the simulator: the first sync, incremental syncs, pending days that
# become final, kill -9 in the middle, two syncs at once, rows identical to online rows, bad stores, secrets.
# Runs under fr-FR; the module's clock is pinned to the simulator's today.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'FreshProcess.ps1')
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
    $script:Root = $Sim.RootUri
    $script:PortalUri = [uri]"$($Sim.RootUri)application"
    $script:Culture = [cultureinfo]::CurrentCulture
    [cultureinfo]::CurrentCulture = 'fr-FR'
    Set-EglClock '2026-03-15T08:00:00Z'
    $script:Partner = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru

    function script:New-StorePath([string] $Name = 'history') { Join-Path $TestDrive ("$Name-" + [guid]::NewGuid().ToString('n').Substring(0, 8) + '.db') }
    function script:Get-DataRequestCount([string] $Login = $DemoLogin) { (Get-SimRequest $Login 'data').Count }
    # The stored days without the time they were fetched: what two syncs must agree on.
    function script:Get-StoreContent([string] $Path) {
        Invoke-EglSqlite $Path 'SELECT subscription_number, day, seq, index_liters, reading_type, raw_type, liters, minimum_flow_lph, estimated_leak_liters FROM egl_days ORDER BY subscription_number, day, seq' |
            ForEach-Object { ($_.PSObject.Properties.Value | ForEach-Object { [string]$_ }) -join '|' }
    }
    function script:Rows([object[]] $Objects) { $Objects | ConvertTo-Json -Compress -Depth 3 }
}

AfterAll {
    Reset-EglClock
    [cultureinfo]::CurrentCulture = $Culture
    $Sim | Stop-EglSimulator
}

Describe 'Sync-EglHistory: the first sync reads the whole history' {
    BeforeAll {
        $script:Store = New-StorePath
        $before = Get-DataRequestCount
        $script:Result = Sync-EglHistory -Path $Store -Session $Partner
        $script:Sent = (Get-DataRequestCount) - $before
        $script:Published = @(Get-SimulatorRows $Sim | ForEach-Object { ([datetime]$_.day).Date } | Sort-Object -Unique)
    }

    It 'writes one EglSyncResult per subscription, from the first published day to the last' {
        $Result | Should -HaveCount 1
        $Result | Should -BeOfType ([EglWater.EglSyncResult])
        $Result.SubscriptionNumber | Should -Be $DemoSubscription
        $Result.Api | Should -Be 'Partner'
        $Result.Path | Should -Be $Store
        $Result.FirstDay | Should -Be ([datetime]'2022-11-01')
        $Result.FirstDay | Should -Be $Published[0]
        $Result.LastDay | Should -Be $Published[-1]
        $Result.DaysAdded | Should -Be $Published.Count
        $Result.DaysChanged | Should -Be 0
        $Result.HistoryComplete | Should -BeTrue
        $Result.FailedRequests | Should -Be 0
    }

    It 'sends a year back from today, then a calendar year per request until one is empty: 6 requests, as it says' {
        $Result.Requests | Should -Be 6
        $Sent | Should -Be 6
    }

    It 'stores every record as the API sent it, pending-then-final day and pending last days included' {
        $stored = @(Invoke-EglSqlite $Store "SELECT day, raw_type, index_liters FROM egl_days WHERE subscription_number = $DemoSubscription ORDER BY day, seq")
        $api = @(Get-SimulatorRows $Sim)
        $stored.Count | Should -Be $api.Count
        ($stored | Where-Object day -eq '2024-06-10').raw_type -join ',' | Should -Be 'T,R'
        ($stored | Select-Object -Last 2).raw_type -join ',' | Should -Be 'T,T'
        (Invoke-EglSqlite $Store 'SELECT value FROM egl_schema WHERE name = ''version''').value | Should -Be '1'
    }

    It 'is up to date with one data request the next time, adding nothing' {
        $before = Get-DataRequestCount
        $again = Sync-EglHistory -Path $Store -Session $Partner
        (Get-DataRequestCount) - $before | Should -Be 1
        $again.Requests | Should -Be 1
        $again.DaysAdded | Should -Be 0
        $again.DaysChanged | Should -Be 0
        $again.LastDay | Should -Be $Result.LastDay
    }

    It 'takes -Path relative to the PowerShell location, not the process''s' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'relative') -Force
        Push-Location $folder
        try {
            $r = Sync-EglHistory -Path 'here.db' -Session $Partner -StartDate 2026-03-01
        } finally { Pop-Location }
        Join-Path $folder 'here.db' | Should -Exist
        $r.Path | Should -Be (Join-Path $folder.FullName 'here.db')
        $r.FirstDay | Should -Be ([datetime]'2026-02-28')   # the day before -StartDate gives it its consumption
        $r.HistoryComplete | Should -BeTrue
    }

    It 'syncs into $env:EGLWATER_HISTORY by default' {
        $store = New-StorePath 'env'
        $env:EGLWATER_HISTORY = $store
        try {
            $r = Sync-EglHistory -Session $Partner -StartDate 2026-03-10
        } finally { Remove-Item Env:EGLWATER_HISTORY }
        $r.Path | Should -Be $store
        $store | Should -Exist
    }

    It 'syncs into EglWater/history.db in the local application data folder otherwise, creating the folder' {
        $home2 = Join-Path $TestDrive 'home'
        $result = Invoke-FreshPwsh -Environment @{ HOME = $home2; XDG_DATA_HOME = (Join-Path $home2 'data'); EGLWATER_HISTORY = '' } -Arguments @{ Module = $ModulePath; Uri = $Sim.BaseUri } -Script {
            param($Module, $Uri)
            $ErrorActionPreference = 'Stop'
            Import-Module $Module
            $null = Connect-Egl -Credential ([pscredential]::new('demo@eglwater.test', (ConvertTo-SecureString 'demo-password' -AsPlainText -Force))) -AuthKey (ConvertTo-SecureString 'demo-auth-key' -AsPlainText -Force) -BaseUri $Uri
            (Sync-EglHistory -StartDate ([datetime]::Today.AddDays(-5))).Path
        }
        $result.Error | Should -BeNullOrEmpty
        $expected = Join-Path $home2 'data/EglWater/history.db'
        $result.Output.Trim() | Should -Be $expected
        $expected | Should -Exist
    }

    It '-WhatIf sends nothing and creates nothing' {
        $store = New-StorePath 'whatif'
        $before = Get-DataRequestCount
        Sync-EglHistory -Path $store -Session $Partner -WhatIf | Should -BeNullOrEmpty
        $store | Should -Not -Exist
        Get-DataRequestCount | Should -Be $before
    }
}

Describe 'Sync-EglHistory: days published and corrected between two syncs' {
    BeforeAll {
        $script:Store = New-StorePath
        $null = Sync-EglHistory -Path $Store -Session $Partner
    }
    AfterAll {
        Set-SimToday '2026-03-15'
        Set-EglClock '2026-03-15T08:00:00Z'
    }

    It 'replaces the pending days that became final, keeps their pending records as revisions, and adds the new days' {
        # Three days later: 13 and 14 March are final, 15 to 17 published (16 and 17 pending).
        Set-SimToday '2026-03-18'
        Set-EglClock '2026-03-18T08:00:00Z'
        $before = Get-DataRequestCount
        $r = Sync-EglHistory -Path $Store -Session $Partner
        (Get-DataRequestCount) - $before | Should -Be 1
        $r.DaysChanged | Should -Be 2
        $r.DaysAdded | Should -Be 3
        $r.LastDay | Should -Be ([datetime]'2026-03-17')

        $revisions = @(Invoke-EglSqlite $Store 'SELECT day, raw_type, replaced_at FROM egl_revisions ORDER BY day')
        $revisions.day -join ',' | Should -Be '2026-03-13,2026-03-14'
        $revisions.raw_type -join ',' | Should -Be 'T,T'
        $revisions[0].replaced_at | Should -Match '^2026-03-18T08:00:00'
        (Invoke-EglSqlite $Store "SELECT raw_type FROM egl_days WHERE day IN ('2026-03-13', '2026-03-14')").raw_type -join ',' | Should -Be 'R,R'
    }

    It 'gives -HistoryPath the final days then, as online' {
        $online = Get-EglConsumption -Session $Partner -StartDate 2026-03-01 -EndDate 2026-03-18
        $stored = Get-EglConsumption -HistoryPath $Store -StartDate 2026-03-01 -EndDate 2026-03-18
        Rows $stored | Should -Be (Rows $online)
        ($stored | Where-Object Date -eq ([datetime]'2026-03-13')).Quality | Should -Be 'Measured'
    }
}

Describe 'Sync-EglHistory on the customer portal' {
    BeforeAll {
        $script:Teleo = Connect-Egl -Credential (New-Cred 'teleo@eglwater.test') -BaseUri $PortalUri -PassThru
        $script:Store = New-StorePath 'portal'
        $script:Result = Sync-EglHistory -Path $Store -Session $Teleo
    }

    It 'walks back 90 days at a time until two in a row are empty, and stores the volumes, indexes and signals' {
        $Result.Api | Should -Be 'Portal'
        $Result.FirstDay | Should -Be ([datetime]'2022-11-01')
        $Result.HistoryComplete | Should -BeTrue
        $Result.Requests | Should -Be 16   # 14 requests of 90 days reach 2022-11-01 from 2026-03-15, then two empty ones
        $days = @(Invoke-EglSqlite $Store 'SELECT liters, index_liters, minimum_flow_lph FROM egl_days')
        $days.Count | Should -Be $Result.DaysAdded
        @($days | Where-Object { $null -eq $_.index_liters }).Count | Should -Be 0
        @($days | Where-Object { $null -ne $_.minimum_flow_lph }).Count | Should -Be $days.Count
    }

    It 'refuses to sync a subscription the store holds from the partner API, and says so' {
        $store = New-StorePath 'mixed'
        $null = Sync-EglHistory -Path $store -Session $Partner -StartDate 2026-03-01
        $r = Sync-EglHistory -Path $store -Session $Teleo -ErrorVariable err -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'EglHistoryApiMismatch*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'gives -HistoryPath the portal''s online rows' {
        foreach ($g in 'Day', 'Month') {
            $online = Get-EglConsumption -Session $Teleo -StartDate 2024-07-01 -EndDate 2024-12-31 -Granularity $g -WarningAction SilentlyContinue
            $stored = Get-EglConsumption -HistoryPath $Store -StartDate 2024-07-01 -EndDate 2024-12-31 -Granularity $g -WarningAction SilentlyContinue
            Rows $stored | Should -Be (Rows $online)
        }
        Rows (Get-EglIndex -HistoryPath $Store -StartDate 2025-01-01 -EndDate 2025-02-01) | Should -Be (Rows (Get-EglIndex -Session $Teleo -StartDate 2025-01-01 -EndDate 2025-02-01))
    }
}

Describe 'Reading a store: -HistoryPath' {
    BeforeAll {
        $script:Store = New-StorePath
        $null = Sync-EglHistory -Path $Store -Session $Partner
        $script:Multi = Connect-Egl -Credential (New-Cred 'multi@eglwater.test') -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
        $script:MultiStore = New-StorePath 'multi'
        $script:MultiResults = Sync-EglHistory -Path $MultiStore -Session $Multi -StartDate 2025-01-01
    }

    It 'gives the online rows for <Start>..<End> <Granularity> (NoInterpolation: <NoInterpolation>)' -ForEach @(
        @{ Start = '2024-08-01'; End = '2024-08-31'; Granularity = 'Day'; NoInterpolation = $false }   # the gap 12-14 August
        @{ Start = '2024-08-13'; End = '2024-08-13'; Granularity = 'Day'; NoInterpolation = $true }    # inside the gap
        @{ Start = '2024-10-01'; End = '2024-10-31'; Granularity = 'Day'; NoInterpolation = $false }   # the meter change
        @{ Start = '2024-06-01'; End = '2024-06-30'; Granularity = 'Week'; NoInterpolation = $false }  # pending then final
        @{ Start = '2024-11-15'; End = '2025-02-28'; Granularity = 'Day'; NoInterpolation = $false }   # anomaly, V, X
        @{ Start = '2026-02-01'; End = '2026-03-15'; Granularity = 'Day'; NoInterpolation = $false }   # pending last days
        @{ Start = '2022-11-01'; End = '2026-03-15'; Granularity = 'Month'; NoInterpolation = $false }
        @{ Start = '2023-01-01'; End = '2025-12-31'; Granularity = 'Year'; NoInterpolation = $true }
    ) {
        $p = @{ StartDate = [datetime]$Start; EndDate = [datetime]$End; Granularity = $Granularity; NoInterpolation = $NoInterpolation; WarningAction = 'SilentlyContinue' }
        $online = Get-EglConsumption -Session $Partner @p
        $before = Get-DataRequestCount
        $stored = Get-EglConsumption -HistoryPath $Store @p
        Get-DataRequestCount | Should -Be $before
        $stored.Count | Should -BeGreaterThan 0
        Rows $stored | Should -Be (Rows $online)
        $period = $Granularity -ne 'Day'
        ($stored[0].PSObject.TypeNames -contains 'EglWater.EglConsumption#Period') | Should -Be $period
    }

    It 'gives the online index readings, and the same warnings' {
        $online = Get-EglIndex -Session $Partner -StartDate 2024-06-01 -EndDate 2024-12-31
        Rows (Get-EglIndex -HistoryPath $Store -StartDate 2024-06-01 -EndDate 2024-12-31) | Should -Be (Rows $online)
        $null = Get-EglConsumption -HistoryPath $Store -StartDate 2024-10-01 -EndDate 2024-12-31 -WarningVariable w -WarningAction SilentlyContinue
        $null = Get-EglConsumption -Session $Partner -StartDate 2024-10-01 -EndDate 2024-12-31 -WarningVariable w2 -WarningAction SilentlyContinue
        "$w" | Should -Be "$w2"
    }

    It 'needs no session: after Disconnect-Egl, in a fresh pwsh far from Paris' {
        $result = Invoke-FreshPwsh -Environment @{ TZ = 'Pacific/Auckland' } -Arguments @{ Module = $ModulePath; Store = $Store } -Script {
            param($Module, $Store)
            $ErrorActionPreference = 'Stop'
            Import-Module $Module
            [cultureinfo]::CurrentCulture = 'fr-FR'
            Get-EglConsumption -HistoryPath $Store -StartDate 2024-08-01 -EndDate 2024-08-31 | ConvertTo-Json -Compress -Depth 3
        }
        $result.Error | Should -BeNullOrEmpty
        $result.Output.Trim() | Should -Be (Rows (Get-EglConsumption -Session $Partner -StartDate 2024-08-01 -EndDate 2024-08-31))
    }

    It 'reads every subscription of the store without -SubscriptionNumber, and those given with it' {
        $MultiResults | Should -HaveCount 3
        $all = Get-EglConsumption -HistoryPath $MultiStore -StartDate 2025-06-01 -EndDate 2025-06-03
        @($all.SubscriptionNumber | Sort-Object -Unique) | Should -Be @($MultiResults.SubscriptionNumber | Sort-Object)
        $one = $MultiResults[1].SubscriptionNumber
        $some = Get-EglConsumption -HistoryPath $MultiStore -SubscriptionNumber $one -StartDate 2025-06-01 -EndDate 2025-06-03
        @($some.SubscriptionNumber | Sort-Object -Unique) | Should -Be @($one)
        Rows $some | Should -Be (Rows (Get-EglConsumption -Session $Multi -SubscriptionNumber $one -StartDate 2025-06-01 -EndDate 2025-06-03))
    }

    It 'tab-completes -SubscriptionNumber from the store' {
        $line = "Get-EglConsumption -HistoryPath '$MultiStore' -SubscriptionNumber "
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        @($completions | Sort-Object) | Should -Be @($MultiResults.SubscriptionNumber | Sort-Object | ForEach-Object { "$_" })
    }

    It 'refuses a subscription the store does not hold, before reading, and says which it holds' {
        { Get-EglConsumption -HistoryPath $Store -SubscriptionNumber 42 } | Should -Throw -ErrorId 'EglUnknownSubscription,EglWater.Commands.GetEglConsumptionCommand'
        try { Get-EglIndex -HistoryPath $Store -SubscriptionNumber 42 } catch { $e = $_ }
        $e.Exception.Message | Should -BeLike "*$DemoSubscription*Sync-EglHistory*"
    }

    It 'refuses -Session with -HistoryPath' {
        { Get-EglConsumption -HistoryPath $Store -Session $Partner } | Should -Throw -ErrorId 'EglHistoryWithSession,EglWater.Commands.GetEglConsumptionCommand'
    }
}

Describe 'Stores that are not what they seem' {
    It 'refuses a file that is not SQLite with EglHistoryInvalid, and leaves it untouched' {
        $file = Join-Path $TestDrive 'readings.csv'
        Set-Content $file "Date;Index`n2025-01-01;100" -Encoding utf8
        $hash = (Get-FileHash $file).Hash
        foreach ($command in { Sync-EglHistory -Path $file -Session $Partner }, { Get-EglConsumption -HistoryPath $file }) {
            $e = $null
            try { & $command } catch { $e = $_ }
            $e.FullyQualifiedErrorId | Should -BeLike 'EglHistoryInvalid,*'
            $e.CategoryInfo.Category | Should -Be 'InvalidData'
            $e.Exception.Message | Should -BeLike '*not a SQLite file*untouched*'
            $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }
        (Get-FileHash $file).Hash | Should -Be $hash
    }

    It 'refuses a store of a newer schema with EglHistoryVersion, and leaves it untouched' {
        $store = New-StorePath 'newer'
        $null = Sync-EglHistory -Path $store -Session $Partner -StartDate 2026-03-10
        $null = Invoke-EglSqlite $store "UPDATE egl_schema SET value = '99' WHERE name = 'version'"
        $hash = (Get-FileHash $store).Hash
        { Sync-EglHistory -Path $store -Session $Partner } | Should -Throw -ErrorId 'EglHistoryVersion,EglWater.Commands.SyncEglHistoryCommand'
        { Get-EglIndex -HistoryPath $store } | Should -Throw -ErrorId 'EglHistoryVersion,EglWater.Commands.GetEglIndexCommand'
        (Get-FileHash $store).Hash | Should -Be $hash
    }

    It 'refuses a store whose subscription says an API the module does not know, with its error id and advice' {
        $store = New-StorePath 'unknown-api'
        $null = Sync-EglHistory -Path $store -Session $Partner -StartDate 2026-03-10
        $null = Invoke-EglSqlite $store "UPDATE egl_subscriptions SET api = 'Efluid'"
        $hash = (Get-FileHash $store).Hash
        foreach ($command in { Get-EglConsumption -HistoryPath $store }, { Find-EglLeak -HistoryPath $store }) {
            $e = $null
            try { & $command } catch { $e = $_ }
            $e.FullyQualifiedErrorId | Should -BeLike 'EglHistoryInvalid,EglWater.Commands.*'
            $e.Exception.Message | Should -BeLike "*API this module does not know: 'Efluid'*"
            $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }
        (Get-FileHash $store).Hash | Should -Be $hash
    }

    It 'refuses another application''s database' {
        $store = New-StorePath 'other'
        $null = Sync-EglHistory -Path $store -Session $Partner -StartDate 2026-03-10
        $null = Invoke-EglSqlite $store 'DROP TABLE egl_schema'
        $hash = (Get-FileHash $store).Hash
        { Sync-EglHistory -Path $store -Session $Partner } | Should -Throw -ErrorId 'EglHistoryInvalid,EglWater.Commands.SyncEglHistoryCommand'
        (Get-FileHash $store).Hash | Should -Be $hash
    }

    It 'says EglHistoryAccess for a place no file can be written, a missing store, and a folder' {
        $before = Get-DataRequestCount
        { Sync-EglHistory -Path '/proc/eglwater/history.db' -Session $Partner } | Should -Throw -ErrorId 'EglHistoryAccess,EglWater.Commands.SyncEglHistoryCommand'
        Get-DataRequestCount | Should -Be $before   # refused before any request
        { Get-EglConsumption -HistoryPath (Join-Path $TestDrive 'missing.db') } | Should -Throw -ErrorId 'EglHistoryAccess,EglWater.Commands.GetEglConsumptionCommand'
        Join-Path $TestDrive 'missing.db' | Should -Not -Exist
        { Get-EglConsumption -HistoryPath $TestDrive } | Should -Throw -ErrorId 'EglHistoryAccess,EglWater.Commands.GetEglConsumptionCommand'
        try { Sync-EglHistory -Path 'Env:/PATH' -Session $Partner } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'EglHistoryAccess,*'
        $e.CategoryInfo.Category | Should -Be 'PermissionDenied'
    }
}

Describe 'Interrupted and concurrent syncs' {
    BeforeAll {
        # The whole history synced without interruption: what every other store must end up holding.
        $script:Reference = New-StorePath 'reference'
        $null = Sync-EglHistory -Path $Reference -Session $Partner
        $script:Expected = Get-StoreContent $Reference

        # A sync in another pwsh, 400 ms per data request, so that it can be killed or met halfway.
        $script:SyncScript = {
            param($Module, $Uri, $Store, $Utc)
            $ErrorActionPreference = 'Stop'
            Import-Module $Module
            $instant = [DateTimeOffset]::Parse($Utc, [cultureinfo]::InvariantCulture)
            [EglWater.Commands.EglDataCmdlet].GetField('UtcNow', [Reflection.BindingFlags]'NonPublic, Static').SetValue($null, [Func[DateTimeOffset]] { $instant }.GetNewClosure())
            $null = Connect-Egl -Credential ([pscredential]::new('demo@eglwater.test', (ConvertTo-SecureString 'demo-password' -AsPlainText -Force))) -AuthKey (ConvertTo-SecureString 'demo-auth-key' -AsPlainText -Force) -BaseUri $Uri
            Sync-EglHistory -Path $Store | ForEach-Object { '{0} {1} {2}' -f $_.DaysAdded, $_.DaysChanged, $_.HistoryComplete }
        }
        Set-Fault $DemoLogin @{ latencyMs = 400; scriptRoute = 'data' }
    }
    AfterAll { Reset-Fault $DemoLogin }

    It 'a sync killed (kill -9) in the middle leaves a store that opens, holds whole requests only, and the next sync completes it' {
        $store = New-StorePath 'killed'
        $before = Get-DataRequestCount
        # The walk's first two requests (2025-03-14..2026-03-15, 2025-01-01..2025-03-13) are answered; the years
        # before 2025 hang until the client goes away, so the kill always meets them on their way, however slow
        # the machine (with the 400 ms latency alone, a stalled poll let them be written: about one run in 300).
        Set-Fault $DemoLogin @{ latencyMs = 400; scriptRoute = 'data'; rules = @(@{ fromBefore = '2025-01-01'; step = 'hang' }) }
        $child = Start-FreshPwsh -Script $SyncScript -Arguments @{ Module = $ModulePath; Uri = $Sim.BaseUri; Store = $store; Utc = '2026-03-15T08:00:00Z' }
        try {
            # Killed once the first two requests are answered and the third and fourth are on their way.
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ((Get-DataRequestCount) - $before -lt 4 -and [datetime]::UtcNow -lt $deadline -and -not $child.Process.HasExited) { Start-Sleep -Milliseconds 20 }
            $child.Process.HasExited | Should -BeFalse -Because 'the sync must still be running when it is killed'
            $child.Process.Kill()
            $child.Process.WaitForExit()
        } finally {
            Stop-FreshPwsh $child
            Set-Fault $DemoLogin @{ latencyMs = 400; scriptRoute = 'data' }
        }

        # It opens, and holds whole requests: the year back from today, then whole calendar years.
        $days = @(Invoke-EglSqlite $store 'SELECT day FROM egl_days GROUP BY day').day
        $days.Count | Should -BeGreaterThan 0
        $days.Count | Should -BeLessThan ($Expected.Count - 100)
        $state = Invoke-EglSqlite $store 'SELECT history_start, history_complete FROM egl_subscriptions'
        $state.history_complete | Should -Be 0
        $state.history_start | Should -Be '2025-01-01' -Because 'the two answered requests are stored, the hanging ones are not'
        $published = @(Get-SimulatorRows $Sim | ForEach-Object { ([datetime]$_.day).ToString('yyyy-MM-dd') } | Where-Object { $_ -ge $state.history_start } | Sort-Object -Unique)
        @($days) | Should -Be $published
        # -HistoryPath reads it (what it holds) before the next sync.
        (Get-EglConsumption -HistoryPath $store -StartDate 2026-03-01 -EndDate 2026-03-10).Count | Should -Be 10

        Reset-Fault $DemoLogin
        try {
            $r = Sync-EglHistory -Path $store -Session $Partner
        } finally { Set-Fault $DemoLogin @{ latencyMs = 400; scriptRoute = 'data' } }
        $r.HistoryComplete | Should -BeTrue
        Get-StoreContent $store | Should -Be $Expected
    }

    It 'two syncs at once on one store both end well, and the store is the same as one sync''s' {
        $store = New-StorePath 'concurrent'
        $a = Start-FreshPwsh -Script $SyncScript -Arguments @{ Module = $ModulePath; Uri = $Sim.BaseUri; Store = $store; Utc = '2026-03-15T08:00:00Z' }
        $b = Start-FreshPwsh -Script $SyncScript -Arguments @{ Module = $ModulePath; Uri = $Sim.BaseUri; Store = $store; Utc = '2026-03-15T08:00:00Z' }
        $ra = Wait-FreshPwsh $a -TimeoutSec 120
        $rb = Wait-FreshPwsh $b -TimeoutSec 120
        $ra.Error | Should -BeNullOrEmpty
        $rb.Error | Should -BeNullOrEmpty
        $ra.ExitCode | Should -Be 0
        $rb.ExitCode | Should -Be 0
        # Each day is added once in all: by one sync or the other.
        $added = [int]$ra.Output.Split(' ')[0] + [int]$rb.Output.Split(' ')[0]
        $added | Should -Be (@($Expected | ForEach-Object { $_.Split('|')[1] } | Sort-Object -Unique).Count)
        Get-StoreContent $store | Should -Be $Expected
    }
}

Describe 'No secret in a store' {
    It 'writes no password, AuthKey, token, code or cookie into the store file' {
        $store = New-StorePath 'secrets'
        $teleo = Connect-Egl -Credential (New-Cred 'teleo@eglwater.test') -BaseUri $PortalUri -PassThru
        $null = Sync-EglHistory -Path $store -Session $Partner -StartDate 2026-01-01
        $null = Sync-EglHistory -Path (New-StorePath 'secrets-portal') -Session $teleo -StartDate 2026-01-01
        $secrets = @($DemoPassword, $DemoAuthKey) + @(Get-SimToken $DemoLogin | ForEach-Object { $_ }) +
            @(Invoke-RestMethod "$($Root)_simulator/portal/secrets?login=teleo@eglwater.test" | ForEach-Object { $_ })
        $secrets.Count | Should -BeGreaterThan 3
        foreach ($file in Get-ChildItem $TestDrive -Filter 'secrets*.db') {
            $bytes = [IO.File]::ReadAllBytes($file.FullName)
            $ascii = [Text.Encoding]::Latin1.GetString($bytes)
            $utf16 = [Text.Encoding]::Unicode.GetString($bytes)
            foreach ($s in $secrets) {
                $ascii.Contains([string]$s) | Should -BeFalse -Because "the store must not hold a secret"
                $utf16.Contains([string]$s) | Should -BeFalse
            }
        }
    }
}
