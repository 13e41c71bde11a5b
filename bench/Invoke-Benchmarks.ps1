#requires -Version 7.2
<#
.SYNOPSIS
Benchmarks EglWater against the script a user would write instead (bench/baseline-irm.ps1), and runs
the micro-benchmarks; prints the figures and writes docs/benchmarks.md.

.DESCRIPTION
Run by `dotnet pwsh ./build.ps1 -Task Bench` (which builds the module and the simulator first). The cases
(names for -Skip):

  micro    BenchmarkDotNet (tests/EglWater.Benchmarks, short job, in process, MemoryDiagnoser): the parser on a
           ten-year answer, daily consumption over 100,000 readings, monthly aggregation of 100,000 daily rows.
  fetch    1. ten years of daily consumption (2016-01-01..2025-12-31, 3,653 days) from the simulator answering
           every request 50 ms late: Get-EglConsumption vs bench/baseline-irm.ps1. Target: the script ≥ 3× slower.
           Also 6., the peak resident set (VmHWM) of each side's process.
  offline  2. 100,000 readings from a CSV file (Get-EglIndex | Export-Csv format) to daily consumption:
           Import-Csv | Get-EglConsumption vs Import-Csv alone (the floor). Target: ≤ 1.5× the floor. The
           script's loop over the same file is shown for information.
  import   3. the import overhead over an empty binary module (a manifest whose RootModule is a one-cmdlet dll):
           the median of paired differences of `dotnet pwsh -c 'Import-Module …'` wall times, one run of each side
           per round, back to back, order alternating; quartiles too. Target: ≤ 50 ms. Also Import-Module alone
           timed inside a fresh process, and the assemblies it loaded (EglWater.dll only: the backends wait for
           their first use).
  history  4. Get-EglConsumption -HistoryPath over a store of 100 subscriptions × 3 years of daily readings
           (109,600 days, synced from the simulator's benchfleet@eglwater.test once per harness run, untimed) vs
           bench/baseline-irm.ps1 -CsvPath over the same readings exported with Get-EglIndex -HistoryPath |
           Export-Csv. Target: the script ≥ 20× slower.
  sync     5. Connect-Egl + Sync-EglHistory -SubscriptionNumber <one> on a store already up to date, the simulator
           answering 50 ms late: the simulator's request log must show one data request per sync. Target: < 1 s.
  fleet    7. a fleet of 1,000 subscriptions × 1 year (the simulator's benchfleet1000@eglwater.test, 50 ms per request)
           into a throw-away PostgreSQL (tools/EglPostgres.psm1, stopped and deleted at the end): the first sync with
           -ThrottleLimit 1 and with 8, 16 and 32 at a time (16 carries the targets: ≥ 10× faster than 1, and within
           2× of the floor ⌈1,000 / 16⌉ × 50 ms + the writes, the writes being the same sync with no latency); the
           nightly sync after the simulator's today moves a day (exactly 1,000 data requests, or the run fails);
           Find-EglLeak -ConnectionString over the year (target < 5 s); the same first sync into SQLite. The CPU
           time of the sync's process, of PostgreSQL and of the simulator is read for every run.

Every timed run of cases 1, 2, 4, 5 and 7 is a fresh `dotnet pwsh` process (bench/Measure-Case.ps1), so neither
side profits from the other's warm JIT or caches; the time is measured inside the process, from the first
command the user would type (Import-Module included for EglWater) to the last row collected. The sides run
alternately (A B, then B A, ...) after one untimed warm-up run each, and the report gives medians, min, max
and the ratio of medians. Before anything is timed, both sides' outputs are compared day by day (dates and
litres, per subscription in case 4). Nothing here is a test: no figure fails the run; a difference in the
results does.

.EXAMPLE
dotnet pwsh ./build.ps1 -Task Bench

.EXAMPLE
# Quick look while developing (after ./build.ps1 -Task Build): one run per side (4 import rounds), no micro-benchmarks.
dotnet pwsh ./bench/Invoke-Benchmarks.ps1 -Iterations 1 -Skip micro -OutputPath out/bench/benchmarks.md
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [string] $SimulatorPath,
    # Timed runs per side of cases 1, 2, 4 and 5.
    [ValidateRange(1, 100)] [int] $Iterations = 5,
    # Rounds of case 3 (each one run of every side). Default: 4 × -Iterations (20).
    [ValidateRange(2, 200)] [int] $ImportIterations,
    [ValidateSet('micro', 'fetch', 'offline', 'import', 'history', 'sync', 'fleet')] [string[]] $Skip = @(),
    [string] $OutputPath,
    # Free text about the conditions of the run, written into the report (or set EGLWATER_BENCH_CONDITIONS).
    [string] $Conditions = $(if ($env:EGLWATER_BENCH_CONDITIONS) { $env:EGLWATER_BENCH_CONDITIONS } else { 'not stated; see the load averages' })
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
$inv = [cultureinfo]::InvariantCulture
[cultureinfo]::CurrentCulture = $inv

$Root = Split-Path $PSScriptRoot -Parent
if (-not $ModulePath) { $ModulePath = Join-Path $Root 'out/EglWater/EglWater.psd1' }
if (-not $SimulatorPath) { $SimulatorPath = Join-Path $Root 'out/simulator/EglWater.Simulator.dll' }
if (-not $OutputPath) { $OutputPath = Join-Path $Root 'docs/benchmarks.md' }
if (-not $PSBoundParameters.ContainsKey('ImportIterations')) { $ImportIterations = [math]::Max(4, 4 * $Iterations) }
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$SimulatorPath = (Resolve-Path -LiteralPath $SimulatorPath).Path
$Work = Join-Path $Root 'out/bench'
New-Item -ItemType Directory -Path $Work -Force | Out-Null
$Measure = Join-Path $PSScriptRoot 'Measure-Case.ps1'
Import-Module (Join-Path $Root 'tools/EglSimulator.psm1') -Force

# The benchmark household of the simulator (src/EglWater.Simulator/BenchAccount.cs): clean daily data from 2015.
$Bench = @{ Login = 'bench@eglwater.test'; Password = 'bench-password'; AuthKey = 'bench-auth-key' }
# The benchmark fleet (same file): 100 subscriptions (1910001..1910100), clean daily data from 2023-01-01.
$BenchFleet = @{ Login = 'benchfleet@eglwater.test'; Password = 'bench-password'; AuthKey = 'bench-auth-key' }
$FleetSize = 100
$SyncSubscription = '1910050'
$FetchStart = '2016-01-01'
$FetchEnd = '2025-12-31'
$SimulatorToday = '2026-01-01'   # pinned: the last published day is 2025-12-31 whatever the date
$HistoryFirstDay = '2023-01-01'  # the fleet's first reading
$HistoryStart = '2023-01-02'     # the first day with a consumption (its previous day has a reading), on both sides
$HistoryEnd = '2025-12-31'
$LatencyMs = 50
$OfflineCount = 100000
# The fleet of a thousand (same file): 1,000 subscriptions (1920001..1921000), each the 365 days before the simulator's
# today, the last of every hundred leaking 30 days in every 120.
$BenchFleet1000 = @{ Login = 'benchfleet1000@eglwater.test'; Password = 'bench-password'; AuthKey = 'bench-auth-key' }
$Fleet1000Size = 1000
$Fleet1000Days = 365
$FleetThrottle = 16                 # the throttle that carries the targets of case 7
$FleetThrottles = @(8, 16, 32)      # measured besides -ThrottleLimit 1

$started = Get-Date
$loadBefore = (Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -as [string]

#region helpers
function Invoke-Child {
    <# Runs `dotnet <arguments>` in the repository (so `dotnet pwsh` finds the local tool); returns its stdout and the wall time. #>
    param([Parameter(Mandatory)] [string[]] $Arguments, [switch] $AllowFailure)
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.WorkingDirectory = $Root
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $p = [System.Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEndAsync()
    $err = $p.StandardError.ReadToEndAsync()
    $p.WaitForExit()
    $sw.Stop()
    $result = [pscustomobject]@{ ExitCode = $p.ExitCode; Out = $out.Result; Err = $err.Result; WallMs = $sw.Elapsed.TotalMilliseconds }
    $p.Dispose()
    if ($result.ExitCode -ne 0 -and -not $AllowFailure) {
        throw "dotnet $($Arguments -join ' ') failed ($($result.ExitCode)):`n$($result.Out)`n$($result.Err)"
    }
    $result
}

function Get-Step($Steps, [string] $Name) {
    if ($null -ne $Steps -and $Steps.PSObject.Properties[$Name]) { [double]$Steps.$Name } else { 0.0 }
}

function Get-List($Object, [string] $Name) {
    if ($Object.PSObject.Properties[$Name]) { @($Object.$Name) } else { @() }
}

function Invoke-Case {
    <# One run of one side in a fresh pwsh (bench/Measure-Case.ps1): returns its measurements. #>
    param([Parameter(Mandatory)] [hashtable] $Parameters, [string] $ResultPath)
    $arguments = @('pwsh', '-NoProfile', '-NonInteractive', '-File', $Measure)
    foreach ($k in $Parameters.Keys) { $arguments += "-$k"; $arguments += [string]$Parameters[$k] }
    if ($ResultPath) { $arguments += '-ResultPath'; $arguments += $ResultPath }
    $r = Invoke-Child -Arguments $arguments
    $line = ($r.Out -split "`n" | Where-Object { $_ -match '^\{.*"ms"' } | Select-Object -Last 1)
    if (-not $line) { throw "No measurement in the output of $($Parameters.Case)/$($Parameters.Side):`n$($r.Out)`n$($r.Err)" }
    $m = $line | ConvertFrom-Json
    $import = Get-Step $m.steps 'importMs'
    $connect = Get-Step $m.steps 'connectMs'
    [pscustomobject]@{
        Ms = [double]$m.ms; WarmMs = [double]$m.warmMs; WallMs = $r.WallMs; PeakKiB = [long]$m.peakKiB; Rows = [int]$m.rows
        ImportMs = $import; NoImportMs = [double]$m.ms - $import; ConnectMs = $connect
        FetchMs = [double]$m.ms - $import - $connect; SyncMs = Get-Step $m.steps 'syncMs'
        LoginSyncMs = $connect + (Get-Step $m.steps 'syncMs')
        WarmSyncMs = Get-Step $m.warmSteps 'syncMs'; WarmConnectMs = Get-Step $m.warmSteps 'connectMs'
        Sync = Get-List $m 'sync'; Contexts = Get-List $m 'contexts'; Assemblies = Get-List $m 'assemblies'
        CpuMs = $(if ($m.PSObject.Properties['cpuMs']) { [double]$m.cpuMs } else { 0.0 }); LeakMs = Get-Step $m.steps 'leakMs'; WarmLeakMs = Get-Step $m.warmSteps 'leakMs'
    }
}

function Get-Percentile([double[]] $Sorted, [double] $P) {
    # Linear interpolation between closest ranks (the definition of Excel's PERCENTILE.INC and R's type 7).
    $h = ($Sorted.Count - 1) * $P
    $lo = [math]::Floor($h)
    $hi = [math]::Min($lo + 1, $Sorted.Count - 1)
    $Sorted[$lo] + ($h - $lo) * ($Sorted[$hi] - $Sorted[$lo])
}

function Get-Stats {
    param([double[]] $Values)
    $sorted = [double[]]@($Values | Sort-Object)
    [pscustomobject]@{
        Median = Get-Percentile $sorted 0.5; Q1 = Get-Percentile $sorted 0.25; Q3 = Get-Percentile $sorted 0.75
        Min = $sorted[0]; Max = $sorted[-1]; N = $sorted.Count
    }
}

function Invoke-Alternating {
    <#
    Runs each side once untimed (warm-up: disk cache, the dotnet tool resolution; not again for the sides in
    $WarmedUp, which have just run untimed to check their output), then $Count rounds of one run of every side,
    back to back, the order alternating (A B C, C B A, A B C, ...). Returns side name -> list of measurements
    (item i of every list is from round i: pairs for paired differences).
    #>
    param([Parameter(Mandatory)] [System.Collections.Specialized.OrderedDictionary] $Sides, [int] $Count, [string] $Label, [string[]] $WarmedUp = @())
    $names = @($Sides.Keys)
    $runs = [ordered]@{}
    foreach ($n in $names) { $runs[$n] = [System.Collections.Generic.List[object]]::new() }
    foreach ($n in $names | Where-Object { $_ -notin $WarmedUp }) { Write-Host "  $Label warm-up: $n"; $null = & $Sides[$n] }
    for ($i = 0; $i -lt $Count; $i++) {
        $order = if ($i % 2) { $names[($names.Count - 1)..0] } else { $names }
        foreach ($n in $order) {
            $m = & $Sides[$n]
            $runs[$n].Add($m)
            $extra = if ($m.WallMs -gt 0) { '  (process {0:N0} ms, peak {1:N0} MiB)' -f $m.WallMs, ($m.PeakKiB / 1024) } else { '' }
            Write-Host ('  {0} run {1}/{2} {3,-30} {4,9:N0} ms{5}' -f $Label, ($i + 1), $Count, $n, $m.Ms, $extra)
        }
    }
    $runs
}

function Compare-Daily {
    <#
    The two sides' daily rows (the lines Measure-Case.ps1 -ResultPath writes: SubscriptionNumber,Date,Liters), row
    by row: same days, same litres, and the same subscription with -BySubscription (else that column is ignored:
    the script's online and single-file rows do not carry it). Throws on the first differences; returns the number of rows.
    #>
    param([string] $Expected, [string] $Actual, [string] $What, [switch] $BySubscription)
    $a = [System.IO.File]::ReadAllLines($Expected)
    $b = [System.IO.File]::ReadAllLines($Actual)
    $key = if ($BySubscription) { { param($line) $line } } else { { param($line) $line.Substring($line.IndexOf(',') + 1) } }
    $diffs = [System.Collections.Generic.List[string]]::new()
    if ($a.Count -ne $b.Count) { $diffs.Add("row counts differ: $($a.Count - 1) vs $($b.Count - 1)") }
    $n = [math]::Min($a.Count, $b.Count)
    for ($i = 1; $i -lt $n -and $diffs.Count -lt 10; $i++) {
        if ((& $key $a[$i]) -cne (& $key $b[$i])) { $diffs.Add("row $i`: $($a[$i]) vs $($b[$i])") }
    }
    $subscriptions = 1
    if ($BySubscription) {
        $set = [System.Collections.Generic.HashSet[string]]::new()
        for ($i = 1; $i -lt $a.Count; $i++) { $s = $a[$i].Substring(0, $a[$i].IndexOf(',')); if (-not $s) { $diffs.Add("row $i has no subscription number"); break }; $null = $set.Add($s) }
        $subscriptions = $set.Count
    }
    if ($diffs.Count) { throw "$What`: the two sides disagree:`n  $($diffs -join "`n  ")" }
    Write-Host "  $What`: both sides give the same $($a.Count - 1) daily rows (dates and litres$(if ($BySubscription) { ", $subscriptions subscriptions" }))."
    $a.Count - 1
}

function Format-Ms([double] $ms) { if ([math]::Abs($ms) -ge 10000) { '{0:N1} s' -f ($ms / 1000) } else { '{0:N0} ms' -f $ms } }
function Format-MiB([double] $kib) { '{0:N0} MiB' -f ($kib / 1024) }
function Format-Ratio([double] $x) { if ($x -ge 10) { '{0:N0}×' -f $x } else { '{0:N2}×' -f $x } }
#endregion

$results = [System.Collections.Generic.List[object]]::new()   # rows of the figures table
$pairs = [System.Collections.Generic.List[object]]::new()     # rows of the import table (paired differences)
$notes = [System.Collections.Generic.List[string]]::new()
$checks = [System.Collections.Generic.List[string]]::new()     # what was verified before timing
$facts = @{}                                                   # figures the verdicts and the findings quote
$micro = $null
$caseStarts = [ordered]@{}                                     # when each case began (the log and the report give each one's duration)

function Add-Figures {
    <#
    One row per side: median, min, max of $Property over the runs, and the ratio of the side's median to the
    reference side's. The target goes on the row of $TargetSide (default: the reference).
    #>
    param([string] $Case, [System.Collections.Specialized.OrderedDictionary] $Runs, [string] $Property, [scriptblock] $Format,
        [string] $Reference, [string] $Target, [string] $TargetSide, [string[]] $Sides)
    if (-not $TargetSide) { $TargetSide = $Reference }
    if (-not $Sides) { $Sides = @($Runs.Keys) }
    $refStats = if ($Reference) { Get-Stats ($Runs[$Reference] | ForEach-Object $Property) } else { $null }
    foreach ($side in $Sides) {
        $s = Get-Stats ($Runs[$side] | ForEach-Object $Property)
        $ratio = if ($refStats -and $side -ne $Reference -and $refStats.Median -gt 0) { Format-Ratio ($s.Median / $refStats.Median) } else { '' }
        $results.Add([pscustomobject]@{
                Case = $Case; Side = $side; Runs = $s.N
                Median = & $Format $s.Median; Min = & $Format $s.Min; Max = & $Format $s.Max
                Ratio = $ratio; Target = if ($side -eq $TargetSide) { $Target } else { '' }
                MedianValue = $s.Median
            })
    }
}

function Get-Median($Runs, [string] $Property) { (Get-Stats ($Runs | ForEach-Object $Property)).Median }

#region micro-benchmarks
if ('micro' -notin $Skip) {
    $caseStarts['micro'] = Get-Date
    Write-Host '== micro-benchmarks (BenchmarkDotNet)'
    $project = Join-Path $Root 'tests/EglWater.Benchmarks/EglWater.Benchmarks.csproj'
    $null = Invoke-Child -Arguments @('build', $project, '-c', 'Release', '-nologo', '-v', 'quiet', '-clp:NoSummary;ErrorsOnly')
    $dll = Join-Path $Root 'tests/EglWater.Benchmarks/bin/Release/net10.0/EglWater.Benchmarks.dll'
    $artifacts = Join-Path $Work 'bdn'
    if (Test-Path $artifacts) { Remove-Item $artifacts -Recurse -Force }
    $r = Invoke-Child -Arguments @($dll, '--filter', '*', '--artifacts', $artifacts)
    $report = Get-ChildItem (Join-Path $artifacts 'results') -Filter 'BenchmarkRun-joined-*-report-github.md' | Sort-Object LastWriteTime | Select-Object -Last 1
    if (-not $report) { throw "BenchmarkDotNet wrote no report:`n$($r.Out)" }
    $micro = (Get-Content -LiteralPath $report.FullName -Raw).Trim()
    Write-Host $micro
}
#endregion

#region 1. fetch (and 6. memory)
$fetchRows = $null
if ('fetch' -notin $Skip) {
    $caseStarts['fetch'] = Get-Date
    Write-Host "== 1. fetch: ten years ($FetchStart..$FetchEnd) from the simulator, $LatencyMs ms per request"
    $sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', $SimulatorToday, '--latency-ms', "$LatencyMs"
    try {
        $common = @{ Case = 'Fetch'; ModulePath = $ModulePath; BaseUri = $sim.BaseUri.AbsoluteUri; StartDate = $FetchStart; EndDate = $FetchEnd } + $Bench
        $eglResult = Join-Path $Work 'fetch-eglwater.csv'
        $baseResult = Join-Path $Work 'fetch-baseline.csv'
        # The data requests of one EglWater fetch, from the simulator's log: a run fetches twice (cold, then warm).
        $logUri = "$($sim.RootUri)_simulator/requests?login=$([uri]::EscapeDataString($Bench.Login))"
        $null = Invoke-Case -Parameters ($common + @{ Side = 'EglWater' }) -ResultPath $eglResult
        $facts.FetchRequests = @(Invoke-RestMethod -Uri $logUri | ForEach-Object { $_ } | Where-Object { $_.route -eq 'data' }).Count / 2
        $null = Invoke-Case -Parameters ($common + @{ Side = 'Baseline' }) -ResultPath $baseResult
        $fetchRows = Compare-Daily -Expected $baseResult -Actual $eglResult -What 'fetch'
        $checks.Add("Case 1: both sides gave the same $($fetchRows.ToString('N0', $inv)) daily rows, day by day (dates and litres).")
        $checks.Add("Case 1: one Get-EglConsumption of the ten years sent $($facts.FetchRequests) data requests (the simulator's log); the script sends one per calendar year of [start - 1 day, end], 11.")
        $sides = [ordered]@{
            'EglWater'         = { Invoke-Case -Parameters ($common + @{ Side = 'EglWater' }) }
            'baseline-irm.ps1' = { Invoke-Case -Parameters ($common + @{ Side = 'Baseline' }) }
        }
        $runs = Invoke-Alternating -Sides $sides -Count $Iterations -Label 'fetch' -WarmedUp @($sides.Keys)
        Add-Figures -Case '1. fetch 10 years, daily' -Runs $runs -Property Ms -Format { param($v) Format-Ms $v } -Reference 'EglWater' -Target 'script ≥ 3× EglWater'
        Add-Figures -Case '1. fetch, Import-Module excluded' -Runs $runs -Property NoImportMs -Format { param($v) Format-Ms $v } -Reference 'EglWater' -Target ''
        Add-Figures -Case '1. fetch, warm (same again)' -Runs $runs -Property WarmMs -Format { param($v) Format-Ms $v } -Reference 'EglWater' -Target ''
        Add-Figures -Case '1. fetch: Import-Module' -Runs $runs -Property ImportMs -Format { param($v) Format-Ms $v } -Sides 'EglWater'
        Add-Figures -Case '1. fetch: credential + Connect-Egl' -Runs $runs -Property ConnectMs -Format { param($v) Format-Ms $v } -Sides 'EglWater'
        Add-Figures -Case '1. fetch: Get-EglConsumption' -Runs $runs -Property FetchMs -Format { param($v) Format-Ms $v } -Sides 'EglWater'
        Add-Figures -Case '6. peak memory of 1 (VmHWM)' -Runs $runs -Property PeakKiB -Format { param($v) Format-MiB $v } -Reference 'EglWater' -Target ''
        $facts.Fetch = @{ Egl = Get-Median $runs['EglWater'] Ms; Script = Get-Median $runs['baseline-irm.ps1'] Ms
            Import = Get-Median $runs['EglWater'] ImportMs; Connect = Get-Median $runs['EglWater'] ConnectMs; Get = Get-Median $runs['EglWater'] FetchMs
            EglWarm = Get-Median $runs['EglWater'] WarmMs; ScriptWarm = Get-Median $runs['baseline-irm.ps1'] WarmMs
            EglPeak = Get-Median $runs['EglWater'] PeakKiB; ScriptPeak = Get-Median $runs['baseline-irm.ps1'] PeakKiB }
    } finally {
        Stop-EglSimulator $sim
    }
}
#endregion

#region 2. offline
$offlineRows = $null
if ('offline' -notin $Skip) {
    $caseStarts['offline'] = Get-Date
    Write-Host "== 2. offline: $OfflineCount readings from a CSV file"
    $csv = Join-Path $Work 'readings-100k.csv'
    # The file Get-EglIndex | Export-Csv writes (the module's own reading objects, invariant culture),
    # one subscription, one real reading a day, ending 2025-12-31.
    $gen = @"
`$ErrorActionPreference = 'Stop'
[cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
Import-Module '$($ModulePath -replace "'", "''")'
`$day = [datetime]::new(2025, 12, 31).AddDays(-($OfflineCount - 1))
`$index = 562362.0
. { for (`$k = 0; `$k -lt $OfflineCount; `$k++) {
    if (`$k) { `$index += 200 + ((`$k * 7919) % 300) }
    [EglWater.EglIndexReading]::new(1895683, `$day.AddDays(`$k), `$index, 'R')
} } | Export-Csv -LiteralPath '$($csv -replace "'", "''")' -NoTypeInformation
"@
    $null = Invoke-Child -Arguments @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $gen)
    Write-Host "  wrote $csv"

    $common = @{ Case = 'Offline'; CsvPath = $csv; ModulePath = $ModulePath }
    $eglResult = Join-Path $Work 'offline-eglwater.csv'
    $baseResult = Join-Path $Work 'offline-baseline.csv'
    $null = Invoke-Case -Parameters ($common + @{ Side = 'EglWater' }) -ResultPath $eglResult
    $null = Invoke-Case -Parameters ($common + @{ Side = 'Baseline' }) -ResultPath $baseResult
    $offlineRows = Compare-Daily -Expected $baseResult -Actual $eglResult -What 'offline'
    $checks.Add("Case 2: both sides gave the same $($offlineRows.ToString('N0', $inv)) daily rows, day by day (dates and litres).")
    $sides = [ordered]@{
        'Import-Csv | Get-EglConsumption' = { Invoke-Case -Parameters ($common + @{ Side = 'EglWater' }) }
        'Import-Csv alone (floor)'        = { Invoke-Case -Parameters ($common + @{ Side = 'ImportCsv' }) }
        'baseline-irm.ps1 -CsvPath'       = { Invoke-Case -Parameters ($common + @{ Side = 'Baseline' }) }
    }
    $runs = Invoke-Alternating -Sides $sides -Count $Iterations -Label 'offline' -WarmedUp 'Import-Csv | Get-EglConsumption', 'baseline-irm.ps1 -CsvPath'
    Add-Figures -Case '2. offline 100k readings' -Runs $runs -Property Ms -Format { param($v) Format-Ms $v } -Reference 'Import-Csv alone (floor)' -TargetSide 'Import-Csv | Get-EglConsumption' -Target '≤ 1.5× the floor'
    Add-Figures -Case '2. offline: Import-Module' -Runs $runs -Property ImportMs -Format { param($v) Format-Ms $v } -Sides 'Import-Csv | Get-EglConsumption'
    $facts.Offline = @{ Egl = Get-Median $runs['Import-Csv | Get-EglConsumption'] Ms; Floor = Get-Median $runs['Import-Csv alone (floor)'] Ms
        Script = Get-Median $runs['baseline-irm.ps1 -CsvPath'] Ms; Import = Get-Median $runs['Import-Csv | Get-EglConsumption'] ImportMs }
}
#endregion

#region 3. import
if ('import' -notin $Skip) {
    $caseStarts['import'] = Get-Date
    Write-Host "== 3. import overhead over an empty binary module ($ImportIterations rounds)"
    # The empty module of the same kind as EglWater: a manifest whose RootModule is a binary dll with one cmdlet,
    # compiled here (Add-Type, against this pwsh's System.Management.Automation). Importing it pays what any binary
    # module pays: the manifest, the module machinery's first use, Assembly.LoadFrom, the scan for cmdlets.
    $emptyDir = Join-Path $Work 'EmptyBinaryModule'
    if (Test-Path $emptyDir) { Remove-Item $emptyDir -Recurse -Force }
    New-Item -ItemType Directory -Path $emptyDir -Force | Out-Null
    $emptyManifest = Join-Path $emptyDir 'EmptyBinaryModule.psd1'
    $make = @"
`$ErrorActionPreference = 'Stop'
Add-Type -OutputAssembly '$(Join-Path $emptyDir 'EmptyBinaryModule.dll')' -OutputType Library -TypeDefinition @'
using System.Management.Automation;
namespace EmptyBinaryModule
{
    [Cmdlet(VerbsCommon.Get, "EmptyBinary")]
    public sealed class GetEmptyBinaryCommand : PSCmdlet
    {
        protected override void ProcessRecord() { WriteObject(1); }
    }
}
'@
"@
    $null = Invoke-Child -Arguments @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $make)
    Set-Content -LiteralPath $emptyManifest -Value @"
@{
    ModuleVersion     = '1.0.0'
    GUID              = '0b6a5b7e-1f7c-4f25-9a57-3e1d9c0f2b11'
    RootModule        = 'EmptyBinaryModule.dll'
    CmdletsToExport   = @('Get-EmptyBinary')
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
"@
    $probe = Invoke-Child -Arguments @('pwsh', '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$emptyManifest'; if ((Get-EmptyBinary) -ne 1) { throw 'the empty module does not work' }")

    $sides = [ordered]@{
        'Import-Module EglWater'           = { [pscustomobject]@{ Ms = (Invoke-Child -Arguments @('pwsh', '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModulePath'")).WallMs; WallMs = 0; PeakKiB = 0 } }
        'Import-Module empty binary module' = { [pscustomobject]@{ Ms = (Invoke-Child -Arguments @('pwsh', '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$emptyManifest'")).WallMs; WallMs = 0; PeakKiB = 0 } }
    }
    $runs = Invoke-Alternating -Sides $sides -Count $ImportIterations -Label 'import'
    Add-Figures -Case '3. process start + import (wall)' -Runs $runs -Property Ms -Format { param($v) Format-Ms $v } -Reference 'Import-Module empty binary module' -Target ''

    function Add-Pairs([string] $What, $A, $B, [string] $Target) {
        $d = for ($i = 0; $i -lt $A.Count; $i++) { $A[$i].Ms - $B[$i].Ms }
        $s = Get-Stats $d
        $pairs.Add([pscustomobject]@{ Comparison = $What; Rounds = $s.N; Median = Format-Ms $s.Median; Q1 = Format-Ms $s.Q1; Q3 = Format-Ms $s.Q3; Min = Format-Ms $s.Min; Max = Format-Ms $s.Max; Target = $Target; Stats = $s })
        $s
    }
    $facts.ImportPaired = Add-Pairs 'EglWater − empty binary module (wall time of the process)' $runs['Import-Module EglWater'] $runs['Import-Module empty binary module'] '≤ 50 ms'

    # Import-Module alone, timed inside fresh processes, and what it loaded.
    $inside = [ordered]@{
        'EglWater'            = { Invoke-Case -Parameters @{ Case = 'Import'; Side = 'EglWater'; ModulePath = $ModulePath } }
        'empty binary module' = { Invoke-Case -Parameters @{ Case = 'Import'; Side = 'EmptyModule'; ModulePath = $emptyManifest } }
    }
    $insideCount = [math]::Max(2, [math]::Ceiling($ImportIterations / 4))
    $insideRuns = Invoke-Alternating -Sides $inside -Count $insideCount -Label 'import (in process)' -WarmedUp @($inside.Keys)
    Add-Figures -Case '3. Import-Module alone, in a fresh process' -Runs $insideRuns -Property Ms -Format { param($v) Format-Ms $v } -Reference 'empty binary module' -Target ''
    $facts.ImportInside = Add-Pairs 'EglWater − empty binary module (Stopwatch around Import-Module, in process)' $insideRuns['EglWater'] $insideRuns['empty binary module'] ''

    # The assemblies each import loaded: EglWater's beyond what the empty module's import loads too.
    $eglLoaded = @($insideRuns['EglWater'] | ForEach-Object { $_.Assemblies } | ForEach-Object { "$($_.name)|$($_.context)|$($_.file)" } | Sort-Object -Unique)
    $emptyLoaded = @($insideRuns['empty binary module'] | ForEach-Object { $_.Assemblies } | ForEach-Object { $_.name } | Sort-Object -Unique)
    $moduleDir = Split-Path $ModulePath -Parent
    $own = @($eglLoaded | Where-Object { ($_ -split '\|')[2].StartsWith($moduleDir) })
    $others = @($eglLoaded | Where-Object { -not ($_ -split '\|')[2].StartsWith($moduleDir) } | ForEach-Object { ($_ -split '\|')[0] })
    $ownText = ($own | ForEach-Object { $p = $_ -split '\|'; '{0} (load context {1}, {2})' -f $p[0], $p[1], [System.IO.Path]::GetRelativePath($moduleDir, $p[2]) }) -join '; '
    $othersText = if ($others.Count) { ($others | ForEach-Object { if ($_ -in $emptyLoaded) { "$_ (the empty module's import loads it too)" } else { $_ } }) -join ', ' } else { 'none' }
    $lazy = $own.Count -eq 1 -and ($own[0] -split '\|')[0] -eq 'EglWater'
    $facts.Assemblies = [pscustomobject]@{ Lazy = $lazy; Own = $ownText; Others = $othersText }
    $checks.Add("Case 3: assemblies loaded by Import-Module EglWater (difference before/after, in every in-process run): from the module's folder, $ownText; others, $othersText. $(if ($lazy) { 'Only EglWater.dll: the backends (EglWater.Backends, Polly, SQLite) wait for their first use.' } else { 'NOT only EglWater.dll: something loads at import that should wait for its first use.' })")
}
#endregion

#region 4. history store read
$historyRows = $null
$historyStore = Join-Path $Work 'history-100x3y.db'
if ('history' -notin $Skip) {
    $caseStarts['history'] = Get-Date
    Write-Host "== 4. history: Get-EglConsumption -HistoryPath, $FleetSize subscriptions × 3 years, vs the script on the same readings as CSV"
    $historyCsv = Join-Path $Work 'history-100x3y.csv'
    # Built once per run, untimed: a first sync of every subscription of the benchmark fleet (the simulator with no
    # latency, today pinned), then the store's readings exported as Get-EglIndex | Export-Csv writes them.
    $sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', $SimulatorToday, '--latency-ms', '0'
    try {
        $setup = @"
`$ErrorActionPreference = 'Stop'
[cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
Import-Module '$($ModulePath -replace "'", "''")'
Remove-Item -LiteralPath '$historyStore', '$historyStore-journal' -ErrorAction SilentlyContinue
Connect-Egl -Credential ([pscredential]::new('$($BenchFleet.Login)', (ConvertTo-SecureString '$($BenchFleet.Password)' -AsPlainText -Force))) -AuthKey '$($BenchFleet.AuthKey)' -BaseUri '$($sim.BaseUri.AbsoluteUri)'
`$sw = [System.Diagnostics.Stopwatch]::StartNew()
`$r = @(Sync-EglHistory -Path '$historyStore')
`$syncMs = `$sw.Elapsed.TotalMilliseconds
`$bad = @(`$r | Where-Object { `$_.FailedRequests -or -not `$_.HistoryComplete })
if (`$r.Count -ne $FleetSize -or `$bad.Count) { throw "the first sync gave `$(`$r.Count) results, `$(`$bad.Count) incomplete" }
`$sw.Restart()
Get-EglIndex -HistoryPath '$historyStore' -StartDate '$HistoryFirstDay' -EndDate '$HistoryEnd' | Export-Csv -LiteralPath '$historyCsv' -NoTypeInformation
[ordered]@{ syncMs = `$syncMs; exportMs = `$sw.Elapsed.TotalMilliseconds; requests = (`$r | Measure-Object Requests -Sum).Sum; days = (`$r | Measure-Object DaysAdded -Sum).Sum } | ConvertTo-Json -Compress
"@
        $out = (Invoke-Child -Arguments @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $setup)).Out
        $built = ($out -split "`n" | Where-Object { $_ -match '^\{' } | Select-Object -Last 1) | ConvertFrom-Json
    } finally {
        Stop-EglSimulator $sim
    }
    $facts.HistoryBuild = $built
    $csvRows = 0; foreach ($line in [System.IO.File]::ReadLines($historyCsv)) { $csvRows++ }
    $csvRows--   # the header
    Write-Host ("  store: {0:N0} days of {1} subscriptions in {2:N0} requests, first sync {3:N1} s; {4:N1} MiB; CSV {5:N0} readings, {6:N1} MiB" -f $built.days, $FleetSize, $built.requests, ($built.syncMs / 1000), ((Get-Item $historyStore).Length / 1MB), $csvRows, ((Get-Item $historyCsv).Length / 1MB))
    if ($csvRows -ne $built.days) { throw "history: the CSV holds $csvRows readings, the store $($built.days) days." }

    $common = @{ Case = 'History'; ModulePath = $ModulePath; HistoryPath = $historyStore; CsvPath = $historyCsv; StartDate = $HistoryStart; EndDate = $HistoryEnd }
    $eglResult = Join-Path $Work 'history-eglwater.csv'
    $baseResult = Join-Path $Work 'history-baseline.csv'
    $null = Invoke-Case -Parameters ($common + @{ Side = 'EglWater' }) -ResultPath $eglResult
    $null = Invoke-Case -Parameters ($common + @{ Side = 'Baseline' }) -ResultPath $baseResult
    $historyRows = Compare-Daily -Expected $baseResult -Actual $eglResult -What 'history' -BySubscription
    $checks.Add("Case 4: both sides gave the same $($historyRows.ToString('N0', $inv)) daily rows, row by row (subscription, date and litres; $FleetSize subscriptions × 1,095 days, $HistoryStart to $HistoryEnd).")
    $sides = [ordered]@{
        'Get-EglConsumption -HistoryPath' = { Invoke-Case -Parameters ($common + @{ Side = 'EglWater' }) }
        'baseline-irm.ps1 -CsvPath'       = { Invoke-Case -Parameters ($common + @{ Side = 'Baseline' }) }
    }
    $runs = Invoke-Alternating -Sides $sides -Count $Iterations -Label 'history' -WarmedUp @($sides.Keys)
    $egl = 'Get-EglConsumption -HistoryPath'
    Add-Figures -Case '4. history 100 × 3 years, daily' -Runs $runs -Property Ms -Format { param($v) Format-Ms $v } -Reference $egl -Target 'script ≥ 20× EglWater'
    Add-Figures -Case '4. history: Import-Module' -Runs $runs -Property ImportMs -Format { param($v) Format-Ms $v } -Sides $egl
    Add-Figures -Case '4. history, Import-Module excluded' -Runs $runs -Property NoImportMs -Format { param($v) Format-Ms $v } -Sides $egl
    Add-Figures -Case '4. history, warm (same again)' -Runs $runs -Property WarmMs -Format { param($v) Format-Ms $v } -Sides $egl
    $contexts = @($runs[$egl] | Select-Object -First 1 | ForEach-Object { $_.Contexts }) | ForEach-Object { "$($_.name): $($_.assemblies -join ', ')" }
    $facts.History = @{ Egl = Get-Median $runs[$egl] Ms; Script = Get-Median $runs['baseline-irm.ps1 -CsvPath'] Ms; Import = Get-Median $runs[$egl] ImportMs
        Warm = Get-Median $runs[$egl] WarmMs; Contexts = $contexts -join '; ' }
    $checks.Add("Case 4: after the read, the module's assemblies by load context: $($facts.History.Contexts).")
}
#endregion

#region 5. incremental sync
if ('sync' -notin $Skip) {
    $caseStarts['sync'] = Get-Date
    # Today in Paris, as the module sees it: an up-to-date store is up to date with the real today, so the simulator
    # publishes up to it (the pinned today of cases 1 and 4 would leave the module asking for days the simulator
    # does not know yet; still one request, but not the up-to-date store of a daily runbook).
    $paris = [TimeZoneInfo]::FindSystemTimeZoneById('Europe/Paris')
    $today = [TimeZoneInfo]::ConvertTime([DateTimeOffset]::UtcNow, $paris).ToString('yyyy-MM-dd', $inv)
    Write-Host "== 5. incremental sync of subscription $SyncSubscription, store up to date, $LatencyMs ms per request (simulator today $today)"
    $syncStore = Join-Path $Work 'history-sync.db'
    Remove-Item -LiteralPath $syncStore, "$syncStore-journal" -ErrorAction SilentlyContinue
    $fromCase4 = Test-Path -LiteralPath $historyStore
    if ($fromCase4) { Copy-Item -LiteralPath $historyStore -Destination $syncStore }
    $sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', $today, '--latency-ms', "$LatencyMs"
    try {
        $common = @{ Case = 'Sync'; ModulePath = $ModulePath; BaseUri = $sim.BaseUri.AbsoluteUri; HistoryPath = $syncStore; SubscriptionNumber = $SyncSubscription } + $BenchFleet
        $logUri = "$($sim.RootUri)_simulator/requests?login=$([uri]::EscapeDataString($BenchFleet.Login))"
        function Get-DataRequestCount { @(Invoke-RestMethod -Uri $logUri | ForEach-Object { $_ } | Where-Object { $_.route -eq 'data' }).Count }
        # Untimed: bring the subscription up to date (from the copy of case 4's store, or from nothing).
        $first = Invoke-Case -Parameters ($common + @{ Side = 'EglWater' })
        $checked = [System.Collections.Generic.List[object]]::new()
        $sides = [ordered]@{
            'Sync-EglHistory (1 subscription)' = {
                $before = Get-DataRequestCount
                $m = Invoke-Case -Parameters ($common + @{ Side = 'EglWater' })
                $sent = (Get-DataRequestCount) - $before
                $checked.Add([pscustomobject]@{ Syncs = $m.Sync.Count; Requests = $sent; Reported = ($m.Sync | Measure-Object requests -Sum).Sum; Added = ($m.Sync | Measure-Object added -Sum).Sum })
                $m
            }
        }
        $runs = Invoke-Alternating -Sides $sides -Count $Iterations -Label 'sync'
        $side = 'Sync-EglHistory (1 subscription)'
        Add-Figures -Case '5. sync, cold: Connect-Egl + Sync-EglHistory' -Runs $runs -Property LoginSyncMs -Format { param($v) Format-Ms $v } -Reference $side -Target '< 1 s'
        Add-Figures -Case '5. sync, cold: Sync-EglHistory alone' -Runs $runs -Property SyncMs -Format { param($v) Format-Ms $v } -Sides $side
        Add-Figures -Case '5. sync, cold: Import-Module before them' -Runs $runs -Property ImportMs -Format { param($v) Format-Ms $v } -Sides $side
        Add-Figures -Case '5. sync, warm: Connect-Egl + Sync-EglHistory' -Runs $runs -Property WarmMs -Format { param($v) Format-Ms $v } -Sides $side
        Add-Figures -Case '5. sync, warm: Sync-EglHistory alone' -Runs $runs -Property WarmSyncMs -Format { param($v) Format-Ms $v } -Sides $side
        $syncs = ($checked | Measure-Object Syncs -Sum).Sum
        $sent = ($checked | Measure-Object Requests -Sum).Sum
        $added = ($checked | Measure-Object Added -Sum).Sum
        $oneEach = $syncs -gt 0 -and $sent -eq $syncs -and ($checked | Measure-Object Reported -Sum).Sum -eq $syncs
        $facts.Sync = @{ LoginSync = Get-Median $runs[$side] LoginSyncMs; Sync = Get-Median $runs[$side] SyncMs; Syncs = $syncs; Sent = $sent; OneEach = $oneEach
            WarmSync = Get-Median $runs[$side] WarmSyncMs; Import = Get-Median $runs[$side] ImportMs; Connect = Get-Median $runs[$side] ConnectMs
            CatchUp = ($first.Sync | Measure-Object added -Sum).Sum; FromCase4 = $fromCase4; Today = $today }
        $checks.Add("Case 5: the simulator logged $sent data request(s) for the $syncs syncs of the warm-up and timed runs (a cold and a warm one in each process), and each EglSyncResult reported $(if ($oneEach) { 'one request' } else { 'OTHER THAN one request' }); $added day(s) added by them (the store was up to date: an untimed sync first added $($facts.Sync.CatchUp) day(s) to $(if ($fromCase4) { "a copy of case 4's store" } else { 'an empty store' }), up to the simulator's today $today).")
    } finally {
        Stop-EglSimulator $sim
    }
}
#endregion

#region 7. fleet
if ('fleet' -notin $Skip) {
    $caseStarts['fleet'] = Get-Date
    Import-Module (Join-Path $Root 'tools/EglPostgres.psm1') -Force
    # The simulator's today: yesterday in Paris, so that the fleet's year ends two days before the module's today (the
    # real one) and moving the simulator's today a day forward publishes one more day, as a night does.
    $paris = [TimeZoneInfo]::FindSystemTimeZoneById('Europe/Paris')
    $parisToday = [TimeZoneInfo]::ConvertTime([DateTimeOffset]::UtcNow, $paris).Date
    $fleetToday = $parisToday.AddDays(-1)
    $fleetFirst = $fleetToday.AddDays(-$Fleet1000Days).ToString('yyyy-MM-dd', $inv)
    $fleetLast = $fleetToday.AddDays(-1).ToString('yyyy-MM-dd', $inv)
    $fleetDays = $Fleet1000Size * $Fleet1000Days
    $fleetRuns = [math]::Min($Iterations, 2)
    $leakRuns = [math]::Min($Iterations, 3)
    Write-Host "== 7. fleet: $Fleet1000Size subscriptions × $Fleet1000Days days ($fleetFirst..$fleetLast) into PostgreSQL, $LatencyMs ms per request"
    foreach ($folder in @(Remove-EglPostgresLeftover)) { Write-Host "  removed a leftover PostgreSQL cluster: $folder" }
    $pg = $null; $sim = $null; $sim0 = $null
    $savedPassword = $env:PGPASSWORD
    try {
        $pg = Start-EglPostgres -Database 'eglwater_bench' -UserName 'egl_bench'
        Write-Host "  PostgreSQL $($pg.Version) on port $($pg.Port)"
        $facts.FleetPg = "PostgreSQL $($pg.Version), tools/EglPostgres.psm1"
        # The password reaches the timed processes the way a runbook's does: PGPASSWORD (never on a command line).
        $env:PGPASSWORD = $pg.Password
        $sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', $fleetToday.ToString('yyyy-MM-dd', $inv), '--latency-ms', "$LatencyMs"
        $sim0 = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', $fleetToday.ToString('yyyy-MM-dd', $inv), '--latency-ms', '0'
        $logUri = "$($sim.RootUri)_simulator/requests?login=$([uri]::EscapeDataString($BenchFleet1000.Login))"
        $log0Uri = "$($sim0.RootUri)_simulator/requests?login=$([uri]::EscapeDataString($BenchFleet1000.Login))"
        function Get-FleetDataRequests([string] $Uri) { @(Invoke-RestMethod -Uri $Uri | ForEach-Object { $_ } | Where-Object { $_.route -eq 'data' }).Count }
        function Get-Sql([string] $Sql) { Invoke-EglPsql -Cluster $pg -Sql $Sql }
        function Reset-FleetDatabase { $null = Get-Sql 'DROP TABLE IF EXISTS egl_revisions, egl_days, egl_subscriptions, egl_schema' }

        # CPU time (ms) of a process (utime + stime; with -Children, of its reaped children too), from /proc.
        function Get-ProcCpuMs([int] $ProcessId, [switch] $Children) {
            $stat = Get-Content -LiteralPath "/proc/$ProcessId/stat" -Raw -ErrorAction SilentlyContinue
            if (-not $stat) { return 0.0 }
            $f = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
            $ticks = [long]$f[11] + [long]$f[12]
            if ($Children) { $ticks += [long]$f[13] + [long]$f[14] }
            $ticks * 10.0   # USER_HZ is 100 on Linux
        }
        # The CPU spent so far by the machine (both cores, busy and in all), the simulator given, and PostgreSQL (the
        # postmaster with the backends it reaped, and its live children: the backends of a sync have all exited when
        # its process ends).
        function Get-CpuSnapshot($Simulator) {
            $v = [long[]]((Get-Content /proc/stat -TotalCount 1) -split '\s+')[1..8]
            $pm = [int](Get-Content -LiteralPath (Join-Path $pg.DataDirectory 'postmaster.pid') -TotalCount 1)
            $pgMs = Get-ProcCpuMs $pm -Children
            foreach ($d in [System.IO.Directory]::GetDirectories('/proc')) {
                $name = [System.IO.Path]::GetFileName($d)
                if ($name -notmatch '^\d+$') { continue }
                $stat = try { [System.IO.File]::ReadAllText("$d/stat") } catch { $null }
                if ($stat -and [int]($stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')[1]) -eq $pm) { $pgMs += Get-ProcCpuMs ([int]$name) }
            }
            [pscustomobject]@{ BusyMs = ($v | Measure-Object -Sum).Sum * 10.0 - ($v[3] + $v[4]) * 10.0; AllMs = ($v | Measure-Object -Sum).Sum * 10.0
                SimMs = Get-ProcCpuMs $Simulator.Process.Id; PgMs = $pgMs }
        }

        $syncCommon = @{ Case = 'FleetSync'; Side = 'EglWater'; ModulePath = $ModulePath } + $BenchFleet1000
        $sqliteStore = Join-Path $Work 'fleet-1000x1y.db'
        $checkedRuns = [System.Collections.Generic.List[string]]::new()
        # One first sync in a fresh process into an empty store; checked (1,000 results, complete, nothing failed, the
        # rows in the database); returns the measurement with the data requests and the CPU split.
        function Invoke-FleetFirstSync([int] $Throttle, [switch] $Sqlite, [switch] $NoLatency) {
            $s = if ($NoLatency) { $sim0 } else { $sim }
            $log = if ($NoLatency) { $log0Uri } else { $logUri }
            $store = if ($Sqlite) {
                Remove-Item -LiteralPath $sqliteStore, "$sqliteStore-journal", "$sqliteStore-wal", "$sqliteStore-shm" -ErrorAction Ignore
                @{ HistoryPath = $sqliteStore }
            } else { Reset-FleetDatabase; @{ ConnectionString = $pg.ConnectionString } }
            $before = Get-FleetDataRequests $log
            $c0 = Get-CpuSnapshot $s
            $m = Invoke-Case -Parameters ($syncCommon + $store + @{ BaseUri = $s.BaseUri.AbsoluteUri; ThrottleLimit = $Throttle })
            $c1 = Get-CpuSnapshot $s
            $sent = (Get-FleetDataRequests $log) - $before
            $incomplete = @($m.Sync | Where-Object { $_.failed -or -not $_.complete })
            $added = ($m.Sync | Measure-Object added -Sum).Sum
            $rows = if ($Sqlite) { $added } else { [long](Get-Sql 'SELECT count(*) AS n FROM egl_days').n }
            $what = "$(if ($Sqlite) { 'SQLite' } else { 'PostgreSQL' }), -ThrottleLimit $Throttle$(if ($NoLatency) { ', no latency' })"
            if ($m.Sync.Count -ne $Fleet1000Size -or $incomplete.Count -or $rows -ne $fleetDays -or $added -ne $fleetDays) {
                throw "fleet, $what`: $($m.Sync.Count) results, $($incomplete.Count) failed or incomplete, $added days added, $rows rows in the store; expected $Fleet1000Size complete results and $fleetDays days."
            }
            $checkedRuns.Add($what)
            $m | Add-Member -NotePropertyMembers @{ Requests = $sent; PgCpuMs = $c1.PgMs - $c0.PgMs; SimCpuMs = $c1.SimMs - $c0.SimMs
                BusyShare = ($c1.BusyMs - $c0.BusyMs) / [math]::Max(1, $c1.AllMs - $c0.AllMs) } -PassThru
        }

        # Untimed warm-up (disk cache, the tool's resolution, PostgreSQL's first use), checked like the others.
        Write-Host "  fleet warm-up: PostgreSQL, -ThrottleLimit $FleetThrottle"
        $warm = Invoke-FleetFirstSync -Throttle $FleetThrottle
        $facts.FleetRequestsPerSub = $warm.Requests / $Fleet1000Size
        $sides = [ordered]@{}
        foreach ($t in $FleetThrottles) { $sides["PostgreSQL, -ThrottleLimit $t"] = [scriptblock]::Create("Invoke-FleetFirstSync -Throttle $t") }
        $runs = Invoke-Alternating -Sides $sides -Count $fleetRuns -Label 'fleet' -WarmedUp @($sides.Keys)
        # -ThrottleLimit 1 takes about a minute: one run.
        $one = Invoke-Alternating -Sides ([ordered]@{ 'PostgreSQL, -ThrottleLimit 1' = { Invoke-FleetFirstSync -Throttle 1 } }) -Count 1 -Label 'fleet' -WarmedUp 'PostgreSQL, -ThrottleLimit 1'
        $runs['PostgreSQL, -ThrottleLimit 1'] = $one['PostgreSQL, -ThrottleLimit 1']
        $writes = Invoke-Alternating -Sides ([ordered]@{ "PostgreSQL, -ThrottleLimit $FleetThrottle, no latency" = { Invoke-FleetFirstSync -Throttle $FleetThrottle -NoLatency } }) -Count $fleetRuns -Label 'fleet' -WarmedUp "PostgreSQL, -ThrottleLimit $FleetThrottle, no latency"
        $runs["PostgreSQL, -ThrottleLimit $FleetThrottle, no latency (the writes)"] = $writes["PostgreSQL, -ThrottleLimit $FleetThrottle, no latency"]
        $sqlite = Invoke-Alternating -Sides ([ordered]@{ "SQLite, -ThrottleLimit $FleetThrottle" = { Invoke-FleetFirstSync -Throttle $FleetThrottle -Sqlite } }) -Count $fleetRuns -Label 'fleet' -WarmedUp "SQLite, -ThrottleLimit $FleetThrottle"
        $runs["SQLite, -ThrottleLimit $FleetThrottle"] = $sqlite["SQLite, -ThrottleLimit $FleetThrottle"]
        $chosen = "PostgreSQL, -ThrottleLimit $FleetThrottle"
        $serial = 'PostgreSQL, -ThrottleLimit 1'
        Add-Figures -Case '7. fleet first sync 1,000 × 1 year: Sync-EglHistory' -Runs $runs -Property SyncMs -Format { param($v) Format-Ms $v } -Reference $chosen -TargetSide $serial -Target "≥ 10× -ThrottleLimit $FleetThrottle"
        Add-Figures -Case '7. fleet first sync, the whole process (Import-Module, Connect-Egl)' -Runs $runs -Property Ms -Format { param($v) Format-Ms $v } -Reference $chosen -Target ''
        Add-Figures -Case '7. fleet first sync: CPU of the sync''s process' -Runs $runs -Property CpuMs -Format { param($v) Format-Ms $v } -Reference $chosen -Target ''
        Add-Figures -Case '7. fleet first sync: CPU of PostgreSQL' -Runs $runs -Property PgCpuMs -Format { param($v) Format-Ms $v } -Sides @($runs.Keys | Where-Object { $_ -like 'PostgreSQL*' })
        Add-Figures -Case '7. fleet first sync: CPU of the simulator' -Runs $runs -Property SimCpuMs -Format { param($v) Format-Ms $v } -Sides @($runs.Keys)
        $floors = @{}
        foreach ($t in @(1) + $FleetThrottles) { $floors[$t] = [math]::Ceiling($Fleet1000Size / $t) * $LatencyMs }
        $writesMs = Get-Median $runs["PostgreSQL, -ThrottleLimit $FleetThrottle, no latency (the writes)"] SyncMs
        $facts.Fleet = @{
            Serial = Get-Median $runs[$serial] SyncMs; Chosen = Get-Median $runs[$chosen] SyncMs; Writes = $writesMs
            Floor = $floors[$FleetThrottle]; Sqlite = Get-Median $runs["SQLite, -ThrottleLimit $FleetThrottle"] SyncMs
            ChosenCpu = Get-Median $runs[$chosen] CpuMs; ChosenPg = Get-Median $runs[$chosen] PgCpuMs; ChosenSim = Get-Median $runs[$chosen] SimCpuMs
            ChosenBusy = Get-Median $runs[$chosen] BusyShare; SerialCpu = Get-Median $runs[$serial] CpuMs; SerialPg = Get-Median $runs[$serial] PgCpuMs
            SerialSim = Get-Median $runs[$serial] SimCpuMs; WritesCpu = Get-Median $runs["PostgreSQL, -ThrottleLimit $FleetThrottle, no latency (the writes)"] CpuMs
            WritesPg = Get-Median $runs["PostgreSQL, -ThrottleLimit $FleetThrottle, no latency (the writes)"] PgCpuMs
            SqliteCpu = Get-Median $runs["SQLite, -ThrottleLimit $FleetThrottle"] CpuMs
            Others = ($FleetThrottles | ForEach-Object { '-ThrottleLimit {0} {1} ({2:N1}× the floor of {3})' -f $_, (Format-Ms (Get-Median $runs["PostgreSQL, -ThrottleLimit $_"] SyncMs)), ((Get-Median $runs["PostgreSQL, -ThrottleLimit $_"] SyncMs) / $floors[$_]), (Format-Ms $floors[$_]) }) -join ', '
        }
        $requestsPerSub = @($runs.Values | ForEach-Object { $_ } | ForEach-Object { $_.Requests / $Fleet1000Size } | Sort-Object -Unique)
        $checks.Add(("Case 7: every first sync ({0} runs, the untimed warm-up included: {1}) gave {2:N0} EglSyncResults, each complete with no failed request, and left {3:N0} days in the store ({2:N0} × {4}, {5}..{6}), counted in the database (``SELECT count(*) FROM egl_days``) for PostgreSQL; the simulator logged {7} data requests per subscription (the backward walk's first two requests, sent together: the year, then the calendar year before it, empty)." -f
                $checkedRuns.Count, (($checkedRuns | Group-Object | ForEach-Object { "$($_.Count) × $($_.Name)" }) -join '; '), $Fleet1000Size, $fleetDays, $Fleet1000Days, $fleetFirst, $fleetLast, ($requestsPerSub -join ' or ')))

        # Find-EglLeak over the year, every subscription of the database (the store is the last first sync's).
        $leakCommon = @{ Case = 'FleetLeak'; Side = 'EglWater'; ModulePath = $ModulePath; ConnectionString = $pg.ConnectionString; StartDate = $fleetFirst; EndDate = $fleetLast }
        $leakResult = Join-Path $Work 'fleet-leaks.csv'
        $leakCheck = Invoke-Case -Parameters $leakCommon -ResultPath $leakResult
        $alerts = @(Import-Csv -LiteralPath $leakResult)
        $leaking = @(0..($Fleet1000Size - 1) | Where-Object { $_ % 100 -eq 99 } | ForEach-Object { [string](1920001 + $_) })
        $found = @($alerts | ForEach-Object SubscriptionNumber | Sort-Object -Unique)
        $falseAlarms = @($found | Where-Object { $_ -notin $leaking })
        $missed = @($leaking | Where-Object { $_ -notin $found })
        $facts.FleetLeakAlerts = @{ Count = $alerts.Count; Found = $found.Count; FalseAlarms = $falseAlarms.Count; Missed = $missed.Count
            Kinds = ($alerts | Group-Object Kind | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', ' }
        $checks.Add("Case 7: Find-EglLeak -ConnectionString $fleetFirst..$fleetLast gave $($alerts.Count) alerts ($($facts.FleetLeakAlerts.Kinds)) on $($found.Count) subscriptions: $(if ($missed.Count) { "it MISSED $($missed.Count) of the 10 leaking ones ($($missed -join ', '))" } else { 'every one of the 10 leaking ones (1920100, 1920200, …, 1921000: 30 days of 15 L/h in every 120)' })$(if ($falseAlarms.Count) { ", and $($falseAlarms.Count) of the 990 others ($($falseAlarms -join ', '))" } else { ', none of the 990 others' }).")
        $leakSides = [ordered]@{ 'Find-EglLeak -ConnectionString' = {
                $c0 = Get-CpuSnapshot $sim
                $m = Invoke-Case -Parameters $leakCommon
                $c1 = Get-CpuSnapshot $sim
                $m | Add-Member -NotePropertyMembers @{ PgCpuMs = $c1.PgMs - $c0.PgMs } -PassThru
            } }
        $leak = Invoke-Alternating -Sides $leakSides -Count $leakRuns -Label 'fleet leak' -WarmedUp @($leakSides.Keys)
        Add-Figures -Case '7. fleet Find-EglLeak over 1,000 × 1 year' -Runs $leak -Property LeakMs -Format { param($v) Format-Ms $v } -Reference 'Find-EglLeak -ConnectionString' -Target '< 5 s'
        Add-Figures -Case '7. fleet Find-EglLeak, the whole process (Import-Module)' -Runs $leak -Property Ms -Format { param($v) Format-Ms $v } -Sides 'Find-EglLeak -ConnectionString'
        Add-Figures -Case '7. fleet Find-EglLeak, warm (same again)' -Runs $leak -Property WarmLeakMs -Format { param($v) Format-Ms $v } -Sides 'Find-EglLeak -ConnectionString'
        $facts.FleetLeak = @{ Ms = Get-Median $leak['Find-EglLeak -ConnectionString'] LeakMs; Warm = Get-Median $leak['Find-EglLeak -ConnectionString'] WarmLeakMs
            Process = Get-Median $leak['Find-EglLeak -ConnectionString'] Ms; Cpu = Get-Median $leak['Find-EglLeak -ConnectionString'] CpuMs
            Pg = Get-Median $leak['Find-EglLeak -ConnectionString'] PgCpuMs }

        # The nightly sync: the simulator publishes one more day, the fleet is synced again (one run: the next would
        # find nothing new).
        $nextDay = $fleetToday.AddDays(1).ToString('yyyy-MM-dd', $inv)
        $null = Invoke-RestMethod -Method Post -Uri "$($sim.RootUri)_simulator/today?date=$nextDay"
        $before = Get-FleetDataRequests $logUri
        $c0 = Get-CpuSnapshot $sim
        $night = Invoke-Case -Parameters ($syncCommon + @{ BaseUri = $sim.BaseUri.AbsoluteUri; ConnectionString = $pg.ConnectionString; ThrottleLimit = $FleetThrottle })
        $c1 = Get-CpuSnapshot $sim
        $sent = (Get-FleetDataRequests $logUri) - $before
        $added = ($night.Sync | Measure-Object added -Sum).Sum
        $changed = ($night.Sync | Measure-Object changed -Sum).Sum
        $rows = [long](Get-Sql 'SELECT count(*) AS n FROM egl_days').n
        Write-Host ('  fleet nightly sync: {0:N0} ms (Sync-EglHistory {1:N0} ms), {2} data requests, {3} days added, {4} changed' -f $night.Ms, $night.SyncMs, $sent, $added, $changed)
        if ($sent -ne $Fleet1000Size) { throw "fleet: the nightly sync of $Fleet1000Size subscriptions sent $sent data requests (the simulator's log); expected one per subscription." }
        if ($added -ne $Fleet1000Size -or $rows -ne $fleetDays + $Fleet1000Size) { throw "fleet: the nightly sync added $added days ($rows rows in the database); expected $Fleet1000Size (one per subscription)." }
        $nightRuns = [ordered]@{ "PostgreSQL, -ThrottleLimit $FleetThrottle" = [System.Collections.Generic.List[object]]@($night) }
        Add-Figures -Case '7. fleet nightly sync (one day more): Sync-EglHistory' -Runs $nightRuns -Property SyncMs -Format { param($v) Format-Ms $v } -Reference $chosen -Target '1 data request per subscription'
        Add-Figures -Case '7. fleet nightly sync, the whole process' -Runs $nightRuns -Property Ms -Format { param($v) Format-Ms $v } -Sides $chosen
        $facts.FleetNight = @{ Ms = $night.SyncMs; Process = $night.Ms; Sent = $sent; Added = $added; Changed = $changed; Cpu = $night.CpuMs; Pg = $c1.PgMs - $c0.PgMs }
        $checks.Add("Case 7: the nightly sync (the simulator's today moved from $($fleetToday.ToString('yyyy-MM-dd', $inv)) to $nextDay) sent $($sent.ToString('N0', $inv)) data requests for $($Fleet1000Size.ToString('N0', $inv)) subscriptions (the simulator's log), added $(([long]$added).ToString('N0', $inv)) days and changed $changed; the database then held $($rows.ToString('N0', $inv)) days.")
        $nowParis = [TimeZoneInfo]::ConvertTime([DateTimeOffset]::UtcNow, $paris).Date
        if ($nowParis -ne $parisToday) { $notes.Add("Case 7 crossed midnight in Paris (the module's today moved during the case): its request counts may be off by one round; run it again.") }
    } finally {
        $env:PGPASSWORD = $savedPassword
        Stop-EglSimulator $sim
        Stop-EglSimulator $sim0
        if ($pg) { Stop-EglPostgres -Cluster $pg }
    }
}
#endregion

$Findings = @'
Profiled on 2026-12-02 on this machine, shared and busy (load averages 2 to 8 while profiling), with
Stopwatches around each step in fresh `dotnet pwsh` processes, `System.Runtime.JitInfo` (JIT time and methods
compiled per step), `DOTNET_JitDisasmSummary` (which methods) and throw-away builds of the module (none of them is
in the repository). The milliseconds below are from that profiling; the ratios above are from this run.

- **All cold figures: PowerShell itself is jitted.** `dotnet pwsh` is PowerShell's .NET tool package, whose
  System.Management.Automation.dll and Microsoft.PowerShell.Commands.Utility.dll carry no ReadyToRun code (the
  runtime's own assemblies do). Each fresh process compiles PowerShell's code as it first runs it: about 6,400
  methods of System.Management.Automation in one ten-year fetch process. Both sides pay it; the side that runs
  more distinct PowerShell code (a pipeline between two commands, a cmdlet's parameter binding) pays more. An
  installed pwsh (deb, MSI, pkg) ships ReadyToRun images; it is not on this machine, so not measured.
- **1. Ten-year fetch (target ≥ 3×): missed, about 2.1×.** EglWater's cold time (rows "1. fetch: …"): Import-Module
  about 40 ms, credential + Connect-Egl 170 to 200 ms, Get-EglConsumption 260 to 270 ms. 200 ms of it is latency:
  the login (50 ms) and the 10 yearly requests, 4 at a time, in 3 rounds (150 ms). Against the simulator with no
  latency the same steps take about 35, 25 (ConvertTo-SecureString, PSCredential), 95 and 80 ms, of which JIT is
  22, 10, 75 (777 methods: the backends, Polly, HttpClient's and System.Text.Json's code for the module's types)
  and 50 ms (415 methods); warm, Connect-Egl takes 2 ms and the ten years 33 ms. The script sends 12 requests
  one after another (600 ms) and pays about 400 ms of warm-up and work besides: about 1,000 to 1,200 ms. So 3×
  means at most 340 to 400 ms for EglWater, 200 ms of which is latency at 4 requests in flight.
  Throw-away builds, fresh processes interleaved with the script, 6 runs each, load average 2.0 to 2.7, the
  script 1,082 ms (median):

  | EglWater build | cold | credential + Connect-Egl | Get-EglConsumption | warm | script ÷ EglWater |
  |---|---|---|---|---|---|
  | as it is | 521 ms | 199 ms | 273 ms | 227 ms | 2.08× |
  | `DefaultParallelism` 10 | 409 ms | 197 ms | 176 ms | 125 ms | 2.64× |
  | ReadyToRun (net10.0) | 451 ms | 161 ms | 256 ms | 227 ms | 2.40× |
  | both | 342 ms | 152 ms | 152 ms | 119 ms | 3.16× |

  ReadyToRun images compiled for net8.0 (the module's target) are not used by PowerShell 7.6's .NET 10 runtime:
  the same 308 EglWater and 219 Polly methods were jitted with them as without; compiled for net10.0, 96 and 6.
  Only both changes together reached 3×: (1) `EglRangeFetcher.DefaultParallelism` (src/EglWater/Sources) from 4
  to 10 or more, all ten years in one round (issue 3 chose 4 to be gentle with the real server. The lead kept 4:
  the servers' rate limits are unknown, the portal's firewall already blocks on concurrent logins, and a
  household's account is what a block would cost; one backfill a little slower is the cheaper risk); (2) ReadyToRun images of EglWater.dll, EglWater.Backends.dll and Polly.Core.dll compiled for the runtime
  of the PowerShell that loads them (`PublishReadyToRun` needs a runtime identifier and a target framework per
  PowerShell version: a packaging decision, issue 5). Without ReadyToRun the IL still runs everywhere. Not
  shipped: a module manifest cannot choose its root assembly by PowerShell version (only by edition), so the
  root module would stay IL on PowerShell 7.6, and images for nine runtime identifiers would multiply the package.
- **2. Import-Csv | Get-EglConsumption (target ≤ 1.5× the floor).** Warm, in one process: `Import-Csv` into a
  variable 863 ms; `Import-Csv | Get-EglConsumption` 511 ms; the same 100,000 imported objects piped to
  Get-EglConsumption 307 ms, to an empty compiled cmdlet with one pipeline PSObject parameter 74 ms. So warm,
  the module adds little to Import-Csv: collecting Import-Csv's 100,000 PSObjects costs the floor more garbage
  collection (380 to 590 ms of GC pauses in its process, 120 to 160 ms in EglWater's). Cold, EglWater's process
  compiled 1,600 to 1,950 methods (470 to 730 ms of JIT on the 2 cores) against 400 to 440 (300 to 360 ms) for
  the floor's: PowerShell's pipeline and binding code first, the module's little. ReadyToRun images of the
  module (net10.0) gave 1.45× against 1.48× without (6 runs each, load average 4 to 6). What is left over the
  floor is PowerShell's own IL-only code (above), not the module's.
- **3. Import (target ≤ 50 ms): met in one full run, missed in the next; the noise is larger than the
  effect.** The median of 20 paired differences of whole-process wall times was 26 ms (quartiles -38 to 133 ms)
  in the run of 2026-12-02 05:04 UTC and 67 ms (27 to 118 ms) in the run of 06:19 UTC; the Stopwatch around Import-Module
  inside the process gave 91 ms and 27 ms over the empty module. A `dotnet pwsh` process takes 1.0 to 1.4 s here,
  so a 50 ms difference is under 5 % of what is timed. Import-Module timed in process, 10 fresh processes each (load average 2.2):
  EglWater 123 ms, EglWater without its format file 92 ms, the empty binary module 84 ms, EglWater as ReadyToRun
  116 ms. Of about 40 ms over the empty module, the format file (`FormatsToProcess`: PowerShell builds its format
  database, which any session that displays something builds at its first output anyway) is about 30 ms; the
  rest is a bigger assembly scanned for 10 cmdlets. The JIT during the import is about 22 ms (170 methods, mostly
  PowerShell's). No backend loads at import (see "Checked before timing").
- **4. History store (target ≥ 20×): missed, 6.4× (3.7× before the store's read was rewritten).** The script
  takes 3 to 4 s here, so 20× leaves 150 to 200 ms for Import-Module and the read. The first profile found the
  store's reading library taking the budget (ParseExact, Enum.Parse and a string per column through
  SqliteDataReader: 150 to 200 ms warm for 109,600 records, where SQLite itself steps them in about 30 ms). The
  store now steps SQLite's statement itself and decodes the day and the type from their bytes: 105 ms warm for
  the 109,600 records (a compiled loop over the store, load average 4); the subscriptions' state no longer groups
  every day (11 ms instead of 34 for 100). Measured in one process after that (load average 2 to 4): the daily
  read of the 100 subscriptions 190 to 260 ms warm, `-Granularity Year` 180 to 230 ms, Get-EglIndex (no engine)
  160 to 180 ms; cold, the first read of a process 560 to 680 ms, of which about 110 ms is opening the store the
  first time (loading the backends and SQLite's native library) and the rest the JIT. What is left is spread:
  the read (about 1 µs a record), the engine (about 1 µs a day), PowerShell's collection of 109,500 output
  objects (about 0.7 µs each), the cold JIT. 20× would need the daily rows kept computed in the store and
  ReadyToRun images (see case 1): not done.
- **5. Incremental sync (target < 1 s): met with room.** Cold: Import-Module about 40 ms, Connect-Egl (one
  request) about 200 ms, Sync-EglHistory about 180 ms (one request of 50 ms, SQLite's first open, JIT); warm,
  Sync-EglHistory alone about 60 ms.
- **6. Peak memory**: both sides are a pwsh process of 130 to 145 MiB, and pwsh itself is most of it.
- **7. Fleet (targets ≥ 10× -ThrottleLimit 1, within 2× of the floor): the first is missed, 5 to 6×; the sync is
  CPU-bound on these 2 cores, not latency-bound.** Profiled with throw-away scripts (out/bench, not in the
  repository) on 2026-12-02, load averages 1.5 to 6, the figures per first sync of the 1,000 × 365 days at
  -ThrottleLimit 16 with 50 ms per request: the sync's process 8.7 to 9.8 s of CPU, PostgreSQL 7.3 to 9.9 s, the
  simulator about 1 s: 17 to 21 s of CPU, so at least 9 to 10 s on 2 cores, against a latency floor of
  ⌈1,000 / 16⌉ × 50 ms = 3.15 s; the same sync with no latency takes as long (11 to 16 s, with the load). More subscriptions at
  once cannot help (-ThrottleLimit 8, 16 and 32 all take 11 to 16 s), and -ThrottleLimit 1 takes 66 to 67 s
  (1,000 × 50 ms of latency and about 16 ms of work per subscription), so 10× would need about 6.6 s. Where the
  CPU goes: (1) **the JIT**, in the sync's process: `System.Runtime.JitInfo` counts 8,650 to 9,300 methods
  compiled during the first sync (5.3 to 6.0 s of compilation, several threads), against 1,100 to 1,500 for the
  same sync again in the same process (4.2 to 4.6 s of CPU in all, warm). Tiered compilation with dynamic PGO
  compiles the hot methods of the 16 parallel syncs (the parser, Npgsql, HttpClient, PowerShell's) up to three
  times (quick, instrumented, optimized).
  With `DOTNET_TieredPGO=0` the process used 6.0 to 6.8 s (5,800 methods) and the sync took 9.1 to 10.3 s; with
  `DOTNET_TieredCompilation=0` 5.2 to 5.4 s (1,200 methods) and 9.8 to 10.0 s; both are settings of the pwsh
  process (environment variables), not of the module; ReadyToRun images of the module and its backends (case 1)
  would cut the same cost. (2) **PostgreSQL**, about 8 s for 2,000 write transactions (each: the subscription's
  row, the stored days of the range, a temporary staging table, the binary COPY, the upsert) and the 2,000 state
  queries: 20 to 25 µs of server CPU per day written. Npgsql resets a pooled connection when it is returned
  (`DISCARD ALL`), which drops the temporary staging table, so each write creates it again; with
  `No Reset On Close=true` in the connection string PostgreSQL used 5.6 to 6.6 s instead of 7.3 to 9.9 s and the
  sync took 9.0 to 10.0 s. The store now opens its data connections that way itself (the staging table lives as
  long as the connection; the locks' connections, from a pool of their own, are still reset): this run's
  PostgreSQL CPU per first sync is the figure above. (3) **The simulator**: about 1 s, not the limit. (1) and (2) together
  (`DOTNET_TieredCompilation=0` and `No Reset On Close=true`, load average 8 to 10): the sync took 7.8 and 10.2 s
  against 12.7 and 17.7 s without, interleaved; 12 to 14 s of CPU remain (the process 5.3 to 6.2 s, PostgreSQL 6.1
  to 6.6 s, the simulator 1 to 1.4 s), at least 6 to 7 s on 2 cores: 10× (6.6 s) stays out of reach on this box,
  and needs more cores than the simulator, PostgreSQL and the sync share here. The floor target is met only because "the writes" (the same
  sync with no latency) already take longer than the latency: against the latency alone the sync is 3 to 4×.
  The nightly sync (1,000 requests, one day each) takes 6.6 s at load average 1 to 3 and 9.9 s at 7 to 11: the
  same cold process and per-request work for one day instead of 365 (the JIT, 1,000 locks, states and writes).
  SQLite at the same throttle is about as fast as PostgreSQL here (one writer, no server, the same client work).
- **7. Find-EglLeak -ConnectionString over the year (target < 5 s): met on a quiet machine only.** 4.1 s cold at
  load average 1 to 3, 5.1 and 6.1 s at 7 to 11 (three runs of this case on 2026-12-02). The time is the module's process,
  not the database: PostgreSQL used about 1.3 s of CPU per run, the process 5.5 s cold, 3.5 s warm. Warm, in one
  process (load average 5 to 7), over the same 365,000 days: `Get-EglIndex -ConnectionString` 2.3 to 2.6 s (the
  reading: Npgsql, one record per day, PowerShell's output), `Get-EglConsumption -ConnectionString` 3.7 to 3.8 s,
  `Find-EglLeak` 3.6 to 4.0 s: the reading and the daily consumption cost about 10 µs a day, the detector little.
  Cold, the JIT adds about 1.5 s. Its 30 alerts fall on the 10 leaking subscriptions and on none of the 990
  others (see "Checked before timing").
'@


#region report
$caseStarts['report'] = Get-Date
$caseNames = @($caseStarts.Keys)
$caseTimes = for ($i = 0; $i -lt $caseNames.Count - 1; $i++) { '{0} {1:N0} s' -f $caseNames[$i], ($caseStarts[$caseNames[$i + 1]] - $caseStarts[$caseNames[$i]]).TotalSeconds }
$loadAfter = (Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -as [string]
$table = $results | Select-Object Case, Side, Runs, Median, Min, Max, Ratio, Target
$pairTable = $pairs | Select-Object Comparison, Rounds, Median, Q1, Q3, Min, Max, Target
Write-Host ''
$table | Format-Table -AutoSize | Out-String -Width 220 | Write-Host
if ($pairs.Count) { $pairTable | Format-Table -AutoSize | Out-String -Width 220 | Write-Host }

function Get-Verdicts {
    $v = [System.Collections.Generic.List[string]]::new()
    $met = { param([bool] $ok) if ($ok) { 'met' } else { 'MISSED' } }
    if ($facts['Fetch']) {
        $f = $facts.Fetch; $x = $f.Script / $f.Egl
        $v.Add(('1. Ten-year fetch: EglWater {0}, the script {1}: {2:N1}× faster (target ≥ 3×): {3}. Warm (same again in the process): {4} vs {5}, {6:N1}×.' -f (Format-Ms $f.Egl), (Format-Ms $f.Script), $x, (& $met ($x -ge 3)), (Format-Ms $f.EglWarm), (Format-Ms $f.ScriptWarm), ($f.ScriptWarm / $f.EglWarm)))
    }
    if ($facts['Offline']) {
        $o = $facts.Offline; $x = $o.Egl / $o.Floor
        $v.Add(('2. Import-Csv | Get-EglConsumption over 100,000 readings: {0}, {1:N2}× the Import-Csv floor of {2} (target ≤ 1.5×): {3}. The script''s loop: {4}, {5:N2}× the floor, {6:N2}× EglWater.' -f (Format-Ms $o.Egl), $x, (Format-Ms $o.Floor), (& $met ($x -le 1.5)), (Format-Ms $o.Script), ($o.Script / $o.Floor), ($o.Script / $o.Egl)))
    }
    if ($facts['ImportPaired']) {
        $p = $facts.ImportPaired; $i = $facts.ImportInside
        $v.Add(('3. Import overhead over an empty binary module: median of {0} paired differences {1} (quartiles {2} to {3}; target ≤ 50 ms): {4}. Import-Module alone, timed in the process: {5} more than the empty module''s (median of paired differences, quartiles {6} to {7}). Loaded at import: {8}' -f $p.N, (Format-Ms $p.Median), (Format-Ms $p.Q1), (Format-Ms $p.Q3), (& $met ($p.Median -le 50)), (Format-Ms $i.Median), (Format-Ms $i.Q1), (Format-Ms $i.Q3), $(if ($facts.Assemblies.Lazy) { 'EglWater.dll only (backends lazy).' } else { "MORE than EglWater.dll: $($facts.Assemblies.Own)." })))
    }
    if ($facts['History']) {
        $h = $facts.History; $x = $h.Script / $h.Egl
        $v.Add(('4. History store, 100 subscriptions × 3 years: Get-EglConsumption -HistoryPath {0}, the script on the same readings as CSV {1}: {2:N1}× faster (target ≥ 20×): {3}.' -f (Format-Ms $h.Egl), (Format-Ms $h.Script), $x, (& $met ($x -ge 20))))
    }
    if ($facts['Sync']) {
        $s = $facts.Sync
        $v.Add(('5. Incremental sync of one up-to-date subscription, cold process: Connect-Egl + Sync-EglHistory {0} (Sync-EglHistory alone {1}; target < 1 s with one data request): {2}; data requests: {3} for {4} syncs{5}.' -f (Format-Ms $s.LoginSync), (Format-Ms $s.Sync), (& $met ($s.LoginSync -lt 1000 -and $s.OneEach)), $s.Sent, $s.Syncs, $(if ($s.OneEach) { ', one each' } else { ', NOT one each' })))
    }
    if ($facts['Fleet']) {
        $f = $facts.Fleet; $x = $f.Serial / $f.Chosen; $floorRatio = $f.Chosen / ($f.Floor + $f.Writes)
        $v.Add(('7. Fleet, first sync of 1,000 subscriptions × 1 year into PostgreSQL: -ThrottleLimit {0} {1}, -ThrottleLimit 1 {2}: {3:N1}× faster (target ≥ 10×): {4}. Against the floor, ⌈1,000 / {0}⌉ × {5} ms = {6} of latency plus the writes (the same sync with no latency, {7}): {8:N1}× (target ≤ 2×): {9}{12}; against the latency alone {10:N1}×. Other throttles: {11}.' -f $FleetThrottle, (Format-Ms $f.Chosen), (Format-Ms $f.Serial), $x, (& $met ($x -ge 10)), $LatencyMs, (Format-Ms $f.Floor), (Format-Ms $f.Writes), $floorRatio, (& $met ($floorRatio -le 2)), ($f.Chosen / $f.Floor), $f.Others, $(if ($f.Writes -gt $f.Floor) { ', but only because the writes alone take longer than the latency (CPU-bound: see below)' } else { '' })))
        $v.Add(('7. Fleet, CPU of one first sync at -ThrottleLimit {0}: the sync''s process {1}, PostgreSQL {2}, the simulator {3}; the machine''s {4} cores were {5:P0} busy during it (other processes included). With no latency: the sync''s process {6}, PostgreSQL {7}. At -ThrottleLimit 1: {8}, {9}, {10}.' -f $FleetThrottle, (Format-Ms $f.ChosenCpu), (Format-Ms $f.ChosenPg), (Format-Ms $f.ChosenSim), [Environment]::ProcessorCount, $f.ChosenBusy, (Format-Ms $f.WritesCpu), (Format-Ms $f.WritesPg), (Format-Ms $f.SerialCpu), (Format-Ms $f.SerialPg), (Format-Ms $f.SerialSim)))
        $v.Add(('7. Fleet, the same first sync into SQLite (-ThrottleLimit {0}): {1}, {2:N2}× PostgreSQL''s (its process''s CPU {3}).' -f $FleetThrottle, (Format-Ms $f.Sqlite), ($f.Sqlite / $f.Chosen), (Format-Ms $f.SqliteCpu)))
    }
    if ($facts['FleetNight']) {
        $n = $facts.FleetNight
        $v.Add(('7. Fleet, nightly sync (one day more for each of the 1,000): Sync-EglHistory {0} (the process {1}); {2:N0} data requests, one per subscription (target: one each): {3}; {4:N0} days added, {5} changed.' -f (Format-Ms $n.Ms), (Format-Ms $n.Process), $n.Sent, (& $met ($n.Sent -eq 1000)), $n.Added, $n.Changed))
    }
    if ($facts['FleetLeak']) {
        $l = $facts.FleetLeak; $a = $facts.FleetLeakAlerts
        $v.Add(('7. Fleet, Find-EglLeak -ConnectionString over 1,000 × 1 year: {0} (target < 5 s): {1}; warm {2}; the whole process, Import-Module included, {3}; CPU of its process {8} (the cold and the warm run), of PostgreSQL {9}. {4} alerts on {5} subscriptions, {6} of the 10 leaking ones missed, {7} false alarms.' -f (Format-Ms $l.Ms), (& $met ($l.Ms -lt 5000)), (Format-Ms $l.Warm), (Format-Ms $l.Process), $a.Count, $a.Found, $a.Missed, $a.FalseAlarms, (Format-Ms $l.Cpu), (Format-Ms $l.Pg)))
    }
    if ($facts['Fetch']) {
        $v.Add(('6. Peak memory of the ten-year fetch: EglWater {0}, the script {1}.' -f (Format-MiB $facts.Fetch.EglPeak), (Format-MiB $facts.Fetch.ScriptPeak)))
    }
    $v
}
$verdicts = @(Get-Verdicts)
$verdicts | ForEach-Object { Write-Host $_ }
if ($caseTimes) { Write-Host "Time per case: $($caseTimes -join ', ')." }

$cpu = (Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.+)$' -ErrorAction SilentlyContinue | Select-Object -First 1).Matches.Groups[1].Value
$memKiB = [long]((Select-String -Path /proc/meminfo -Pattern '^MemTotal:\s*(\d+)' -ErrorAction SilentlyContinue).Matches.Groups[1].Value)
$os = ((Get-Content /etc/os-release -ErrorAction SilentlyContinue | Where-Object { $_ -like 'PRETTY_NAME=*' }) -replace '^PRETTY_NAME="?|"$', '')
$kernel = (& uname -r 2>$null)
$sdk = (Invoke-Child -Arguments @('--version')).Out.Trim()
$duration = (Get-Date) - $started

function ConvertTo-MarkdownTable($rows, [string[]] $columns) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add('| ' + ($columns -join ' | ') + ' |')
    $lines.Add('|' + (($columns | ForEach-Object { '---' }) -join '|') + '|')
    foreach ($r in $rows) { $lines.Add('| ' + (($columns | ForEach-Object { ([string]$r.$_).Replace('|', '\|') }) -join ' | ') + ' |') }
    $lines -join "`n"
}

$md = [System.Text.StringBuilder]::new()
$null = $md.AppendLine('# Benchmarks').AppendLine()
$null = $md.AppendLine('EglWater against the script a competent user would write instead ([`bench/baseline-irm.ps1`](../bench/baseline-irm.ps1):').AppendLine(
    '`Invoke-RestMethod` to log in, one request per calendar year, `ConvertFrom-Json`, a loop for the daily').AppendLine(
    'differences; or `Import-Csv` and the same loop), the cost of importing the module, the history store, a fleet').AppendLine(
    'of 1,000 meters synced into PostgreSQL, and').AppendLine(
    'micro-benchmarks of the module''s parser and engine. Generated by').AppendLine(
    '[`bench/Invoke-Benchmarks.ps1`](../bench/Invoke-Benchmarks.ps1); do not edit by hand.').AppendLine()
$null = $md.AppendLine('## Reproduce').AppendLine().AppendLine('```sh').AppendLine('dotnet tool restore && dotnet pwsh ./build.ps1 -Task Bench').AppendLine('```').AppendLine()
$null = $md.AppendLine('## This run').AppendLine()
$null = $md.AppendLine(("- Date: {0:yyyy-MM-dd HH:mm} UTC; the whole harness took {1:N0} s." -f $started.ToUniversalTime(), $duration.TotalSeconds))
if ($caseTimes) { $null = $md.AppendLine("- Time per case: $($caseTimes -join ', ').") }
$null = $md.AppendLine("- Conditions: $Conditions")
$null = $md.AppendLine("- Load average (1, 5, 15 min) before: ``$($loadBefore.Trim())``; after: ``$($loadAfter.Trim())``.")
$null = $md.AppendLine("- Machine: $([Environment]::ProcessorCount) logical CPUs (nproc), $cpu, $([math]::Round($memKiB / 1MB, 1)) GiB of memory; $os, Linux $kernel.")
$null = $md.AppendLine("- .NET SDK $sdk (runtime $([Environment]::Version)); PowerShell $($PSVersionTable.PSVersion) as the local tool ``dotnet pwsh``.")
$null = $md.AppendLine("- Runs: $Iterations timed runs per side for cases 1, 2, 4, 5 and 6, $ImportIterations rounds for case 3, after one untimed warm-up run each; sides alternate (A B, B A, …). Case 7: $([math]::Min($Iterations, 2)) first syncs per throttle, 1 with -ThrottleLimit 1 (about a minute), $([math]::Min($Iterations, 3)) Find-EglLeak runs, 1 nightly sync.")
if ($Skip.Count) { $null = $md.AppendLine("- Skipped: $($Skip -join ', ').") }
$null = $md.AppendLine()
$null = $md.AppendLine('## Results').AppendLine()
foreach ($v in $verdicts) { $null = $md.AppendLine("- $v") }
$null = $md.AppendLine()
$null = $md.AppendLine((ConvertTo-MarkdownTable $table @('Case', 'Side', 'Runs', 'Median', 'Min', 'Max', 'Ratio', 'Target')))
$null = $md.AppendLine()
$null = $md.AppendLine('Ratio: the side''s median divided by the reference side''s median (EglWater in cases 1, 4 and 6; the Import-Csv floor in case 2; the empty binary module in case 3; PostgreSQL with -ThrottleLimit 16 in case 7).')
if ($pairs.Count) {
    $null = $md.AppendLine().AppendLine('Case 3, paired differences (each round: one run of each side, back to back, the order alternating):').AppendLine()
    $null = $md.AppendLine((ConvertTo-MarkdownTable $pairTable @('Comparison', 'Rounds', 'Median', 'Q1', 'Q3', 'Min', 'Max', 'Target')))
}
if ($checks.Count) {
    $null = $md.AppendLine().AppendLine('Checked before timing:').AppendLine()
    foreach ($c in $checks) { $null = $md.AppendLine("- $c") }
}
foreach ($n in $notes) { $null = $md.AppendLine().AppendLine("Note: $n") }
$null = $md.AppendLine()
$null = $md.AppendLine('## How each case is measured').AppendLine()
$built = $facts['HistoryBuild']
$buildText = if ($built) { ' This run''s sync sent {0:N0} requests and took {1:N1} s; the export {2:N1} s.' -f $built.requests, ($built.syncMs / 1000), ($built.exportMs / 1000) } else { '' }
$null = $md.AppendLine(@"
- **Every timed run** is a fresh ``dotnet pwsh -NoProfile -NonInteractive -File bench/Measure-Case.ps1`` process
  (cases 1, 2, 4, 5) or ``dotnet pwsh -NoProfile -NonInteractive -Command 'Import-Module …'`` (case 3). In
  Measure-Case.ps1 a Stopwatch runs from the first command the user would type (``Import-Module`` included for
  EglWater) to the last row collected in a variable; "warm" runs the same commands again in the same process
  (JIT done, connections open, ``Import-Module`` a no-op). One untimed warm-up run of each side first (in cases 1,
  2 and 4 the untimed run that checks the side's output), then the sides alternate.
- **1. fetch**: ten years, $FetchStart to $FetchEnd (3,653 days), of the simulator's benchmark household
  (``bench@eglwater.test``, clean daily readings from 2015, no gap or quirk), the simulator answering every
  request $LatencyMs ms late (``--latency-ms $LatencyMs``, ``--today $SimulatorToday``). EglWater:
  ``Import-Module``, ``Connect-Egl``, ``Get-EglConsumption -StartDate $FetchStart -EndDate $FetchEnd``: $($facts['FetchRequests']) data
  requests (calendar years, the day before the start in the first), 4 at a time. The script: ``baseline-irm.ps1``,
  one request per calendar year (11 requests: the day before the start is in 2015), one after another. The rows
  "Import-Module", "credential + Connect-Egl" and "Get-EglConsumption" split EglWater's cold time by Stopwatch.
- **2. offline**: $($OfflineCount.ToString('N0', $inv)) daily readings of one subscription in a CSV file written as
  ``Get-EglIndex | Export-Csv`` writes it (the module's reading objects, invariant culture). EglWater:
  ``Import-Module`` then ``Import-Csv | Get-EglConsumption``; the floor: ``Import-Csv`` alone, the objects
  collected, nothing computed (what any PowerShell command that starts with ``Import-Csv`` pays); the script:
  ``baseline-irm.ps1 -CsvPath`` (``Import-Csv`` then a ``foreach`` loop, file order trusted), for information.
- **3. import**: the empty module is a manifest whose ``RootModule`` is a binary dll with one cmdlet, compiled
  by the harness with ``Add-Type`` (out/bench/EmptyBinaryModule). It is the fair zero for a binary module:
  importing it pays what any binary module pays (PowerShell's module machinery on its first use, reading a
  manifest, ``Assembly.LoadFrom``, the scan for cmdlets), so the difference is EglWater's own: a bigger
  assembly with 10 cmdlets, the edition test in its manifest, its format file. (An empty manifest would load no
  assembly at all and charge EglWater for being binary; an empty script module would charge it for not being
  a script.) Each round runs ``dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module <psd1>"`` for
  EglWater and for the empty module, back to back, in alternating order; the overhead is the median of the
  per-round differences of their wall times, which cancels the machine's drift between rounds. The quartiles
  (Q1, Q3) show the spread. "Import-Module alone, in a fresh process" is a Stopwatch around ``Import-Module``
  only, inside fresh processes (Measure-Case.ps1 -Case Import; the empty module's figure is what PowerShell's
  module machinery costs on its first use); the same runs list the assemblies the import loaded (every
  assembly loaded after it, not before).
- **4. history**: the store is built once per harness run, untimed: a first ``Sync-EglHistory`` of the
  simulator's benchmark fleet (``benchfleet@eglwater.test``: $FleetSize subscriptions 1910001..1910100, clean daily
  readings from $HistoryFirstDay to $HistoryEnd, each its own index and noise; the simulator with no latency) into
  out/bench/history-100x3y.db, then ``Get-EglIndex -HistoryPath <store> -StartDate $HistoryFirstDay -EndDate $HistoryEnd |
  Export-Csv`` for the script (109,600 readings).$buildText EglWater: ``Import-Module``, then
  ``Get-EglConsumption -HistoryPath <store> -StartDate $HistoryStart -EndDate $HistoryEnd`` (every subscription of the store;
  the range starts the day after the first reading so that both sides give the same 1,095 days per
  subscription). The script: ``baseline-irm.ps1 -CsvPath``: one ``Import-Csv`` and one ``foreach`` pass in file
  order, a new SubscriptionNumber starting a new series (the file lists the subscriptions one after another,
  each in date order, as Get-EglIndex writes it: no sort, no ``Group-Object``, the cheapest honest loop).
- **5. sync**: the simulator answers $LatencyMs ms late, its today set to today in Paris (the module's own today),
  so that the store can be up to date. The store: a copy of case 4's (or an empty one when case 4 is skipped),
  brought up to date by an untimed sync of subscription $SyncSubscription. Each timed process: ``Import-Module``,
  then ``Connect-Egl`` (a credential of the benchmark fleet's login: 100 subscriptions) and
  ``Sync-EglHistory -Path <store> -SubscriptionNumber $SyncSubscription``, timed together ("Connect-Egl + Sync-EglHistory")
  and alone; then both again (warm). The simulator's request log (``/_simulator/requests?login=…``) is read
  before and after each process: the data requests it logged are counted against the syncs the process ran.
- **6. peak memory**: ``VmHWM`` from ``/proc/self/status``, read by each case-1 process at the end of its
  timed work: the kernel's high-water mark of the resident set of that pwsh process over its whole life,
  pwsh's own start-up included (about the same for both sides). Chosen over
  ``Process.PeakWorkingSet64``, which cannot be read once the process has exited on Linux.
- **7. fleet**: the simulator's fleet of a thousand (``$($BenchFleet1000.Login)``: one partner login listing
  $($Fleet1000Size.ToString('N0', $inv)) subscriptions 1920001..1921000, each publishing the $Fleet1000Days days before the simulator's today, its own
  index and noise; the last of every hundred leaks 15 L/h for 30 days in every 120), the simulator answering
  $LatencyMs ms late, its today set to yesterday in Paris (so the year ends two days before the module's today, and
  moving it a day forward publishes one day more, as a night does). A throw-away PostgreSQL ($(if ($facts['FleetPg']) { $facts.FleetPg } else { 'tools/EglPostgres.psm1' }):
  ``initdb`` in a temporary folder, fsync off, stopped and deleted at the end, also on failure); the password
  reaches the timed processes in ``PGPASSWORD``. Each timed process: ``Import-Module``, ``Connect-Egl``, then
  ``Sync-EglHistory -ConnectionString <db> -ThrottleLimit <n>`` (every subscription of the login) into an empty
  database (its tables dropped before each run); "Sync-EglHistory" is that command alone. The first sync of a
  subscription sends the backward walk's first two requests together (the year back from today, then the calendar
  year before it, empty: the history is complete), so a subscription costs one round trip and the latency floor is
  ⌈1,000 / n⌉ × $LatencyMs ms. "The writes" is the same sync against a second simulator with no latency: everything
  the sync does besides waiting (parsing, writing, the JIT). After each run the harness counts the days in the
  database (``SELECT count(*) FROM egl_days``) and the simulator's logged data requests. CPU: the sync's process
  reads its own ``TotalProcessorTime``; PostgreSQL's is its postmaster's CPU with its reaped children (the
  backends, gone when the sync's process ends) plus its live children, and the simulator's its process's, read
  from ``/proc`` before and after. Then ``Find-EglLeak -ConnectionString <db> -StartDate <first day> -EndDate <last day>``
  (every subscription of the database; "warm": the same again in the process), the alerts checked against the
  ten leaking subscriptions; then the simulator's today moves a day (``POST /_simulator/today``) and one nightly
  ``Sync-EglHistory -ConnectionString`` runs (it must send exactly 1,000 data requests and add 1,000 days, or the
  harness fails); last, the same first sync into a SQLite file (``-HistoryPath``) at the same throttle.
"@)
$null = $md.AppendLine().AppendLine('## What limits the targets').AppendLine()
$null = $md.AppendLine($Findings)
if ($micro) {
    $null = $md.AppendLine().AppendLine('## Micro-benchmarks (BenchmarkDotNet)').AppendLine()
    $null = $md.AppendLine('`tests/EglWater.Benchmarks`, run in process with a short job (3 warm-up and 3 measured iterations), ')
    $null = $md.AppendLine('with the memory diagnoser (allocated bytes per operation).').AppendLine()
    $null = $md.AppendLine($micro)
}
New-Item -ItemType Directory -Path (Split-Path $OutputPath -Parent) -Force | Out-Null
Set-Content -LiteralPath $OutputPath -Value $md.ToString().TrimEnd() -Encoding utf8NoBOM
Write-Host "Wrote $OutputPath"
#endregion
