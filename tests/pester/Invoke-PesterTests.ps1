# Runs the Pester tests in this (fresh) pwsh process against the built module.
# Ends with the line "N passed, N failed" and exits non-zero on any failure.
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SimulatorPath
)
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
Import-Module $PesterPath -Force

$env:EGLWATER_MODULE = (Resolve-Path $ModulePath).Path
$env:EGLWATER_SIMULATOR = (Resolve-Path $SimulatorPath).Path

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
'{0} passed, {1} failed' -f $result.PassedCount, $failed
if ($failed -gt 0 -or $result.PassedCount -eq 0) { exit 1 }
exit 0
