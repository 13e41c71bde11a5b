# The demo: EglWater against the local EGL simulator, as a user would type it.
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SimulatorPath,
    [Parameter(Mandatory)] [string] $OutputDirectory
)
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
Import-Module (Join-Path $PSScriptRoot 'EglSimulator.psm1')

$simulator = Start-EglSimulator -Path $SimulatorPath
try {
    Write-Host "EGL simulator at $($simulator.BaseUri)"
    Import-Module (Resolve-Path $ModulePath).Path

    # The simulator's demo household (its login, password and AuthKey are public test values).
    $credential = [pscredential]::new('demo@eglwater.test', (ConvertTo-SecureString 'demo-password' -AsPlainText -Force))
    Connect-Egl -Credential $credential -AuthKey 'demo-auth-key' -BaseUri $simulator.BaseUri
    Get-EglSession | Format-Table | Out-Host

    Write-Host 'Daily consumption, last 30 days:'
    $daily = Get-EglConsumption
    $daily | Format-Table | Out-Host

    Write-Host 'Monthly summary, last 12 months:'
    $end = (Get-Date).Date
    $start = [datetime]::new($end.Year, $end.Month, 1).AddMonths(-11)
    Get-EglConsumption -StartDate $start -EndDate $end -Granularity Month |
        Format-Table @{ n = 'Month'; e = { $_.Date.ToString('yyyy-MM') } }, Days, DaysWithData, @{ n = 'Liters'; e = { $_.Liters }; f = 'N0' }, @{ n = 'CubicMeters'; e = { $_.CubicMeters }; f = 'N3' }, Quality, Complete |
        Out-Host

    New-Item -ItemType Directory -Path $OutputDirectory -Force | Out-Null
    $csv = Join-Path $OutputDirectory 'consumption.csv'
    $daily | Export-Csv -Path $csv -NoTypeInformation
    Write-Host "Wrote $((Import-Csv $csv).Count) rows to $csv"

    # Keep the whole history in a local store (here a throw-away one under out/), then read it offline.
    $store = Join-Path $OutputDirectory 'history.db'
    Remove-Item -LiteralPath $store -ErrorAction Ignore
    Write-Host 'Sync-EglHistory: the whole history into a local store, then again (one request):'
    Sync-EglHistory -Path $store | Format-Table | Out-Host
    Sync-EglHistory -Path $store | Format-Table | Out-Host
    Write-Host 'Yearly totals from the store, offline:'
    Get-EglConsumption -HistoryPath $store -StartDate 2023-01-01 -Granularity Year -WarningAction SilentlyContinue | Format-Table | Out-Host

    $alerts = @(Find-EglLeak)
    Write-Host "Leak check, last 90 days: $($alerts.Count) alert(s) on this household."
    Write-Host 'What the water cost this year (Eau du Grand Lyon 2026 grid):'
    Measure-EglCost | Format-Table | Out-Host

    $report = Export-EglReport -Path (Join-Path $OutputDirectory 'report.html') -Force -PassThru -WarningAction SilentlyContinue
    Write-Host "Wrote the report $($report.FullName) ($('{0:N0}' -f $report.Length) bytes): open it in a browser."
    Disconnect-Egl

    # A household with a leak, through the customer portal: the provider's own signals too.
    Connect-Egl -Credential ([pscredential]::new('leak@eglwater.test', $credential.Password)) -BaseUri "$($simulator.RootUri)application"
    Write-Host 'A household with a leak (customer portal):'
    Find-EglLeak | Format-Table | Out-Host
    Disconnect-Egl

    # The same household through the customer portal: its own login, no AuthKey.
    Write-Host 'The same household through the customer portal (no AuthKey), last 3 months:'
    Connect-Egl -Credential $credential -BaseUri "$($simulator.RootUri)application"
    Get-EglSession | Format-Table | Out-Host
    Get-EglConsumption -StartDate $end.AddMonths(-2).AddDays(1 - $end.Day) -EndDate $end -Granularity Month | Format-Table | Out-Host
    Disconnect-Egl
} finally {
    Stop-EglSimulator $simulator
    Write-Host 'Simulator stopped.'
}
