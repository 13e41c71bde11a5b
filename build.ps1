#requires -Version 7.2
<#
.SYNOPSIS
Builds, tests and demonstrates the EglWater module.

.DESCRIPTION
  Build    lays the module out in out/EglWater (manifest, core/ and desktop/ builds of the root assembly,
           each with its Dependencies/, format file, help generated from docs/help) and the simulator in out/simulator.
  Package  builds, then writes the versioned module folder out/package/EglWater/<version>/ and
           out/package/EglWater.<version>.nupkg (Compress-PSResource), installable from a folder
           repository with Install-PSResource.
  Test     builds and packages, runs the static checks (every PowerShell file parses, dotnet format
           --verify-no-changes), the xunit tests, then the Pester tests in a fresh pwsh against the
           built module, the simulator and a throw-away PostgreSQL server (tools/EglPostgres.psm1: Debian's
           postgresql, installed when missing as root), deleted at the end. Each ends with "N passed, N failed"; the script exits
           non-zero if anything failed.
  Demo   builds, starts the simulator, and runs the module against it in a fresh pwsh.
  Bench  builds, then runs bench/Invoke-Benchmarks.ps1 in a fresh pwsh (writes docs/benchmarks.md).
  Clean  removes out/ and the build outputs.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Package', 'Test', 'Demo', 'Bench', 'Clean')]
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
# What failed, repeated at the end of the Test task (CI logs may keep only their tail).
$script:FailureSummary = [System.Collections.Generic.List[string]]::new()
$PesterVersion = '5.7.1'
. (Join-Path $Root 'tools/Read-Manifest.ps1')

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $Command, [string[]] $Arguments)
    & $Command @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    (Read-EglManifest (Join-Path $Root 'EglWater.psd1')).ModuleVersion
}

function Invoke-Build {
    $version = Get-ModuleVersion
    Write-Host "Building EglWater $version ($Configuration)"
    Invoke-Native dotnet @('build', (Join-Path $Root 'EglPowerShell.sln'), '-c', $Configuration, "-p:Version=$version", '-nologo', '-clp:NoSummary;ErrorsOnly', '-v', 'quiet')

    # Layout: the module root holds what PowerShell reads (manifest, format file, help); each edition has its own
    # build of the root assembly, and beside it, in Dependencies/ (where no default probing looks), the backends
    # assembly with its private dependencies and the native SQLite libraries. The loader (src/EglWater/Loading)
    # loads those at first use, into the module's own load context on PowerShell 7.4+.
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $ModuleOut -Force
    foreach ($edition in @(@{ Name = 'core'; Tfm = 'net8.0' }, @{ Name = 'desktop'; Tfm = 'netstandard2.0' })) {
        $target = New-Item -ItemType Directory -Path (Join-Path $ModuleOut $edition.Name) -Force
        $dependencies = New-Item -ItemType Directory -Path (Join-Path $target.FullName 'Dependencies') -Force
        $rootBin = Join-Path $Root "src/EglWater/bin/$Configuration/$($edition.Tfm)"
        Copy-Item (Join-Path $rootBin 'EglWater.dll'), (Join-Path $rootBin 'EglWater.pdb') $target.FullName
        $backendsBin = Join-Path $Root "src/EglWater.Backends/bin/$Configuration/$($edition.Tfm)"
        Get-ChildItem $backendsBin -File | Where-Object { $_.Extension -eq '.dll' -and $_.BaseName -ne 'EglWater' } | Copy-Item -Destination $dependencies.FullName
        Copy-Item (Join-Path $backendsBin 'EglWater.Backends.pdb') $dependencies.FullName
        Copy-SqliteNatives -Edition $edition.Name -BuildOutput $backendsBin -Destination (Join-Path $dependencies.FullName 'runtimes')
    }
    Copy-Item (Join-Path $Root 'EglWater.psd1'), (Join-Path $Root 'src/EglWater/EglWater.Format.ps1xml'), (Join-Path $Root 'LICENSE') $ModuleOut
    $help = New-Item -ItemType Directory -Path (Join-Path $ModuleOut 'en-US') -Force
    Copy-Item (Join-Path $Root 'docs/help/about_EglWater.help.txt') $help.FullName
    Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tools/New-EglHelp.ps1'), '-ModulePath', (Join-Path $ModuleOut 'EglWater.psd1'), '-SourcePath', (Join-Path $Root 'docs/help'), '-OutputPath', (Join-Path $help.FullName 'EglWater.dll-Help.xml'))

    if (Test-Path $SimulatorOut) { Remove-Item $SimulatorOut -Recurse -Force }
    Copy-Item (Join-Path $Root "src/EglWater.Simulator/bin/$Configuration/net10.0") $SimulatorOut -Recurse
    Write-Host "Module laid out in $ModuleOut"
}

# The platforms whose native SQLite library ships with the module (the history store needs one to load).
$NativeRids = @{
    core    = @('linux-x64', 'linux-arm64', 'linux-musl-x64', 'linux-musl-arm64', 'win-x64', 'win-x86', 'win-arm64', 'osx-x64', 'osx-arm64')
    desktop = @('win-x64', 'win-x86', 'win-arm64')
}

function Copy-SqliteNatives {
    param([string] $Edition, [string] $BuildOutput, [string] $Destination)
    # The net8.0 build output has runtimes/<rid>/native; the netstandard2.0 one has none: take those from the package.
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $fromPackage = Join-Path $packages.Trim() 'sqlitepclraw.lib.e_sqlite3/2.1.13/runtimes'
    foreach ($rid in $NativeRids[$Edition]) {
        $source = Join-Path $BuildOutput "runtimes/$rid/native"
        if (-not (Test-Path $source)) { $source = Join-Path $fromPackage "$rid/native" }
        if (-not (Test-Path $source)) { throw "No native SQLite library for $rid (looked in $BuildOutput and $fromPackage)." }
        $target = New-Item -ItemType Directory -Path (Join-Path $Destination "$rid/native") -Force
        Copy-Item (Join-Path $source '*') $target.FullName
    }
}

function Invoke-Package {
    $version = Get-ModuleVersion
    $packageOut = Join-Path $Out 'package'
    if (Test-Path $packageOut) { Remove-Item $packageOut -Recurse -Force }
    $folder = New-Item -ItemType Directory -Path (Join-Path $packageOut "EglWater/$version") -Force
    Copy-Item (Join-Path $ModuleOut '*') $folder.FullName -Recurse
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
    Compress-PSResource -Path $folder.FullName -DestinationPath $packageOut
    $nupkg = Get-ChildItem $packageOut -Filter '*.nupkg' | Select-Object -First 1
    if (-not $nupkg) { throw "Compress-PSResource wrote no .nupkg to $packageOut." }
    Write-Host "Packaged $($folder.FullName) and $($nupkg.FullName)"
}

function Invoke-StaticChecks {
    Write-Host '== Static checks'
    $passed = 0; $failed = 0
    # 1. Every PowerShell file of the repository parses (the PowerShell parser; PSScriptAnalyzer is not available).
    $files = Get-ChildItem $Root -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' |
        Where-Object { $_.FullName -notmatch '[\\/](out|\.tools|bin|obj|\.git)[\\/]' }
    foreach ($file in $files) {
        $tokens = $errors = $null
        [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$errors) | Out-Null
        if ($errors) {
            $failed++
            foreach ($e in $errors) { Write-Host ("  PARSE ERROR {0}:{1}: {2}" -f $file.FullName, $e.Extent.StartLineNumber, $e.Message) }
        } else { $passed++ }
    }
    Write-Host ("  {0} PowerShell files parse" -f $passed)
    # 2. The C# is formatted as .editorconfig says (the build already treats warnings as errors).
    $format = & dotnet format (Join-Path $Root 'EglPowerShell.sln') --verify-no-changes --no-restore 2>&1 | ForEach-Object { "$_" }
    if ($LASTEXITCODE -eq 0) { $passed++; Write-Host '  dotnet format --verify-no-changes: clean' }
    else { $failed++; $format | ForEach-Object { Write-Host "  $_" }; Write-Host '  dotnet format --verify-no-changes: FAILED (run: dotnet format EglPowerShell.sln)' }
    if ($failed -gt 0) { $script:FailureSummary.Add("static checks: $failed failed (see '== Static checks' above)") }
    Write-Host ('{0} passed, {1} failed' -f $passed, $failed)
    $failed -eq 0
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
    # The failed tests' names and, for a property, the seed that reproduces it (CsCheck_Seed=...), for the summary.
    foreach ($line in $captured) {
        if ($line -match '^\s*Failed (\S+) \[') { $script:FailureSummary.Add("xunit: $($Matches[1])") }
        elseif ($line -match 'CsCheck_Seed=(\S+)') { $script:FailureSummary.Add("  to reproduce: CsCheck_Seed=$($Matches[1])") }
    }
    if ($failed -gt 0 -and -not ($captured -match '^\s*Failed \S+ \[')) { $script:FailureSummary.Add("xunit: exit code $exit, $failed failed") }
    Write-Host ('{0} passed, {1} failed' -f $passed, $failed)
    $failed -eq 0 -and $passed -gt 0
}

function Invoke-PesterTests {
    Write-Host '== Pester'
    $pester = Get-PesterModulePath
    $runner = Join-Path $Root 'tests/pester/Invoke-PesterTests.ps1'
    # The browser checker (built with the solution) that tests/pester/Browser.ps1 runs.
    $env:EGLWATER_BROWSERCHECK = Join-Path $Root "tests/EglWater.BrowserCheck/bin/$Configuration/net10.0/EglWater.BrowserCheck.dll"
    $failedTests = [System.Collections.Generic.List[string]]::new()
    & dotnet pwsh -NoProfile -NonInteractive -File $runner -PesterPath $pester -ModulePath (Join-Path $ModuleOut 'EglWater.psd1') -SimulatorPath (Join-Path $SimulatorOut 'EglWater.Simulator.dll') |
        ForEach-Object { $line = "$_"; if ($line -match '^\s*\[-\] (.*?)( \d+m?s \(.*)?$') { $failedTests.Add($Matches[1]) }; $line } | Out-Host
    $ok = $LASTEXITCODE -eq 0
    foreach ($name in $failedTests) { $script:FailureSummary.Add("Pester: $name") }
    if (-not $ok -and $failedTests.Count -eq 0) { $script:FailureSummary.Add("Pester: exit code $LASTEXITCODE") }
    $ok
}

# The throw-away PostgreSQL server of the Pester run (tools/EglPostgres.psm1): started before, handed over in
# EGLWATER_PG_* variables (the child pwsh inherits them; Get-EglPostgresFromEnvironment reads them back), stopped and
# deleted after, also when the tests fail or are interrupted.
function Start-TestPostgres {
    Import-Module (Join-Path $Root 'tools/EglPostgres.psm1') -Force
    # Clusters of earlier runs that were killed before their clean-up (their starting process is gone).
    foreach ($folder in @(Remove-EglPostgresLeftover)) { Write-Host "Removed a leftover PostgreSQL cluster: $folder" }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $cluster = Start-EglPostgres
    foreach ($variable in (Get-EglPostgresEnvironment -Cluster $cluster).GetEnumerator()) {
        Set-Item -LiteralPath "env:$($variable.Key)" -Value $variable.Value
    }
    Write-Host ([string]::Format([cultureinfo]::InvariantCulture, 'PostgreSQL {0} up on {1}:{2} (database {3}, role {4}) in {5:0.0} s',
            $cluster.Version, $cluster.Host, $cluster.Port, $cluster.Database, $cluster.UserName, $watch.Elapsed.TotalSeconds))
    $cluster
}

function Stop-TestPostgres {
    param($Cluster)
    foreach ($name in 'EGLWATER_PG_CLUSTER', 'EGLWATER_PG_CONNECTION', 'EGLWATER_PG_PASSWORD', 'EGLWATER_PG_ADMIN_PASSWORD', 'EGLWATER_PG_PORT', 'EGLWATER_PG_BIN', 'EGLWATER_PG_FOLDER') {
        Remove-Item -LiteralPath "env:$name" -ErrorAction Ignore
    }
    if ($Cluster) {
        Stop-EglPostgres -Cluster $Cluster
        Write-Host "PostgreSQL stopped and $($Cluster.Folder) deleted"
    }
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
            'Package' {
                Invoke-Build
                Invoke-Package
            }
            'Test' {
                Invoke-Build
                Invoke-Package
                $staticOk = Invoke-StaticChecks
                $xunitOk = Invoke-XunitTests
                $postgres = $null
                # EGLWATER_PG_BIN chooses the server binaries; it is then handed to the Pester run and restored after.
                $pgBin = $env:EGLWATER_PG_BIN
                try {
                    $postgres = Start-TestPostgres
                    $pesterOk = Invoke-PesterTests
                } catch {
                    # A server that cannot start (or a runner that cannot run) fails the run like a test, and is named at the end.
                    Write-Host "Pester could not run: $($_.Exception.Message)"
                    $script:FailureSummary.Add("Pester could not run: $($_.Exception.Message)")
                    $pesterOk = $false
                } finally {
                    Stop-TestPostgres $postgres
                    $env:EGLWATER_PG_BIN = $pgBin
                }
                if (-not ($staticOk -and $xunitOk -and $pesterOk)) {
                    # Repeated at the end: a CI log that keeps only its tail still says what failed.
                    Write-Host 'What failed:'
                    foreach ($item in $script:FailureSummary) { Write-Host "  $item" }
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
