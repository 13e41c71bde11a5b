#requires -Version 7.2
<#
.SYNOPSIS
Builds, tests and demonstrates the EglWater module.

.DESCRIPTION
  Build  lays the module out in out/EglWater (manifest, assembly, dependencies, format file)
         and the simulator in out/simulator.
  Test   builds, runs the xunit tests, then the Pester tests in a fresh pwsh against the built
         module and the simulator. Each runner ends with "N passed, N failed"; the script exits
         non-zero if anything failed.
  Demo   builds, starts the simulator, and runs the module against it in a fresh pwsh.
  Bench  builds, then runs bench/Invoke-Benchmarks.ps1 in a fresh pwsh (writes docs/benchmarks.md).
  Clean  removes out/ and the build outputs.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'EglWater'
$SimulatorOut = Join-Path $Out 'simulator'
$ToolsDir = Join-Path $Root '.tools'
$PesterVersion = '5.7.1'

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $Command, [string[]] $Arguments)
    & $Command @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    (Import-PowerShellDataFile (Join-Path $Root 'EglWater.psd1')).ModuleVersion
}

function Invoke-Build {
    $version = Get-ModuleVersion
    Write-Host "Building EglWater $version ($Configuration)"
    Invoke-Native dotnet @('build', (Join-Path $Root 'EglPowerShell.sln'), '-c', $Configuration, "-p:Version=$version", '-nologo', '-clp:NoSummary;ErrorsOnly', '-v', 'quiet')

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleOut -Force | Out-Null
    $bin = Join-Path $Root "src/EglWater/bin/$Configuration/netstandard2.0"
    Get-ChildItem $bin -File | Where-Object { $_.Extension -in '.dll', '.pdb' } | Copy-Item -Destination $ModuleOut
    Copy-Item (Join-Path $Root 'EglWater.psd1') $ModuleOut
    Copy-Item (Join-Path $Root 'src/EglWater/EglWater.Format.ps1xml') $ModuleOut

    if (Test-Path $SimulatorOut) { Remove-Item $SimulatorOut -Recurse -Force }
    Copy-Item (Join-Path $Root "src/EglWater.Simulator/bin/$Configuration/net10.0") $SimulatorOut -Recurse
    Write-Host "Module laid out in $ModuleOut"
}

function Get-PesterModulePath {
    $path = Join-Path $ToolsDir "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $path)) {
        Write-Host "Downloading Pester $PesterVersion from NuGet"
        Invoke-Native dotnet @('package', 'download', "Pester@$PesterVersion", '-o', $ToolsDir)
    }
    $path
}

function Invoke-XunitTests {
    Write-Host '== xunit'
    $project = Join-Path $Root 'tests/EglWater.Tests/EglWater.Tests.csproj'
    $captured = & dotnet test $project -c $Configuration --no-build --nologo 2>&1 | ForEach-Object { $line = $_.ToString(); Write-Host $line; $line }
    $exit = $LASTEXITCODE
    $summary = $captured | Select-String -Pattern 'Failed:\s*(\d+),\s*Passed:\s*(\d+)' | Select-Object -Last 1
    if ($summary) {
        $failed = [int]$summary.Matches[0].Groups[1].Value
        $passed = [int]$summary.Matches[0].Groups[2].Value
    } else {
        $failed = 1; $passed = 0
    }
    if ($exit -ne 0 -and $failed -eq 0) { $failed = 1 }
    Write-Host ('{0} passed, {1} failed' -f $passed, $failed)
    $failed -eq 0 -and $passed -gt 0
}

function Invoke-PesterTests {
    Write-Host '== Pester'
    $pester = Get-PesterModulePath
    $runner = Join-Path $Root 'tests/pester/Invoke-PesterTests.ps1'
    & dotnet pwsh -NoProfile -NonInteractive -File $runner -PesterPath $pester -ModulePath (Join-Path $ModuleOut 'EglWater.psd1') -SimulatorPath (Join-Path $SimulatorOut 'EglWater.Simulator.dll') | Out-Host
    $LASTEXITCODE -eq 0
}

function Invoke-Demo {
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/Demo.ps1') -ModulePath (Join-Path $ModuleOut 'EglWater.psd1') -SimulatorPath (Join-Path $SimulatorOut 'EglWater.Simulator.dll') -OutputDirectory (Join-Path $Out 'demo')
    if ($LASTEXITCODE -ne 0) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

Push-Location $Root
try {
    foreach ($t in $Task) {
        switch ($t) {
            'Clean' {
                foreach ($p in @($Out) + (Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj).FullName) {
                    if ($p -and (Test-Path $p)) { Remove-Item $p -Recurse -Force }
                }
                Write-Host 'Cleaned.'
            }
            'Build' { Invoke-Build }
            'Test' {
                Invoke-Build
                $xunitOk = Invoke-XunitTests
                $pesterOk = Invoke-PesterTests
                if (-not ($xunitOk -and $pesterOk)) {
                    Write-Host 'Tests FAILED.'
                    exit 1
                }
                Write-Host 'All tests passed.'
            }
            'Demo' {
                Invoke-Build
                Invoke-Demo
            }
            'Bench' {
                # Benchmarks (bench/Invoke-Benchmarks.ps1): writes docs/benchmarks.md. Not a test: figures never fail it.
                Invoke-Build
                & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'bench/Invoke-Benchmarks.ps1')
                if ($LASTEXITCODE -ne 0) { throw "The benchmarks failed (exit code $LASTEXITCODE)." }
            }
        }
    }
} finally {
    Pop-Location
}
