<#
.SYNOPSIS
One timed run of one side of one benchmark case, in the fresh pwsh process that bench/Invoke-Benchmarks.ps1
starts for it. Not meant to be run by hand.

.DESCRIPTION
Times the work with a Stopwatch from the first line the user would type (Import-Module for the EglWater
side, so the module's load is counted against it) to the last result collected in memory, then reads the
process's peak resident set (VmHWM in /proc/self/status: the kernel's high-water mark of this pwsh
process, which covers the whole run) and prints one JSON line:
{"ms":…,"warmMs":…,"steps":{…},"peakKiB":…,"rows":…,…}
steps: the parts of ms spent in named steps of the EglWater side (importMs: Import-Module; connectMs: the
credential and Connect-Egl; syncMs: Sync-EglHistory), taken from the first (cold) run.
For the cases with a warm figure (fetch, history on EglWater's side, sync) it then runs the same commands again
in the same process and times that too (warmMs: JIT done, HTTP connections open, Import-Module a no-op), after
the peak memory has been read.
Case FleetSync (harness case 7): Import-Module, Connect-Egl, then Sync-EglHistory of every subscription of the login
into -ConnectionString (the password from PGPASSWORD, which the harness sets) or -HistoryPath, -ThrottleLimit at a time;
steps: importMs, connectMs, syncMs; sync: one entry per EglSyncResult. No warm run (it would be another, incremental,
sync). Case FleetLeak: Import-Module, then Find-EglLeak -ConnectionString (or -HistoryPath) from -StartDate to -EndDate
over every subscription of the store (steps: importMs, leakMs); warm: Find-EglLeak again; rows: the alerts, and with
-ResultPath their subscription, kind and first day.
Case Import times Import-Module alone (ms) and lists the assemblies it loaded (assemblies: name, load
context, file), for the harness to check that the backends wait for their first use.
With -ResultPath, writes the daily rows (SubscriptionNumber when the side gives it, Date as yyyy-MM-dd,
Liters) to a CSV file after the timing, for the harness to compare the two sides.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('Fetch', 'Offline', 'History', 'Sync', 'Import', 'FleetSync', 'FleetLeak')] [string] $Case,
    [Parameter(Mandatory)] [ValidateSet('EglWater', 'Baseline', 'ImportCsv', 'EmptyModule')] [string] $Side,
    [string] $ModulePath,
    [string] $BaseUri,
    [string] $Login,
    [string] $Password,
    [string] $AuthKey,
    [string] $StartDate,
    [string] $EndDate,
    [string] $CsvPath,
    [string] $HistoryPath,
    [string] $SubscriptionNumber,
    [string] $ConnectionString,
    [int] $ThrottleLimit = 4,
    [string] $ResultPath
)
$ErrorActionPreference = 'Stop'

if ($Case -eq 'Import') {
    # Import-Module alone, timed inside a fresh process; then which assemblies it loaded (by difference).
    $before = [System.Collections.Generic.HashSet[string]]::new([string[]]@([AppDomain]::CurrentDomain.GetAssemblies().FullName))
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    Import-Module $ModulePath
    $sw.Stop()
    $loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not $before.Contains($_.FullName) } | ForEach-Object {
            $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_)
            [ordered]@{ name = $_.GetName().Name; context = if ($context) { $context.Name } else { '' }; file = if ($_.IsDynamic) { '' } else { $_.Location } }
        })
    $contexts = @([System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object { $_.Name })
    [ordered]@{ ms = $sw.Elapsed.TotalMilliseconds; warmMs = 0; steps = @{}; warmSteps = @{}; peakKiB = 0; rows = 0; assemblies = $loaded; contexts = $contexts } | ConvertTo-Json -Compress -Depth 4
    return
}

$baseline = Join-Path $PSScriptRoot 'baseline-irm.ps1'
$inv = [cultureinfo]::InvariantCulture
$start = if ($StartDate) { [datetime]::ParseExact($StartDate, 'yyyy-MM-dd', $inv) } else { $null }
$end = if ($EndDate) { [datetime]::ParseExact($EndDate, 'yyyy-MM-dd', $inv) } else { $null }
$steps = @{}
$syncResults = [System.Collections.Generic.List[object]]::new()

$work = { switch ("$Case/$Side") {
    'Fetch/EglWater' {
        $w = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $ModulePath
        $steps.importMs += $w.Elapsed.TotalMilliseconds; $w.Restart()
        $credential = [pscredential]::new($Login, (ConvertTo-SecureString $Password -AsPlainText -Force))
        Connect-Egl -Credential $credential -AuthKey $AuthKey -BaseUri $BaseUri
        $steps.connectMs += $w.Elapsed.TotalMilliseconds
        Get-EglConsumption -StartDate $start -EndDate $end
    }
    'Fetch/Baseline' {
        & $baseline -BaseUri $BaseUri -Login $Login -Password $Password -AuthKey $AuthKey -StartDate $start -EndDate $end
    }
    'Offline/EglWater' {
        $w = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $ModulePath
        $steps.importMs += $w.Elapsed.TotalMilliseconds
        Import-Csv -LiteralPath $CsvPath | Get-EglConsumption
    }
    'Offline/Baseline' {
        & $baseline -CsvPath $CsvPath
    }
    'Offline/ImportCsv' {
        # The floor both offline sides pay: reading the file into objects, nothing computed.
        Import-Csv -LiteralPath $CsvPath
    }
    'History/EglWater' {
        $w = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $ModulePath
        $steps.importMs += $w.Elapsed.TotalMilliseconds
        Get-EglConsumption -HistoryPath $HistoryPath -StartDate $start -EndDate $end
    }
    'History/Baseline' {
        & $baseline -CsvPath $CsvPath
    }
    'Sync/EglWater' {
        $w = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $ModulePath
        $steps.importMs += $w.Elapsed.TotalMilliseconds; $w.Restart()
        $credential = [pscredential]::new($Login, (ConvertTo-SecureString $Password -AsPlainText -Force))
        Connect-Egl -Credential $credential -AuthKey $AuthKey -BaseUri $BaseUri
        $steps.connectMs += $w.Elapsed.TotalMilliseconds; $w.Restart()
        $r = Sync-EglHistory -Path $HistoryPath -SubscriptionNumber $SubscriptionNumber
        $steps.syncMs += $w.Elapsed.TotalMilliseconds
        $syncResults.Add($r)
        $r
    }
    'FleetSync/EglWater' {
        $w = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $ModulePath
        $steps.importMs += $w.Elapsed.TotalMilliseconds; $w.Restart()
        $credential = [pscredential]::new($Login, (ConvertTo-SecureString $Password -AsPlainText -Force))
        Connect-Egl -Credential $credential -AuthKey $AuthKey -BaseUri $BaseUri
        $steps.connectMs += $w.Elapsed.TotalMilliseconds; $w.Restart()
        $store = if ($ConnectionString) { @{ ConnectionString = $ConnectionString } } else { @{ HistoryPath = $HistoryPath } }
        $r = Sync-EglHistory @store -ThrottleLimit $ThrottleLimit
        $steps.syncMs += $w.Elapsed.TotalMilliseconds
        foreach ($one in $r) { $syncResults.Add($one) }
        $r
    }
    'FleetLeak/EglWater' {
        $w = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $ModulePath
        $steps.importMs += $w.Elapsed.TotalMilliseconds; $w.Restart()
        $store = if ($ConnectionString) { @{ ConnectionString = $ConnectionString } } else { @{ HistoryPath = $HistoryPath } }
        Find-EglLeak @store -StartDate $start -EndDate $end
        $steps.leakMs += $w.Elapsed.TotalMilliseconds
    }
    default { throw "No side '$Side' for case '$Case'." }
} }

$sw = [System.Diagnostics.Stopwatch]::StartNew()
$rows = & $work
$sw.Stop()
$coldSteps = $steps.Clone()

$peakKiB = 0L
$status = Get-Content -LiteralPath '/proc/self/status' -ErrorAction SilentlyContinue | Where-Object { $_ -like 'VmHWM:*' }
if ($status -match '(\d+)\s*kB') { $peakKiB = [long]$Matches[1] }

# The same commands once more in this process (warm: JIT done, connections open; Import-Module is then a no-op).
$warmMs = 0.0
$warmSteps = @{}
if ("$Case/$Side" -in 'Fetch/EglWater', 'Fetch/Baseline', 'History/EglWater', 'Sync/EglWater', 'FleetLeak/EglWater') {
    $steps = @{}
    $warm = [System.Diagnostics.Stopwatch]::StartNew()
    $again = & $work
    $warm.Stop()
    $warmMs = $warm.Elapsed.TotalMilliseconds
    $warmSteps = $steps
    if (@($again).Count -ne @($rows).Count) { throw "The warm run gave $(@($again).Count) rows, the first $(@($rows).Count)." }
}

# The module's load contexts once it has worked (its backends load at first use into their own).
$contexts = @()
if ($Side -eq 'EglWater') {
    $contexts = @([System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object {
            [ordered]@{ name = $_.Name; assemblies = @($_.Assemblies | ForEach-Object { $_.GetName().Name } | Where-Object { $_ -match 'EglWater|Polly|Sqlite|SQLite' }) }
        } | Where-Object { $_.assemblies.Count })
}

if ($ResultPath -and $Case -eq 'FleetLeak') {
    # The alerts: subscription, kind, first day (for the harness to check who was found).
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('SubscriptionNumber,Kind,StartDate')
    foreach ($row in $rows) { $lines.Add([string]$row.SubscriptionNumber + ',' + [string]$row.Kind + ',' + $row.StartDate.ToString('yyyy-MM-dd', $inv)) }
    [System.IO.File]::WriteAllLines($ResultPath, $lines)
} elseif ($ResultPath -and $Side -notin 'ImportCsv') {
    # One line per row: SubscriptionNumber (empty when the side does not give it), Date, Liters; written with a
    # plain loop (110,000 rows in case 4: Export-Csv of new objects would take longer than the timed work).
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('SubscriptionNumber,Date,Liters')
    $first = @($rows | Select-Object -First 1)
    $withSubscription = $first.Count -and $null -ne $first[0].PSObject.Properties['SubscriptionNumber']
    foreach ($row in $rows) {
        $subscription = if ($withSubscription) { [string]$row.SubscriptionNumber } else { '' }
        $liters = if ($null -eq $row.Liters) { '' } else { ([double]$row.Liters).ToString('R', $inv) }
        $lines.Add($subscription + ',' + $row.Date.ToString('yyyy-MM-dd', $inv) + ',' + $liters)
    }
    [System.IO.File]::WriteAllLines($ResultPath, $lines)
}

[ordered]@{
    ms       = $sw.Elapsed.TotalMilliseconds
    cpuMs    = [System.Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalMilliseconds
    warmMs   = $warmMs
    steps    = $coldSteps
    warmSteps = $warmSteps
    peakKiB  = $peakKiB
    rows     = @($rows).Count
    sync     = @($syncResults | ForEach-Object { [ordered]@{ requests = $_.Requests; added = $_.DaysAdded; changed = $_.DaysChanged; failed = $_.FailedRequests; complete = $_.HistoryComplete } })
    contexts = $contexts
} | ConvertTo-Json -Compress -Depth 4
