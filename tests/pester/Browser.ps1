# Browser helpers for the Pester tests (dot-source): Debian's Chromium, and EglWater.BrowserCheck, which opens a
# page in headless Chromium and returns what a person would see (console, requests, SVG boxes, overflow, the
# <data>/<time> values, print layout) as an object. The helpers judge nothing: the tests assert on the facts.
# A missing Chromium is never a skip: as root it is installed, otherwise the test fails with the command to run.

$script:ChromiumInstallCommand = 'sudo apt-get install -y chromium'
. (Join-Path $PSScriptRoot '../../tools/DebianPackage.ps1')

function Get-ChromiumPath {
    <# The Chromium to drive: $env:EGLWATER_CHROMIUM, else /usr/bin/chromium, else chromium on PATH; $null if none. #>
    if ($env:EGLWATER_CHROMIUM) {
        if (Test-Path -LiteralPath $env:EGLWATER_CHROMIUM -PathType Leaf) { return $env:EGLWATER_CHROMIUM }
        throw "EGLWATER_CHROMIUM names '$env:EGLWATER_CHROMIUM', which does not exist."
    }
    if (Test-Path -LiteralPath '/usr/bin/chromium' -PathType Leaf) { return '/usr/bin/chromium' }
    $command = Get-Command -Name 'chromium', 'chromium-browser' -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($command) { return $command.Source }
    $null
}

function Test-IsRoot {
    if (-not $IsLinux) { return $false }
    (& id -u) -eq '0'
}

function Assert-Chromium {
    <#
    .SYNOPSIS
    Returns the path of Chromium. When it is missing: as root on Debian, installs Debian's package `chromium`
    (apt-get update first when apt knows no candidate, or when the install fails on stale package lists);
    otherwise throws with the one command to run. Never skips.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $path = Get-ChromiumPath
    if ($path) { return $path }

    $hasApt = [bool](Get-Command -Name 'apt-get' -CommandType Application -ErrorAction Ignore)
    if (-not ((Test-IsRoot) -and $hasApt)) {
        $how = if ($hasApt) { "Install it with: $ChromiumInstallCommand" }
        else { 'Install Chromium (Debian: apt-get install -y chromium) or set EGLWATER_CHROMIUM to a Chromium or Chrome executable' }
        throw "The browser tests need Chromium, which is not installed. $how, then run the tests again."
    }

    $started = [Diagnostics.Stopwatch]::StartNew()
    Install-EglDebianPackage -Package chromium -What Chromium
    $path = Get-ChromiumPath
    if (-not $path) { throw 'apt-get install -y chromium succeeded, yet no chromium executable was found (/usr/bin/chromium).' }
    Write-Host ('Chromium installed at {0} in {1:N0} s' -f $path, $started.Elapsed.TotalSeconds)
    $path
}

function Get-BrowserCheckPath {
    <# EglWater.BrowserCheck.dll: $env:EGLWATER_BROWSERCHECK (set by build.ps1), else the Release build output. #>
    if ($env:EGLWATER_BROWSERCHECK) {
        if (Test-Path -LiteralPath $env:EGLWATER_BROWSERCHECK -PathType Leaf) { return (Resolve-Path -LiteralPath $env:EGLWATER_BROWSERCHECK).Path }
        throw "EGLWATER_BROWSERCHECK names '$env:EGLWATER_BROWSERCHECK', which does not exist."
    }
    $built = Join-Path $PSScriptRoot '../EglWater.BrowserCheck/bin/Release/net10.0/EglWater.BrowserCheck.dll'
    if (Test-Path -LiteralPath $built -PathType Leaf) { return (Resolve-Path -LiteralPath $built).Path }
    throw "EglWater.BrowserCheck is not built: run 'dotnet build tests/EglWater.BrowserCheck -c Release' (./build.ps1 -Task Test builds it)."
}

function Invoke-BrowserCheck {
    <#
    .SYNOPSIS
    Opens $Page (an HTML file) in headless Chromium at each width and returns the facts EglWater.BrowserCheck
    printed (see tests/EglWater.BrowserCheck/README.md for their shape). Throws when the checker cannot run
    or cannot load the page; bad facts are returned, not thrown: the test decides.
    .PARAMETER Screenshot
    A PNG of the full page at the first width.
    .PARAMETER Pdf
    The page printed (print media), as Chromium prints it.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Page,
        [string] $Screenshot,
        [string] $Pdf,
        [int[]] $Width,
        [switch] $NoPrint,
        [string] $Chromium,
        [int] $TimeoutSec = 120
    )
    if (-not (Test-Path -LiteralPath $Page -PathType Leaf)) { throw "The page '$Page' does not exist." }
    $chromiumPath = if ($Chromium) { $Chromium } else { Assert-Chromium }
    $arguments = @((Get-BrowserCheckPath), '--page', (Resolve-Path -LiteralPath $Page).Path, '--chromium', $chromiumPath)
    if ($Screenshot) { $arguments += '--screenshot', $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Screenshot) }
    if ($Pdf) { $arguments += '--pdf', $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Pdf) }
    if ($Width) { $arguments += '--widths', ($Width -join ',') }
    if ($NoPrint) { $arguments += '--no-print' }

    $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $arguments) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $psi.StandardOutputEncoding = [Text.UTF8Encoding]::new($false)
    $process = [Diagnostics.Process]::Start($psi)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSec * 1000)) {
            $process.Kill($true)
            throw "EglWater.BrowserCheck did not finish within $TimeoutSec s on '$Page'."
        }
        $process.WaitForExit()
        if ($process.ExitCode -ne 0) {
            throw ("EglWater.BrowserCheck failed (exit code {0}) on '{1}': {2}" -f $process.ExitCode, $Page, $stderr.Result.Trim())
        }
        $line = $stdout.Result -split "`n" | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1
        if (-not $line) { throw "EglWater.BrowserCheck printed no facts on '$Page'. stderr: $($stderr.Result.Trim())" }
        # -DateKind String: a <time datetime> stays the text the page wrote.
        $line | ConvertFrom-Json -Depth 32 -DateKind String
    } finally {
        $process.Dispose()
    }
}

function Get-PngSize {
    <# The pixel width and height of a PNG file, from its IHDR chunk. #>
    param([Parameter(Mandatory)] [string] $Path)
    $b = [IO.File]::ReadAllBytes($Path)
    if ($b.Length -lt 24 -or [BitConverter]::ToString($b, 0, 8) -ne '89-50-4E-47-0D-0A-1A-0A') { throw "'$Path' is not a PNG file." }
    [pscustomobject]@{
        Width = ((([long]$b[16] * 256 + $b[17]) * 256 + $b[18]) * 256 + $b[19])
        Height = ((([long]$b[20] * 256 + $b[21]) * 256 + $b[22]) * 256 + $b[23])
    }
}
