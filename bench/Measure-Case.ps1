<#
.SYNOPSIS
One timed run of one side of one benchmark case, in the fresh pwsh process that bench/Invoke-Benchmarks.ps1
starts for it. Not meant to be run by hand.

.DESCRIPTION
Times the work with a Stopwatch from the first line the user would type (Import-Module for the EglWater
side, so the module's load is counted against it) to the last result collected in memory, then reads the
process's peak resident set (VmHWM in /proc/self/status: the kernel's high-water mark of this pwsh
process, which covers the whole run) and prints one JSON line: {"ms":…,"warmMs":…,"importMs":…,"peakKiB":…,"rows":…}
(importMs: the part of ms spent in Import-Module, EglWater fetch side only).
For the fetch case it then runs the same commands again in the same process and times that too (warmMs:
JIT done, HTTP connections open), after the peak memory has been read.
With -ResultPath, writes the daily rows (Date as yyyy-MM-dd, Liters) to a CSV file after the timing, for
the harness to compare the two sides.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('Fetch', 'Offline')] [string] $Case,
    [Parameter(Mandatory)] [ValidateSet('EglWater', 'Baseline', 'ImportCsv')] [string] $Side,
    [string] $ModulePath,
    [string] $BaseUri,
    [string] $Login,
    [string] $Password,
    [string] $AuthKey,
    [string] $StartDate,
    [string] $EndDate,
    [string] $CsvPath,
    [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
$baseline = Join-Path $PSScriptRoot 'baseline-irm.ps1'
$inv = [cultureinfo]::InvariantCulture
$start = [datetime]::ParseExact($StartDate, 'yyyy-MM-dd', $inv)
$end = [datetime]::ParseExact($EndDate, 'yyyy-MM-dd', $inv)

$work = { switch ("$Case/$Side") {
    'Fetch/EglWater' {
        $importWatch = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $ModulePath
        $script:importMs += $importWatch.Elapsed.TotalMilliseconds
        $credential = [pscredential]::new($Login, (ConvertTo-SecureString $Password -AsPlainText -Force))
        Connect-Egl -Credential $credential -AuthKey $AuthKey -BaseUri $BaseUri
        Get-EglConsumption -StartDate $start -EndDate $end
    }
    'Fetch/Baseline' {
        & $baseline -BaseUri $BaseUri -Login $Login -Password $Password -AuthKey $AuthKey -StartDate $start -EndDate $end
    }
    'Offline/EglWater' {
        Import-Module $ModulePath
        Import-Csv -LiteralPath $CsvPath | Get-EglConsumption
    }
    'Offline/Baseline' {
        & $baseline -CsvPath $CsvPath
    }
    'Offline/ImportCsv' {
        # The floor both offline sides share: reading the file into objects, nothing computed.
        Import-Csv -LiteralPath $CsvPath
    }
    default { throw "No side '$Side' for case '$Case'." }
} }

$script:importMs = 0.0
$sw = [System.Diagnostics.Stopwatch]::StartNew()
$rows = & $work
$sw.Stop()
$coldImportMs = $script:importMs

$peakKiB = 0L
$status = Get-Content -LiteralPath '/proc/self/status' -ErrorAction SilentlyContinue | Where-Object { $_ -like 'VmHWM:*' }
if ($status -match '(\d+)\s*kB') { $peakKiB = [long]$Matches[1] }

# Fetch: the same commands once more in this process (warm: JIT done, connections open; Import-Module is then a no-op).
$warmMs = 0.0
if ($Case -eq 'Fetch') {
    $warm = [System.Diagnostics.Stopwatch]::StartNew()
    $again = & $work
    $warm.Stop()
    $warmMs = $warm.Elapsed.TotalMilliseconds
    if (@($again).Count -ne @($rows).Count) { throw "The warm run gave $(@($again).Count) rows, the first $(@($rows).Count)." }
}

if ($ResultPath -and $Side -ne 'ImportCsv') {
    $rows | ForEach-Object {
        [pscustomobject]@{
            Date   = $_.Date.ToString('yyyy-MM-dd', $inv)
            Liters = if ($null -eq $_.Liters) { '' } else { ([double]$_.Liters).ToString('R', $inv) }
        }
    } | Export-Csv -LiteralPath $ResultPath -NoTypeInformation
}

[pscustomobject]@{ ms = $sw.Elapsed.TotalMilliseconds; warmMs = $warmMs; importMs = $coldImportMs; peakKiB = $peakKiB; rows = @($rows).Count } | ConvertTo-Json -Compress
